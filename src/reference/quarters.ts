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

/** 2025Q4 → 2026Q1 */
export function nextQuarter(quarter: string): string {
  const year = Number(quarter.slice(0, 4));
  const q = Number(quarter.slice(5));
  return q === 4 ? `${year + 1}Q1` : `${year}Q${q + 1}`;
}

/** Quarters between two quarters (absolute). */
export function quarterDistance(a: string, b: string): number {
  const index = (q: string) => Number(q.slice(0, 4)) * 4 + Number(q.slice(5));
  return Math.abs(index(a) - index(b));
}

/** The day before a date: YYYY-MM-DD. */
export function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
