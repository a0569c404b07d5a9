// findings.csv: one row per finding in rank order, RFC 4180, UTF-8, a fixed column order
// (README, "findings.csv"). Cells a spreadsheet would run as a formula are neutralised.
import type { Finding } from '../model/index.js';
import { denialText, sourcePosition } from './format.js';
import { lineDollars, type WorklistRow } from './worklist.js';

export const FINDINGS_CSV_COLUMNS = [
  'rank',
  'dollars_at_risk',
  'line_dollars',
  'dollar_category',
  'dollar_basis',
  'severity',
  'confidence',
  'rule_id',
  'owner',
  'carc',
  'rarc',
  'claim_id',
  'line_number',
  'service_date',
  'hcpcs',
  'modifiers',
  'units',
  'billed_charge',
  'expected_payment',
  'ndc',
  'ndc_quantity',
  'ndc_unit',
  'payer_class',
  'payer_name',
  'setting',
  'billing_npi',
  'member_id',
  'message',
  'remediation',
  'source_file',
  'source_position',
  'finding_id',
] as const;

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

/** An 11-digit NDC as 5-4-2 with hyphens: readable, and a spreadsheet keeps its leading zeros. */
export const ndc542 = (ndc: string | null) => (ndc !== null && /^\d{11}$/.test(ndc) ? `${ndc.slice(0, 5)}-${ndc.slice(5, 9)}-${ndc.slice(9)}` : ndc);


/** A finding's row; `lineDollars`: its line's dollars when it is the line's first-ranked finding, else null. */
export function findingRow(f: Finding, rank: number, lineDollars: number | null = null): CsvValue[] {
  return [
    rank,
    money(f.dollarsAtRisk),
    money(lineDollars),
    f.dollarCategory,
    f.dollarBasis,
    f.severity,
    f.confidence,
    f.ruleId,
    f.owner,
    denialText(f.denial, { rarc: false }) || null,
    f.denial.rarc,
    f.claimId,
    f.lineNumber,
    f.serviceDate,
    f.code,
    f.modifiers.join(':'),
    f.units,
    money(f.billedCharge),
    money(f.expectedPayment),
    ndc542(f.ndc),
    f.ndcQuantity,
    f.ndcUnit,
    f.payerClass,
    f.payerName,
    f.setting,
    f.billingNpi,
    f.memberId,
    f.message,
    f.remediation,
    f.sourceRef.file,
    sourcePosition(f.sourceRef, { byte: 'parentheses' }),
    f.id,
  ];
}

/** The header row; a UTF-8 BOM first for Excel. */
export function findingsCsvHeader(options: { excel: boolean }): string {
  return `${options.excel ? '\uFEFF' : ''}${csvRow(FINDINGS_CSV_COLUMNS)}`;
}

/**
 * findings.csv's text for ranked findings, row by row: the writer the audit and the tests use.
 * A line's first finding in the ranking is its largest, so it carries the line's dollars in
 * line_dollars and its other findings none: the column sums to the headline.
 */
export function* findingsCsv(findings: Iterable<Finding>, options: { excel: boolean }): Generator<string> {
  yield findingsCsvHeader(options);
  let rank = 0;
  const lineDollarsOf = lineDollars();
  for (const finding of findings) yield csvRow(findingRow(finding, ++rank, lineDollarsOf(finding)));
}

export const WORKLIST_CSV_COLUMNS = [
  'rank',
  'dollars',
  'denial',
  'returned',
  'underbilling',
  'overpayment',
  'status',
  'first_seen',
  'owner',
  'severity',
  'claim_id',
  'line_number',
  'service_date',
  'hcpcs',
  'drug',
  'modifiers',
  'units',
  'payer_class',
  'payer_name',
  'billing_npi',
  'billing_name',
  'member_id',
  'findings',
  'first_step',
  'rule_ids',
  'source_file',
  'source_position',
  'finding_ids',
] as const;

/** One worklist row as CSV values (the same values the XLSX worklist holds). */
export function worklistValues(r: WorklistRow): CsvValue[] {
  return [
    r.rank,
    money(r.dollars),
    money(r.byCategory.denial),
    money(r.byCategory.returned),
    money(r.byCategory.underbilling),
    money(r.byCategory.overpayment),
    r.status,
    r.firstSeen,
    r.owners.join(', '),
    r.severity,
    r.claimId,
    r.lineNumber,
    r.serviceDate,
    r.code,
    r.drug,
    r.modifiers.join(':'),
    r.units,
    r.payerClass,
    r.payerName,
    r.billingNpi,
    r.billingName,
    r.memberId,
    r.findings.map((f) => `${f.title}: ${f.message}`).join(' | '),
    r.firstStep,
    r.findings.map((f) => f.ruleId).join(' '),
    r.sourceFile,
    r.sourcePosition,
    r.findings.map((f) => f.id).join(' '),
  ];
}

/** worklist.csv's text, row by row. */
export function* worklistCsv(rows: Iterable<WorklistRow>, options: { excel: boolean }): Generator<string> {
  yield `${options.excel ? '\uFEFF' : ''}${csvRow(WORKLIST_CSV_COLUMNS)}`;
  for (const row of rows) yield csvRow(worklistValues(row));
}
