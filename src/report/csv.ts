// findings.csv: one row per finding in rank order, RFC 4180, UTF-8, a fixed column order
// (README, "findings.csv"). Cells a spreadsheet would run as a formula are neutralised.
import type { Finding } from '../model/index.js';
import { FINDINGS_COLUMNS, rankedRows, WORKLIST_COLUMNS, type ColumnKind } from './columns.js';
export { ndc542 } from './columns.js';
import type { WorklistRow } from '../view/worklist.js';
import { CALIBRATION_CSV_COLUMNS, calibrationRows, type Calibration } from '../view/calibration.js';

/** findings.csv's columns, in order (declared in columns.ts with their kinds and values). */
export const FINDINGS_CSV_COLUMNS: readonly string[] = FINDINGS_COLUMNS.map((c) => c.name);

export type CsvValue = string | number | null;

/** A plain decimal number: safe to leave as it is, even with a leading minus. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
/**
 * What spreadsheets treat as the start of a formula (OWASP, "CSV injection"): = + - @, tab and
 * CR, also after leading spaces, which some spreadsheets trim before they look.
 */
const FORMULA_START = /^[ ]*[=+\-@\t\r]/;

/** Text a spreadsheet would run as a formula, made text by a leading apostrophe (plain numbers left alone). */
export const neutraliseFormula = (text: string): string => (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text);

/** One CSV cell: neutralised (a leading apostrophe makes it text), then quoted per RFC 4180. */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : neutraliseFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** Money with two decimals, no thousands separator. */
export const money = (n: number | null) => (n === null ? null : n.toFixed(2));

/** A column's value as a CSV cell's: money with two decimals, the rest as it is. */
const csvValue = (kind: ColumnKind, value: string | number | null): CsvValue => (kind === 'money' && typeof value === 'number' ? money(value) : value);

/** The header row; a UTF-8 BOM first for Excel. */
function findingsCsvHeader(options: { excel: boolean }): string {
  return `${options.excel ? '\uFEFF' : ''}${csvRow(FINDINGS_CSV_COLUMNS)}`;
}

/**
 * findings.csv's text for ranked findings, row by row: the writer the audit and the tests use.
 * A line's first finding in the ranking is its largest, so it carries the line's dollars in
 * dollars_at_risk and its other findings none: the column sums to the headline (finding_dollars
 * is each finding's own amount).
 */
export function* findingsCsv(findings: Iterable<Finding>, options: { excel: boolean }): Generator<string> {
  yield findingsCsvHeader(options);
  for (const row of rankedRows(findings)) yield csvRow(FINDINGS_COLUMNS.map((c) => csvValue(c.kind, c.value(row))));
}

/** worklist.csv's columns, in order (declared in columns.ts). */
export const WORKLIST_CSV_COLUMNS: readonly string[] = WORKLIST_COLUMNS.map((c) => c.name);

/** One worklist row as CSV values (the same values the XLSX worklist holds). */
function worklistValues(r: WorklistRow): CsvValue[] {
  return WORKLIST_COLUMNS.map((c) => csvValue(c.kind, c.value(r)));
}

/** worklist.csv's text, row by row. */
export function* worklistCsv(rows: Iterable<WorklistRow>, options: { excel: boolean }): Generator<string> {
  yield `${options.excel ? '\uFEFF' : ''}${csvRow(WORKLIST_CSV_COLUMNS)}`;
  for (const row of rows) yield csvRow(worklistValues(row));
}

/** calibration.csv's text, row by row: a row per rule, then per payer and rule (the same rows the workbook's Calibration sheet holds). */
export function* calibrationCsv(calibration: Calibration, options: { excel: boolean }): Generator<string> {
  yield `${options.excel ? '\uFEFF' : ''}${csvRow([...CALIBRATION_CSV_COLUMNS])}`;
  for (const row of calibrationRows(calibration)) yield csvRow(row);
}
