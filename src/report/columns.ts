// The tabular outputs' columns, declared once: name, kind and value. findings.csv and
// worklist.csv render them as text, findings.parquet and worklist.parquet as typed columns
// (money as DECIMAL(18,2) dollars, dates as DATE, ids as strings).
import type { Finding } from '../model/index.js';
import { denialText, sourcePosition } from '../view/format.js';
import type { WorklistRow } from '../view/worklist.js';

/** integer and number: as they are; money: US dollars to the cent; date: YYYY-MM-DD; text: as written. */
export type ColumnKind = 'integer' | 'number' | 'money' | 'text' | 'date';

export interface Column<R> {
  /** The CSV header and the Parquet column name. */
  name: string;
  kind: ColumnKind;
  /** The header people read (the workbook's), and the width of its column in characters. */
  title: string;
  width: number;
  /** Long text the workbook wraps within its width. */
  wrap?: true;
  value: (row: R) => string | number | null;
}

/** A finding in the ranking: its rank, and its line's dollars when it is the line's first-ranked finding (else null). */
export interface RankedFindingRow {
  finding: Finding;
  rank: number;
  lineDollars: number | null;
}

/** Findings in rank order as ranked rows: their rank, and the line's dollars on a line's first-ranked finding (Finding.lineDollars, set by the ranking). */
export function* rankedRows(findings: Iterable<Finding>): Generator<RankedFindingRow> {
  let rank = 0;
  for (const finding of findings) yield { finding, rank: ++rank, lineDollars: finding.lineDollars ?? null };
}

/** An 11-digit NDC as 5-4-2 with hyphens: readable, and a spreadsheet keeps its leading zeros. */
export const ndc542 = (ndc: string | null) => (ndc !== null && /^\d{11}$/.test(ndc) ? `${ndc.slice(0, 5)}-${ndc.slice(5, 9)}-${ndc.slice(9)}` : ndc);

const f = (name: string, kind: ColumnKind, title: string, width: number, value: (finding: Finding) => string | number | null): Column<RankedFindingRow> => ({ name, kind, title, width, value: (r) => value(r.finding) });

export const FINDINGS_COLUMNS: readonly Column<RankedFindingRow>[] = [
  { name: 'rank', kind: 'integer', title: 'Rank', width: 6, value: (r) => r.rank },
  // The line's dollars, on its first-ranked finding only: the column a spreadsheet sums to the headline.
  { name: 'dollars_at_risk', kind: 'money', title: 'Dollars at risk (line)', width: 13, value: (r) => r.lineDollars },
  // This finding's own amount: a line with several findings has several, so these add up to more.
  f('finding_dollars', 'money', 'Finding dollars', 13, (x) => x.dollarsAtRisk),
  f('dollar_category', 'text', 'Category', 12, (x) => x.dollarCategory),
  f('dollar_basis', 'text', 'Basis', 13, (x) => x.dollarBasis),
  f('severity', 'text', 'Severity', 9, (x) => x.severity),
  f('confidence', 'text', 'Confidence', 10, (x) => x.confidence),
  f('rule_id', 'text', 'Rule', 28, (x) => x.ruleId),
  f('owner', 'text', 'Owner', 14, (x) => x.owner),
  f('carc', 'text', 'CARC', 16, (x) => denialText(x.denial, { rarc: false }) || null),
  f('rarc', 'text', 'RARC', 8, (x) => x.denial.rarc),
  f('claim_id', 'text', 'Claim', 16, (x) => x.claimId),
  f('line_number', 'integer', 'Line', 6, (x) => x.lineNumber),
  f('service_date', 'date', 'Service date', 12, (x) => x.serviceDate),
  f('hcpcs', 'text', 'Code', 8, (x) => x.code),
  f('modifiers', 'text', 'Modifiers', 10, (x) => x.modifiers.join(':')),
  f('units', 'number', 'Units', 8, (x) => x.units),
  f('billed_charge', 'money', 'Billed', 12, (x) => x.billedCharge),
  f('expected_payment', 'money', 'Expected payment', 13, (x) => x.expectedPayment),
  f('ndc', 'text', 'NDC', 14, (x) => ndc542(x.ndc)),
  f('ndc_quantity', 'number', 'NDC quantity', 10, (x) => x.ndcQuantity),
  f('ndc_unit', 'text', 'NDC unit', 8, (x) => x.ndcUnit),
  f('payer_class', 'text', 'Payer class', 12, (x) => x.payerClass),
  f('payer_name', 'text', 'Payer', 22, (x) => x.payerName),
  f('setting', 'text', 'Setting', 14, (x) => x.setting),
  f('billing_npi', 'text', 'Billing NPI', 12, (x) => x.billingNpi),
  f('member_id', 'text', 'Member', 14, (x) => x.memberId),
  { ...f('message', 'text', 'Message', 60, (x) => x.message), wrap: true },
  { ...f('remediation', 'text', 'Fix', 50, (x) => x.remediation), wrap: true },
  f('source_file', 'text', 'Source file', 30, (x) => x.sourceRef.file),
  f('source_position', 'text', 'Position', 22, (x) => sourcePosition(x.sourceRef, { byte: 'parentheses' })),
  f('finding_id', 'text', 'Finding id', 18, (x) => x.id),
  f('status', 'text', 'Status', 10, (x) => x.status ?? null),
];

export const WORKLIST_COLUMNS: readonly Column<WorklistRow>[] = [
  { name: 'rank', kind: 'integer', title: 'Rank', width: 6, value: (r) => r.rank },
  { name: 'claim_id', kind: 'text', title: 'Claim', width: 16, value: (r) => r.claimId },
  { name: 'line_number', kind: 'integer', title: 'Line', width: 6, value: (r) => r.lineNumber },
  { name: 'dollars', kind: 'money', title: 'Dollars', width: 13, value: (r) => r.dollars },
  { name: 'denial', kind: 'money', title: 'Denied', width: 12, value: (r) => r.byCategory.denial || null },
  { name: 'returned', kind: 'money', title: 'Returned', width: 12, value: (r) => r.byCategory.returned || null },
  { name: 'underbilling', kind: 'money', title: 'Underbilled', width: 12, value: (r) => r.byCategory.underbilling || null },
  { name: 'overpayment', kind: 'money', title: 'Overpaid', width: 12, value: (r) => r.byCategory.overpayment || null },
  { name: 'status', kind: 'text', title: 'Status', width: 10, value: (r) => r.status },
  { name: 'first_seen', kind: 'date', title: 'First seen', width: 11, value: (r) => r.firstSeen },
  { name: 'owner', kind: 'text', title: 'Owner', width: 14, value: (r) => r.owner },
  { name: 'also_owners', kind: 'text', title: 'Also', width: 14, value: (r) => r.owners.filter((o) => o !== r.owner).join(', ') || null },
  { name: 'aging_days', kind: 'integer', title: 'Aging (days)', width: 8, value: (r) => r.agingDays },
  // The team's columns: typed in the workbook or the CSV, read back by finding id the next night (--worklist-notes).
  { name: 'assignee', kind: 'text', title: 'Assignee', width: 14, value: (r) => r.assignee },
  { name: 'work_status', kind: 'text', title: 'Work status', width: 12, value: (r) => r.workStatus },
  { name: 'note', kind: 'text', title: 'Note', width: 30, wrap: true, value: (r) => r.note },
  { name: 'severity', kind: 'text', title: 'Severity', width: 9, value: (r) => r.severity },
  { name: 'service_date', kind: 'date', title: 'Service date', width: 12, value: (r) => r.serviceDate },
  { name: 'hcpcs', kind: 'text', title: 'Code', width: 8, value: (r) => r.code },
  { name: 'drug', kind: 'text', title: 'Drug', width: 28, value: (r) => r.drug },
  { name: 'modifiers', kind: 'text', title: 'Modifiers', width: 10, value: (r) => r.modifiers.join(':') },
  { name: 'units', kind: 'number', title: 'Units', width: 8, value: (r) => r.units },
  { name: 'ndc', kind: 'text', title: 'NDC', width: 14, value: (r) => ndc542(r.ndc) },
  { name: 'billed_charge', kind: 'money', title: 'Billed', width: 12, value: (r) => r.billedCharge },
  { name: 'expected_payment', kind: 'money', title: 'Expected payment', width: 13, value: (r) => r.expectedPayment },
  { name: 'dollar_basis', kind: 'text', title: 'Basis', width: 13, value: (r) => r.dollarBasis },
  { name: 'carc', kind: 'text', title: 'CARC', width: 16, value: (r) => r.carc },
  { name: 'rarc', kind: 'text', title: 'RARC', width: 8, value: (r) => r.rarc },
  { name: 'payer_class', kind: 'text', title: 'Payer class', width: 12, value: (r) => r.payerClass },
  { name: 'payer_name', kind: 'text', title: 'Payer', width: 22, value: (r) => r.payerName },
  { name: 'billing_npi', kind: 'text', title: 'Billing NPI', width: 12, value: (r) => r.billingNpi },
  { name: 'billing_name', kind: 'text', title: 'Billing provider', width: 24, value: (r) => r.billingName },
  { name: 'member_id', kind: 'text', title: 'Member', width: 14, value: (r) => r.memberId },
  { name: 'findings', kind: 'text', title: 'Findings', width: 60, wrap: true, value: (r) => r.findings.map((x) => `${x.title}: ${x.message}`).join(' | ') },
  { name: 'first_step', kind: 'text', title: 'First step', width: 50, wrap: true, value: (r) => r.firstStep },
  { name: 'rule_ids', kind: 'text', title: 'Rules', width: 30, value: (r) => r.findings.map((x) => x.ruleId).join(' ') },
  { name: 'source_file', kind: 'text', title: 'Source file', width: 30, value: (r) => r.sourceFile },
  { name: 'source_position', kind: 'text', title: 'Position', width: 22, value: (r) => r.sourcePosition },
  { name: 'finding_ids', kind: 'text', title: 'Finding ids', width: 20, value: (r) => r.findings.map((x) => x.id).join(' ') },
  { name: 'last_seen', kind: 'date', title: 'Last seen', width: 11, value: (r) => r.lastSeen?.date ?? null },
  // From a matched 835: what the payer did with the line, on what date, with which codes.
  { name: 'payer_outcome', kind: 'text', title: 'Payer outcome', width: 12, value: (r) => r.payer?.outcome ?? null },
  { name: 'payer_date', kind: 'date', title: 'Paid/denied on', width: 12, value: (r) => r.payer?.date ?? null },
  { name: 'payer_codes', kind: 'text', title: 'Payer codes', width: 18, value: (r) => (r.payer ? [...r.payer.carcs, ...r.payer.rarcs].join(' ') || null : null) },
  { name: 'payer_adjusted', kind: 'money', title: 'Taken by payer', width: 12, value: (r) => r.payer?.adjusted ?? null },
  { name: 'last_run', kind: 'text', title: 'Last run', width: 24, value: (r) => r.lastSeen?.run ?? null },
];
