// Cell values of claim exports → the model's values: dates, money, units, modifiers, NDCs,
// diagnoses and pointers, as the industry's exports write them. Each parser returns a value or
// says why it cannot; none guesses where the text is ambiguous.
import { HCPCS_CODE as HCPCS, HCPCS_CODE_BODY } from '../../model/index.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

/** Cells that mean "no value" in the exports we read: empty, CCLF's `~`, `NULL`, `N/A`. */
export function isBlank(value: string | undefined): boolean {
  if (value === undefined) return true;
  const v = value.trim();
  // Most cells are longer than any of these words: only short ones are compared.
  return v === '' || v === '~' || (v.length <= 4 && /^(null|n\/a|na|none)$/i.test(v));
}

// ---- dates -------------------------------------------------------------------------------

/** Which of a/b/yyyy is the month: US exports write month first. */
export type DateOrder = 'MDY' | 'DMY';

/** Dates that mean "none": CCLF's 1000-01-01, 0001-01-01, 9999-12-31, the Unix epoch. */
const SENTINEL_DATES = new Set(['1000-01-01', '0001-01-01', '1900-01-01', '9999-12-31', '1970-01-01']);

const MONTHS: Record<string, number> = { JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, OCT: 10, NOV: 11, DEC: 12 };

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** YYYY-MM-DD for a real calendar date (the proleptic Gregorian calendar, years 0–9999), else null. */
function iso(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || year < 0 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  if (day > (month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!)) return null;
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** Two-digit years: 00–69 are 20xx, 70–99 are 19xx (POSIX strptime's pivot). */
const century = (yy: number) => (yy < 70 ? 2000 + yy : 1900 + yy);

export interface DateValue {
  /** YYYY-MM-DD, or null for an empty cell or a sentinel. */
  date: string | null;
  /** a/b/y with both a and b ≤ 12 and different: the order decided it. */
  ambiguous: boolean;
}

/**
 * YYYY-MM-DD (a time after it is dropped, never shifted by a time zone), YYYYMMDD,
 * MM/DD/YYYY and M/D/YY (or DD/MM by `order`; `-` and `.` separators too), DD-MON-YYYY.
 */
export function parseDate(raw: string, order: DateOrder = 'MDY'): Parsed<DateValue> {
  const text = raw.trim();
  if (isBlank(text)) return ok({ date: null, ambiguous: false });
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (m) return checked(iso(+m[1]!, +m[2]!, +m[3]!), false);
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (m) return checked(iso(+m[1]!, +m[2]!, +m[3]!), false);
  m = /^(\d{1,2})-([A-Za-z]{3})-(\d{2}|\d{4})$/.exec(text);
  if (m) {
    const month = MONTHS[m[2]!.toUpperCase()];
    if (month === undefined) return fail('not a month name');
    const year = m[3]!.length === 2 ? century(+m[3]!) : +m[3]!;
    return checked(iso(year, month, +m[1]!), false);
  }
  m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})(?:[ T][0-9:.]+(?:\s*[AaPp][Mm])?)?$/.exec(text);
  if (m) {
    const a = +m[1]!;
    const b = +m[3]!;
    const year = m[4]!.length === 2 ? century(+m[4]!) : +m[4]!;
    // A first part over 12 can only be a day, a second over 12 only a day: no order needed.
    const [month, day] = a > 12 ? [b, a] : b > 12 ? [a, b] : order === 'MDY' ? [a, b] : [b, a];
    return checked(iso(year, month, day), a <= 12 && b <= 12 && a !== b);
  }
  return fail('not a date (YYYY-MM-DD, YYYYMMDD, MM/DD/YYYY or DD-MON-YYYY)');
}

function checked(date: string | null, ambiguous: boolean): Parsed<DateValue> {
  if (date === null) return fail('not a calendar date');
  return ok({ date: SENTINEL_DATES.has(date) ? null : date, ambiguous });
}

/** What a/b/yyyy values say of their column's order: 'MDY', 'DMY', or null (undecided). */
export function dateOrderEvidence(raw: string): DateOrder | null {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}/.exec(raw);
  if (!m) return null;
  if (+m[1]! > 12) return 'DMY';
  if (+m[2]! > 12) return 'MDY';
  return null;
}

// ---- numbers -----------------------------------------------------------------------------

/**
 * Money as exports write it: `$1,234.56`, `(12.00)` and `12.00-` for negatives, zero padding
 * (`0000000000125.33`), spaces. Thousands separators only in groups of three.
 */
export function parseMoney(raw: string): Parsed<number | null> {
  let text = raw.trim();
  if (isBlank(text)) return ok(null);
  let negative = false;
  if (/^\(.*\)$/.test(text)) {
    negative = true;
    text = text.slice(1, -1).trim();
  }
  if (text.endsWith('-')) {
    negative = !negative;
    text = text.slice(0, -1).trim();
  }
  if (text.startsWith('-')) {
    negative = !negative;
    text = text.slice(1).trim();
  }
  text = text.replace(/^\$\s*/, '').replace(/^\+/, '');
  if (!/^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^\.\d+$/.test(text)) return fail('not an amount of money');
  const value = Number(text.replaceAll(',', ''));
  return ok(negative && value !== 0 ? -value : value);
}

/** Units: a plain decimal number, zero-padded or not (`000000000000000004.0000`). */
export function parseQuantity(raw: string): Parsed<number | null> {
  const text = raw.trim();
  if (isBlank(text)) return ok(null);
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return fail('not a number');
  return ok(Number(text));
}

// ---- codes -------------------------------------------------------------------------------

const MODIFIER = /^[A-Z0-9]{2}$/;

/** Modifiers packed in one cell: `JW:59`, `JW 59`, `JW,59`, `JW-59` or `JW59`. */
export function parseModifiers(raw: string): Parsed<string[]> {
  const text = raw.trim().toUpperCase();
  if (isBlank(text)) return ok([]);
  const parts = text.split(/[\s:;,|/-]+/).filter((p) => p !== '' && p !== '~');
  const out: string[] = [];
  for (const part of parts) {
    if (MODIFIER.test(part)) out.push(part);
    else if (part.length % 2 === 0 && part.length <= 8 && /^[A-Z0-9]+$/.test(part)) out.push(...(part.match(/../g) ?? []));
    else return fail('not a list of 2-character modifiers');
  }
  return ok(out);
}

/** A code with modifiers after it. */
const GLUED = new RegExp(`^(${HCPCS_CODE_BODY})[\\s:;,|-]+(.+)$`);

/** A HCPCS/CPT code, with modifiers glued on where an export does that (`J9035-JW`, `J9035 JW 59`). */
export function parseProcedure(raw: string): Parsed<{ code: string | null; modifiers: string[] }> {
  const text = raw.trim().toUpperCase();
  if (isBlank(text)) return ok({ code: null, modifiers: [] });
  if (HCPCS.test(text)) return ok({ code: text, modifiers: [] });
  const m = GLUED.exec(text);
  if (m) {
    const modifiers = parseModifiers(m[2]!);
    if (modifiers.ok) return ok({ code: m[1]!, modifiers: modifiers.value });
  }
  // Not a HCPCS code (a SNOMED or local code): kept as sent; no drug rule will select it.
  return ok({ code: text, modifiers: [] });
}

/** NDC placeholders of CMS files: zeros of any length. */
export function parseNdcCell(raw: string): Parsed<string | null> {
  let text = raw.trim().toUpperCase();
  if (isBlank(text)) return ok(null);
  if (/^N4/.test(text)) text = text.slice(2).trim();
  if (/^0+$/.test(text.replaceAll('-', ''))) return ok(null);
  // Excel turns long numbers into 3.37341E+09: the digits are lost, nothing to normalise.
  if (/^\d(\.\d+)?E\+?\d+$/.test(text)) return fail('scientific notation: the spreadsheet lost the NDC digits');
  // Kept as sent (spaces removed); normaliseNdc decides, and an ambiguous 10-digit NDC is reported, not guessed.
  return ok(text.replace(/\s+/g, ''));
}

/** An ICD-10 code as claims carry it: upper case, no dot. */
export function normaliseDiagnosis(raw: string): string | null {
  const text = raw.trim().toUpperCase().replace(/\./g, '');
  return isBlank(text) ? null : text;
}

/**
 * Diagnosis pointers into the claim's diagnoses (1-based in the result): letters (`A,B`),
 * 1-based numbers (`1,2` or `12`), 0-based numbers (a 0 present), or the codes themselves.
 */
export function parsePointers(raw: string, diagnoses: readonly string[]): Parsed<number[]> {
  const text = raw.trim().toUpperCase();
  if (isBlank(text)) return ok([]);
  const parts = text.split(/[\s:;,|/]+/).filter((p) => p !== '');
  if (parts.every((p) => /^[A-L]$/.test(p))) return ok(parts.map((p) => p.charCodeAt(0) - 64));
  if (parts.length === 1 && /^[A-L]{2,4}$/.test(parts[0]!)) return ok([...parts[0]!].map((p) => p.charCodeAt(0) - 64));
  if (parts.length === 1 && /^[1-9]{2,4}$/.test(parts[0]!)) return ok([...parts[0]!].map(Number));
  if (parts.every((p) => /^\d{1,2}$/.test(p))) {
    const numbers = parts.map(Number);
    return ok(numbers.includes(0) ? numbers.map((n) => n + 1) : numbers);
  }
  const codes = parts.map((p) => p.replace(/\./g, ''));
  const indexes = codes.map((c) => diagnoses.indexOf(c) + 1);
  if (indexes.every((i) => i > 0)) return ok(indexes);
  return fail('not pointers (A–L, 1–12) or diagnosis codes of the claim');
}
