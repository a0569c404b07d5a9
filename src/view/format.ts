// Numbers as reports show them, formatted by hand so they are the same whatever the machine's
// locale: 12,345 and $1,234.56.
import type { Finding, MissingFact } from '../model/index.js';

/**
 * Firm money: a line whose top finding is an error (denied or returned as billed) priced at a
 * CMS rate, not the billed charge; the rest is to review. The headline's totals and the
 * worklist's (open dollars) split on it alike.
 */
export const isFirm = (top: Pick<Finding, 'severity' | 'dollarBasis'>) => top.severity === 'error' && top.dollarBasis !== 'billed-charge';

/** Digits with a comma every three from the right. */
function grouped(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** $1,234.56 (a minus sign before the dollar for negatives). */
/** What each missing fact means and what would remove it, for the coverage tables (report, CLI). */
export const FACT_TEXT: Record<MissingFact, { what: string; load: string }> = {
  mue: { what: 'no MUE table for the claim\'s setting', load: 'load the CMS MUE table with --mue, or a newer one in a --reference folder' },
  mac: { what: 'the billing provider\'s state is not in the input, so not its A/B MAC', load: 'give --mac (J6, or a state such as WI), a profile "mac", or a state column' },
  'diagnosis-article': { what: 'no coverage list for the code: no billing article of the provider\'s MAC lists it (or none at all)', load: 'nothing to load when the MAC has none; a newer MCD article export in a --reference folder adds the articles it has' },
  'sad-list': { what: 'the MAC\'s self-administered drug list loaded does not cover the code', load: 'load the MAC\'s full SAD exclusion list (the MCD export\'s SAD articles) in a --reference folder' },
  'self-administered': { what: 'whether the drug is self-administered is not known', load: 'a --pack with the code\'s selfAdministered fact' },
  container: { what: 'the container is not known (not on CMS\'s JW/JZ list, no label fact)', load: 'a newer CMS JW/JZ list in a --reference folder, or a --pack with the code\'s container' },
  'ndc-crosswalk': { what: 'no CMS NDC–HCPCS crosswalk entry for the NDC or quarter', load: 'a newer ASP crosswalk in a --reference folder, or --ndc-crosswalk' },
  price: { what: 'no payment rate for the code and quarter', load: 'the quarter\'s ASP pricing file or Addendum B in a --reference folder' },
  'billing-unit': { what: 'the code\'s billing unit is not known', load: 'a --pack with the code\'s billing unit' },
  code: { what: 'the code is not in the reference pack', load: 'a HCPCS or ASP file that lists it in a --reference folder' },
  frequency: { what: 'no frequency limit for the code', load: 'a --pack with the code\'s frequency limits' },
  'service-date': { what: 'no service date on the line or the claim', load: '--as-of for lines without a date' },
  input: { what: 'the input format does not carry a field the rule needs', load: 'an export with the field (see the CSV layouts)' },
};


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
