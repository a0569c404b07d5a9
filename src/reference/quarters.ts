// Calendar quarters: how OPPS prices are keyed.

/** YYYY-MM-DD → 2026Q2 */
export function quarterOf(date: string): string {
  const month = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}Q${Math.ceil(month / 3)}`;
}

/** 2026Q1 → 2026-01-01 */
export function quarterStart(quarter: string): string {
  return `${quarter.slice(0, 4)}-${String((Number(quarter.slice(5)) - 1) * 3 + 1).padStart(2, '0')}-01`;
}
