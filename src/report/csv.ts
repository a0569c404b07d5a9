// findings.csv: one row per finding in rank order, RFC 4180, UTF-8, a fixed column order
// (README, "findings.csv"). Cells a spreadsheet would run as a formula are neutralised.
import type { Finding } from '../model/index.js';
import { denialText, sourcePosition } from './format.js';

export const FINDINGS_CSV_COLUMNS = [
  'rank',
  'dollars_at_risk',
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

/** One CSV cell: neutralised (a leading apostrophe makes it text), then quoted per RFC 4180. */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  let text = typeof value === 'number' ? String(value) : value;
  if (typeof value === 'string' && FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** Money with two decimals, no thousands separator. */
export const money = (n: number | null) => (n === null ? null : n.toFixed(2));

/** An 11-digit NDC as 5-4-2 with hyphens: readable, and a spreadsheet keeps its leading zeros. */
export const ndc542 = (ndc: string | null) => (ndc !== null && /^\d{11}$/.test(ndc) ? `${ndc.slice(0, 5)}-${ndc.slice(5, 9)}-${ndc.slice(9)}` : ndc);


export function findingRow(f: Finding, rank: number): CsvValue[] {
  return [
    rank,
    money(f.dollarsAtRisk),
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

/** findings.csv's text for ranked findings, row by row: the writer the audit and the tests use. */
export function* findingsCsv(findings: Iterable<Finding>, options: { excel: boolean }): Generator<string> {
  yield findingsCsvHeader(options);
  let rank = 0;
  for (const finding of findings) yield csvRow(findingRow(finding, ++rank));
}
