// Numbers as reports show them, formatted by hand so they are the same whatever the machine's
// locale: 12,345 and $1,234.56.

/** Digits with a comma every three from the right. */
function grouped(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** $1,234.56 (a minus sign before the dollar for negatives). */
export function usd(n: number): string {
  const [whole, cents] = Math.abs(n).toFixed(2).split('.') as [string, string];
  return `${n < 0 ? '−' : ''}$${grouped(whole)}.${cents}`;
}

/** 12,345. */
export const count = (n: number) => grouped(String(n));
