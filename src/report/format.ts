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

/** A denial's codes as billers read them: CO-16/M119, with "(unverified)" where payers' use is not verified. */
export function denialText(denial: { group: string | null; carc: string | null; rarc: string | null; verified: boolean } | null, options: { rarc?: boolean } = {}): string {
  if (!denial?.carc) return '';
  const rarc = (options.rarc ?? true) && denial.rarc ? `/${denial.rarc}` : '';
  return `${denial.group ?? ''}-${denial.carc}${rarc}${denial.verified ? '' : ' (unverified)'}`;
}

/** A place in an input file: a CSV row (and column), or an X12 segment and its byte offset. */
export interface Position {
  row?: number | undefined;
  column?: string | undefined;
  segmentIndex?: number | undefined;
  byteOffset?: number | undefined;
}

/**
 * Where a value is, in words: "row 12, column units", "segment 182, byte 4575", "byte 0". The
 * byte offset is given only where there is no row; `byte` says how it follows a segment (in
 * parentheses, after a comma, or not at all, where the report shows it apart).
 */
export function sourcePosition(ref: Position, options: { number?: (n: number) => string; byte?: 'comma' | 'parentheses' | 'none' } = {}): string {
  const n = options.number ?? String;
  const parts: string[] = [];
  if (ref.row !== undefined) parts.push(`row ${n(ref.row)}`);
  if (ref.column !== undefined) parts.push(`column ${ref.column}`);
  const byte = ref.byteOffset !== undefined && ref.row === undefined ? `byte ${n(ref.byteOffset)}` : null;
  if (ref.segmentIndex !== undefined) {
    const segment = `segment ${n(ref.segmentIndex)}`;
    const style = options.byte ?? 'comma';
    if (byte === null || style === 'none') parts.push(segment);
    else if (style === 'parentheses') parts.push(`${segment} (${byte})`);
    else parts.push(segment, byte);
  } else if (byte !== null) parts.push(byte);
  return parts.join(', ');
}
