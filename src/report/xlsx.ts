// findings.xlsx, with the project's streaming writer (xlsx-writer.ts: rows are written as they
// come, so a large worklist does not sit in memory twice): sheets Summary, Worklist, Findings,
// Suppressed.
// Money and dates are typed as numbers and dates; claim ids, NPIs, NDCs and member ids as text
// (leading zeros and 13-digit ids survive); text that a spreadsheet would run as a formula is
// neutralised; worklist rows link to the report's anchors, within Excel's per-sheet limit; rows
// stop at Excel's limit with a note pointing to the CSV files.
import type { Finding } from '../model/index.js';
import { denialText } from './format.js';
import type { ReportView } from './view.js';
import { ndc542, neutraliseFormula } from './csv.js';
import { lineDollars, type SpooledWorklist } from './worklist.js';
import { WorkbookWriter, type CellValue, type RichCell, type SheetColumn } from './xlsx-writer.js';

/** Excel's rows per sheet. */
export const EXCEL_MAX_ROWS = 1_048_576;
/** Excel's hyperlinks per sheet. */
export const EXCEL_MAX_LINKS = 65_530;

/** Text a spreadsheet could run as a formula gets a leading apostrophe, as in the CSV files. */
export const safeText = (value: string | null | undefined): string | null => (value === null || value === undefined ? null : neutraliseFormula(value));

/** A date as a spreadsheet date (midnight UTC), or null. */
const dateCell = (iso: string | null) => (iso === null ? null : new Date(`${iso}T00:00:00Z`));

interface Column {
  header: string;
  key: string;
  width: number;
  kind?: 'money' | 'date' | 'text' | 'number';
}

const sheetColumns = (columns: readonly Column[]): SheetColumn[] => columns.map((c) => ({ header: c.header, width: c.width, ...(c.kind === 'money' ? { style: 'money' as const } : c.kind === 'date' ? { style: 'date' as const } : c.kind === 'text' ? { style: 'text' as const } : {}) }));

/** A row's cells in the columns' order, from values by key. */
const cellsOf = (columns: readonly Column[], values: Record<string, CellValue | RichCell>) => columns.map((c) => values[c.key] ?? null);

const WORKLIST_COLUMNS: Column[] = [
  { header: 'Rank', key: 'rank', width: 6, kind: 'number' },
  { header: 'Dollars', key: 'dollars', width: 13, kind: 'money' },
  { header: 'Denied', key: 'denial', width: 12, kind: 'money' },
  { header: 'Returned', key: 'returned', width: 12, kind: 'money' },
  { header: 'Underbilled', key: 'underbilling', width: 12, kind: 'money' },
  { header: 'Overpaid', key: 'overpayment', width: 12, kind: 'money' },
  { header: 'Status', key: 'status', width: 10 },
  { header: 'First seen', key: 'firstSeen', width: 11, kind: 'date' },
  { header: 'Owner', key: 'owner', width: 16 },
  { header: 'Severity', key: 'severity', width: 9 },
  { header: 'Claim', key: 'claimId', width: 16, kind: 'text' },
  { header: 'Line', key: 'lineNumber', width: 6, kind: 'number' },
  { header: 'Service date', key: 'serviceDate', width: 12, kind: 'date' },
  { header: 'Code', key: 'code', width: 8, kind: 'text' },
  { header: 'Drug', key: 'drug', width: 28 },
  { header: 'Modifiers', key: 'modifiers', width: 10, kind: 'text' },
  { header: 'Units', key: 'units', width: 8, kind: 'number' },
  { header: 'Payer class', key: 'payerClass', width: 12 },
  { header: 'Payer', key: 'payerName', width: 22 },
  { header: 'Billing NPI', key: 'billingNpi', width: 12, kind: 'text' },
  { header: 'Billing provider', key: 'billingName', width: 24 },
  { header: 'Member', key: 'memberId', width: 14, kind: 'text' },
  { header: 'Findings', key: 'findings', width: 60 },
  { header: 'First step', key: 'firstStep', width: 50 },
  { header: 'Rules', key: 'rules', width: 30 },
  { header: 'Source file', key: 'sourceFile', width: 30 },
  { header: 'Position', key: 'sourcePosition', width: 22 },
];

const FINDING_COLUMNS: Column[] = [
  { header: 'Rank', key: 'rank', width: 6, kind: 'number' },
  { header: 'Dollars', key: 'dollars', width: 13, kind: 'money' },
  { header: 'Line dollars', key: 'lineDollars', width: 13, kind: 'money' },
  { header: 'Category', key: 'category', width: 12 },
  { header: 'Status', key: 'status', width: 10 },
  { header: 'Severity', key: 'severity', width: 9 },
  { header: 'Rule', key: 'ruleId', width: 28 },
  { header: 'Owner', key: 'owner', width: 14 },
  { header: 'Denial code', key: 'denial', width: 14 },
  { header: 'Claim', key: 'claimId', width: 16, kind: 'text' },
  { header: 'Line', key: 'lineNumber', width: 6, kind: 'number' },
  { header: 'Service date', key: 'serviceDate', width: 12, kind: 'date' },
  { header: 'Code', key: 'code', width: 8, kind: 'text' },
  { header: 'NDC', key: 'ndc', width: 14, kind: 'text' },
  { header: 'Payer', key: 'payerName', width: 22 },
  { header: 'Billing NPI', key: 'billingNpi', width: 12, kind: 'text' },
  { header: 'Member', key: 'memberId', width: 14, kind: 'text' },
  { header: 'Message', key: 'message', width: 60 },
  { header: 'Fix', key: 'remediation', width: 50 },
  { header: 'Finding id', key: 'id', width: 18, kind: 'text' },
];

const SUPPRESSED_COLUMNS: Column[] = [
  { header: 'Dollars', key: 'dollars', width: 13, kind: 'money' },
  { header: 'Rule', key: 'ruleId', width: 28 },
  { header: 'Claim', key: 'claimId', width: 16, kind: 'text' },
  { header: 'Line', key: 'lineNumber', width: 6, kind: 'number' },
  { header: 'Message', key: 'message', width: 60 },
  { header: 'Reason', key: 'reason', width: 30 },
  { header: 'Owner', key: 'owner', width: 16 },
  { header: 'Until', key: 'expires', width: 11, kind: 'date' },
  { header: 'Finding id', key: 'id', width: 18, kind: 'text' },
];

/** Writes findings.xlsx to `path`; `findings` are every finding in rank order (read once). */
export async function writeXlsx(path: string, view: ReportView, worklist: SpooledWorklist, findings: Iterable<Finding>, suppressed: readonly Finding[], reportFile = 'report.html'): Promise<void> {
  const workbook = await WorkbookWriter.open(path, view.manifest.tool.name, ['Summary', 'Worklist', 'Findings', 'Suppressed']);
  const room = EXCEL_MAX_ROWS - 2;

  await workbook.sheet(
    sheetColumns([
      { header: 'What', key: 'what', width: 44 },
      { header: 'Value', key: 'value', width: 22 },
    ]),
    async (summary) => {
      const t = view.findingTotals;
      const put = (what: string, value: number | string | null, kind?: 'money') => summary.row([what, kind === 'money' ? { value, style: 'money' } : value]);
      await put('Dollars at risk (each line once)', t.dollarsAtRisk, 'money');
      await put('Denied', t.byCategory.denial.dollars, 'money');
      await put('Returned (delayed)', t.byCategory.returned.dollars, 'money');
      await put('Underbilled', t.byCategory.underbilling.dollars, 'money');
      await put('Overpaid', t.byCategory.overpayment.dollars, 'money');
      if (t.byCategory.compliance.lines > 0) await put('Compliance exposure (paid the same; not at risk)', t.byCategory.compliance.exposure ?? 0, 'money');
      await put('Claim lines to work', worklist.count);
      await put('Findings', t.findings);
      await put('Claims affected', t.claimsAffected);
      if (view.history) {
        await put('New since the last run', view.history.byStatus.new.findings);
        await put('Resolved since the last run', view.history.byStatus.resolved.findings + view.history.byStatus.voided.findings);
        await put('Still open from earlier runs', view.history.carried.findings);
      }
      if (view.suppressions) await put('Suppressed findings', view.suppressions.findings);
      await put('Reference pack', view.manifest.reference.pack.version);
      if (worklist.count > room) await put('Rows beyond Excel\u2019s limit', `${worklist.count - room} (see worklist.csv)`);
    },
  );

  await workbook.sheet(sheetColumns(WORKLIST_COLUMNS), async (ws) => {
    let links = 0;
    let written = 0;
    for (const r of worklist.rows()) {
      if (written++ >= room) break;
      const rules = r.findings.map((f) => f.ruleId).join(' ');
      await ws.row(
        cellsOf(WORKLIST_COLUMNS, {
          rank: r.rank,
          dollars: r.dollars,
          denial: r.byCategory.denial,
          returned: r.byCategory.returned,
          underbilling: r.byCategory.underbilling,
          overpayment: r.byCategory.overpayment,
          status: r.status,
          firstSeen: dateCell(r.firstSeen),
          owner: r.owners.join(', '),
          severity: r.severity,
          claimId: safeText(r.claimId),
          lineNumber: r.lineNumber,
          serviceDate: dateCell(r.serviceDate),
          code: safeText(r.code),
          drug: safeText(r.drug),
          modifiers: r.modifiers.join(':'),
          units: r.units,
          payerClass: r.payerClass,
          payerName: safeText(r.payerName),
          billingNpi: safeText(r.billingNpi),
          billingName: safeText(r.billingName),
          memberId: safeText(r.memberId),
          findings: safeText(r.findings.map((f) => `${f.title}: ${f.message}`).join(' | ')),
          firstStep: safeText(r.firstStep),
          // The rule's page in the report, for the top finding (within Excel's hyperlink limit).
          rules: links++ < EXCEL_MAX_LINKS ? { value: rules, link: `${reportFile}#rule-${r.findings[0]!.ruleId}` } : rules,
          sourceFile: safeText(r.sourceFile),
          sourcePosition: r.sourcePosition,
        }),
      );
    }
  });

  await workbook.sheet(sheetColumns(FINDING_COLUMNS), async (fs) => {
    const lineDollarsOf = lineDollars();
    let rank = 0;
    let omitted = 0;
    for (const f of findings) {
      rank++;
      if (rank > room) {
        omitted++;
        continue;
      }
      await fs.row(
        cellsOf(FINDING_COLUMNS, {
          rank,
          dollars: f.dollarsAtRisk,
          lineDollars: lineDollarsOf(f),
          category: f.dollarCategory,
          status: f.status ?? null,
          severity: f.severity,
          ruleId: f.ruleId,
          owner: f.owner,
          denial: denialText(f.denial) || null,
          claimId: safeText(f.claimId),
          lineNumber: f.lineNumber,
          serviceDate: dateCell(f.serviceDate),
          code: safeText(f.code),
          ndc: safeText(ndc542(f.ndc)),
          payerName: safeText(f.payerName),
          billingNpi: safeText(f.billingNpi),
          memberId: safeText(f.memberId),
          message: safeText(f.message),
          remediation: safeText(f.remediation),
          id: f.id,
        }),
      );
    }
    if (omitted > 0) await fs.row(cellsOf(FINDING_COLUMNS, { message: `${omitted} more findings than Excel's ${EXCEL_MAX_ROWS.toLocaleString('en-US')} rows: findings.csv has them all` }));
  });

  await workbook.sheet(sheetColumns(SUPPRESSED_COLUMNS), async (ss) => {
    for (const f of suppressed) {
      await ss.row(
        cellsOf(SUPPRESSED_COLUMNS, {
          dollars: f.dollarsAtRisk,
          ruleId: f.ruleId,
          claimId: safeText(f.claimId),
          lineNumber: f.lineNumber,
          message: safeText(f.message),
          reason: safeText(f.suppression?.reason),
          owner: safeText(f.suppression?.owner),
          expires: dateCell(f.suppression?.expires ?? null),
          id: f.id,
        }),
      );
    }
  });
  await workbook.close();
}
