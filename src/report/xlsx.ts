// findings.xlsx, with the project's streaming writer (xlsx-writer.ts: rows are written as they
// come, so a large worklist does not sit in memory twice): sheets Summary, Worklist, Findings,
// Suppressed.
// Money and dates are typed as numbers and dates; claim ids, NPIs, NDCs and member ids as text
// (leading zeros and 13-digit ids survive); text that a spreadsheet would run as a formula is
// neutralised; worklist rows link to the report's anchors, within Excel's per-sheet limit; rows
// stop at Excel's limit with a note pointing to the CSV files.
import type { Finding } from '../model/index.js';
import { FINDINGS_COLUMNS, rankedRows, WORKLIST_COLUMNS, type Column as DeclaredColumn, type ColumnKind } from './columns.js';
import type { ReportView } from '../view/view.js';
import { neutraliseFormula } from './csv.js';
import { denialText } from '../view/format.js';
import type { SpooledWorklist, WorklistRow } from '../view/worklist.js';
import { AGING_BUCKETS } from '../history/trend-point.js';
import { WorkbookWriter, type CellValue, type RichCell, type SheetColumn } from './xlsx-writer.js';

/** Excel's rows per sheet. */
export const EXCEL_MAX_ROWS = 1_048_576;
/** Excel's hyperlinks per sheet. */
export const EXCEL_MAX_LINKS = 65_530;

/** Text a spreadsheet could run as a formula gets a leading apostrophe, as in the CSV files. */
export const safeText = (value: string | null | undefined): string | null => (value === null || value === undefined ? null : neutraliseFormula(value));

/** A date as a spreadsheet date (midnight UTC), or null. */
const dateCell = (iso: string | null) => (iso === null ? null : new Date(`${iso}T00:00:00Z`));

/** The Suppressed and Summary sheets' own columns (the Worklist and Findings sheets take columns.ts's). */
interface Column {
  header: string;
  key: string;
  width: number;
  kind?: 'money' | 'date' | 'text' | 'number' | 'wrap';
}

/** A declared column (columns.ts) as a sheet column: its title, width and the style of its kind. */
const declaredSheet = <R>(columns: readonly DeclaredColumn<R>[]): SheetColumn[] =>
  columns.map((c) => ({ header: c.title, width: c.width, ...(c.kind === 'money' ? { style: 'money' as const } : c.kind === 'date' ? { style: 'date' as const } : c.wrap ? { style: 'wrap' as const } : c.kind === 'text' ? { style: 'text' as const } : {}) }));

/** The worklist's sheets keep the rank, the claim and the line in view as they scroll right. */
const WORKLIST_FROZEN = WORKLIST_COLUMNS.findIndex((c) => c.name === 'line_number') + 1;

/** A declared column's value as a cell: numbers as numbers, dates as dates, text neutralised. */
function declaredCell(kind: ColumnKind, value: string | number | null): CellValue {
  if (value === null) return null;
  switch (kind) {
    case 'money':
    case 'integer':
    case 'number':
      return typeof value === 'number' ? value : Number(value);
    case 'date':
      return dateCell(String(value));
    case 'text':
      return safeText(String(value));
  }
}

/** A row of declared columns; `links` turns a column's cell into a link (while `linking()` allows). */
function declaredRow<R>(columns: readonly DeclaredColumn<R>[], row: R, links: Partial<Record<string, (row: R) => string>> = {}, linking = () => true): Array<CellValue | RichCell> {
  return columns.map((c) => {
    const value = declaredCell(c.kind, c.value(row));
    const link = links[c.name];
    return link && value !== null && linking() ? { value, link: link(row) } : value;
  });
}

const sheetColumns = (columns: readonly Column[]): SheetColumn[] => columns.map((c) => ({ header: c.header, width: c.width, ...(c.kind === 'money' ? { style: 'money' as const } : c.kind === 'date' ? { style: 'date' as const } : c.kind === 'text' ? { style: 'text' as const } : c.kind === 'wrap' ? { style: 'wrap' as const } : {}) }));

/** A row's cells in the columns' order, from values by key. */
const cellsOf = (columns: readonly Column[], values: Record<string, CellValue | RichCell>) => columns.map((c) => values[c.key] ?? null);

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

/** An owner queue's sheet: "Queue pharmacy" (Excel's sheet names allow 31 characters, no : \\ / ? * [ ]). */
const queueSheetName = (owner: string) => `Queue ${owner}`.slice(0, 31);

/** Writes findings.xlsx to `path`; `findings` are every finding in rank order (read once). */
export async function writeXlsx(path: string, view: ReportView, worklist: SpooledWorklist, findings: Iterable<Finding>, suppressed: readonly Finding[], reportFile = 'report.html'): Promise<void> {
  // A sheet per owner queue after the whole worklist: each queue's lines (its top finding's owner), in rank order.
  const queues = (view.owners ?? []).map((q) => q.owner);
  const trends = view.trends ?? [];
  const workbook = await WorkbookWriter.open(path, view.manifest.tool.name, ['Summary', ...(trends.length > 0 ? ['Trends'] : []), 'Worklist', ...queues.map(queueSheetName), 'Findings', 'Suppressed', ...(view.calibration ? ['Calibration'] : []), 'Rules']);
  const room = EXCEL_MAX_ROWS - 2;
  const rules = view.rules;
  const ruleRow = new Map(rules.map((r, i) => [r.id, i + 2]));

  await workbook.sheet(
    sheetColumns([
      { header: 'What', key: 'what', width: 44 },
      { header: 'Value', key: 'value', width: 22 },
    ]),
    async (summary) => {
      const t = view.findingTotals;
      const put = (what: string, value: number | string | null, kind?: 'money') => summary.row([what, kind === 'money' ? { value, style: 'money' } : value]);
      const o = view.open;
      if (o?.byStatus) {
        // With history the worklist holds every open line: its sum is the headline.
        await put('Open dollars (every worklist line once)', o.dollars, 'money');
        await put('  of which firm (errors priced at CMS rates)', o.firm, 'money');
        await put('  of which to review (warnings; lines priced at the billed charge)', o.toReview, 'money');
        await put(`  new tonight (${o.byStatus.new.lines} line${o.byStatus.new.lines === 1 ? '' : 's'})`, o.byStatus.new.dollars, 'money');
        await put(`  changed (${o.byStatus.updated.lines} line${o.byStatus.updated.lines === 1 ? '' : 's'})`, o.byStatus.updated.dollars, 'money');
        const still = o.byStatus.unchanged.lines + o.byStatus.carried.lines;
        await put(`  still open (${still} line${still === 1 ? '' : 's'}; ${o.byStatus.carried.lines} not in tonight's files)`, o.byStatus.unchanged.dollars + o.byStatus.carried.dollars, 'money');
      }
      await put(o?.byStatus ? "Tonight's audit: dollars at risk (each line once)" : 'Dollars at risk (each line once)', t.dollarsAtRisk, 'money');
      if (!o?.byStatus) {
        await put('  of which firm (errors priced at CMS rates)', t.firm, 'money');
        await put('  of which to review (warnings; lines priced at the billed charge)', t.toReview, 'money');
      }
      if (t.largestLine && t.largestLine.share > 0.25) await put(`  one line is ${Math.round(t.largestLine.share * 100)}% of it: claim ${safeText(t.largestLine.claimId)} line ${t.largestLine.lineNumber}, ${t.largestLine.ruleId}`, t.largestLine.dollars, 'money');
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
        await put('Resolved since the last run (dollars)', view.history.byStatus.resolved.dollars + view.history.byStatus.voided.dollars, 'money');
        await put('Still open from earlier runs (findings)', view.history.carried.findings);
      }
      if (view.suppressions) await put('Suppressed findings', view.suppressions.findings);
      for (const q of view.owners ?? []) await put(`Queue ${q.owner}: ${q.lines} line${q.lines === 1 ? '' : 's'}${q.newTonight ? `, ${q.newTonight} new tonight` : ''}${q.oldestOpen ? `, oldest open since ${q.oldestOpen}` : ''}`, q.dollars, 'money');
      await put('Reference pack', view.manifest.reference.pack.version);
      if (worklist.count > room) await put('Rows beyond Excel\u2019s limit', `${worklist.count - room} (see worklist.csv)`);
    },
  );

  if (trends.length > 0) {
    // A row a night, oldest first: what a manager charts (every night the history keeps).
    const owners = [...new Set(trends.flatMap((p) => Object.keys(p.owners ?? {})))].sort();
    const columns: Column[] = [
      { header: 'Night', key: 'date', width: 11, kind: 'date' },
      { header: 'Run', key: 'run', width: 24, kind: 'text' },
      { header: 'Open lines', key: 'openLines', width: 10, kind: 'number' },
      { header: 'Open dollars', key: 'openDollars', width: 14, kind: 'money' },
      { header: 'New lines', key: 'newLines', width: 10, kind: 'number' },
      { header: 'New dollars', key: 'newDollars', width: 14, kind: 'money' },
      { header: 'Resolved findings', key: 'resolvedFindings', width: 10, kind: 'number' },
      { header: 'Resolved dollars', key: 'resolvedDollars', width: 14, kind: 'money' },
      ...AGING_BUCKETS.map((b): Column => ({ header: `Open ${b} days`, key: `aging ${b}`, width: 13, kind: 'money' })),
      ...owners.map((o): Column => ({ header: `Queue ${o}`, key: `owner ${o}`, width: 14, kind: 'money' })),
    ];
    await workbook.sheet(sheetColumns(columns), async (ts) => {
      for (const p of trends) {
        await ts.row(
          cellsOf(columns, {
            date: dateCell(p.date),
            run: p.run,
            openLines: p.open.lines,
            openDollars: p.open.dollars,
            newLines: p.new.lines,
            newDollars: p.new.dollars,
            resolvedFindings: p.resolved.findings,
            resolvedDollars: p.resolved.dollars,
            ...Object.fromEntries(AGING_BUCKETS.map((b) => [`aging ${b}`, p.aging ? p.aging[b].dollars : null])),
            ...Object.fromEntries(owners.map((o) => [`owner ${o}`, p.owners ? (p.owners[o]?.dollars ?? 0) : null])),
          }),
        );
      }
    });
  }

  await workbook.sheet(declaredSheet(WORKLIST_COLUMNS), async (ws) => {
    let links = 0;
    let written = 0;
    // The top finding's rule on the workbook's Rules sheet: a link that holds wherever the file is saved (within Excel's hyperlink limit).
    const ruleLink = { rule_ids: (r: WorklistRow) => `#'Rules'!A${ruleRow.get(r.findings[0]!.ruleId) ?? 1}` };
    for (const r of worklist.rows()) {
      if (written++ >= room) break;
      await ws.row(declaredRow(WORKLIST_COLUMNS, r, ruleLink, () => links++ < EXCEL_MAX_LINKS));
    }
  }, { freezeColumns: WORKLIST_FROZEN });

  for (const owner of queues) {
    await workbook.sheet(declaredSheet(WORKLIST_COLUMNS), async (ws) => {
      let written = 0;
      for (const r of worklist.rows()) {
        if (r.owner !== owner) continue;
        if (written++ >= room) break;
        await ws.row(declaredRow(WORKLIST_COLUMNS, r));
      }
    }, { freezeColumns: WORKLIST_FROZEN });
  }

  await workbook.sheet(declaredSheet(FINDINGS_COLUMNS), async (fs) => {
    let omitted = 0;
    for (const row of rankedRows(findings)) {
      if (row.rank > room) {
        omitted++;
        continue;
      }
      await fs.row(declaredRow(FINDINGS_COLUMNS, row));
    }
    if (omitted > 0) {
      const note = FINDINGS_COLUMNS.map((c): CellValue => (c.name === 'message' ? `${omitted} more findings than Excel's ${EXCEL_MAX_ROWS.toLocaleString('en-US')} rows: findings.csv has them all` : null));
      await fs.row(note);
    }
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
  if (view.calibration) {
    // A row per rule, then per payer and rule: what payers did with the lines each rule flagged.
    const columns: Column[] = [
      { header: 'Scope', key: 'scope', width: 10, kind: 'text' },
      { header: 'Payer', key: 'payer', width: 24, kind: 'text' },
      { header: 'Rule', key: 'rule', width: 30, kind: 'text' },
      { header: 'With an outcome', key: 'outcomes', width: 10, kind: 'number' },
      { header: 'Denied', key: 'denied', width: 8, kind: 'number' },
      { header: 'Reduced', key: 'reduced', width: 8, kind: 'number' },
      { header: 'Paid', key: 'paid', width: 8, kind: 'number' },
      { header: 'Confirmed', key: 'confirmed', width: 10, kind: 'number' },
      { header: 'With the CARC it names', key: 'named', width: 10, kind: 'number' },
      { header: 'Precision', key: 'precision', width: 10, kind: 'number' },
      { header: 'Low (95%)', key: 'low', width: 10, kind: 'number' },
      { header: 'High (95%)', key: 'high', width: 10, kind: 'number' },
      { header: 'Predicted', key: 'predicted', width: 14, kind: 'money' },
      { header: 'Taken by payers', key: 'adjusted', width: 14, kind: 'money' },
    ];
    const c = view.calibration;
    await workbook.sheet(sheetColumns(columns), async (cs) => {
      for (const [scope, r] of [...c.rules.map((r) => ['rule', r] as const), ...c.payerRules.map((r) => ['payer-rule', r] as const)]) {
        await cs.row(cellsOf(columns, { scope, payer: safeText(r.payer ?? null), rule: r.ruleId, outcomes: r.outcomes, denied: r.denied, reduced: r.reduced, paid: r.paid, confirmed: r.confirmed, named: r.withNamedCarc, precision: r.precision, low: r.interval.low, high: r.interval.high, predicted: r.predictedDollars, adjusted: r.adjustedDollars }));
      }
    });
  }

  await workbook.sheet(sheetColumns(RULES_COLUMNS), async (rs) => {
    for (const rule of rules) {
      await rs.row(
        cellsOf(RULES_COLUMNS, {
          id: rule.id,
          title: rule.title,
          severity: rule.severity,
          category: rule.category,
          denial: denialText(rule.denial) || null,
          checks: ruleParagraph(rule.markdown, 'What it checks.'),
          why: ruleParagraph(rule.markdown, 'Why.'),
          page: { value: `${reportFile}#rule-${rule.id}`, link: `${reportFile}#rule-${rule.id}` },
        }),
      );
    }
  });
  await workbook.close();
}

/** The Rules sheet: every rule, what it checks, its denial codes; the worklist links to it. */
const RULES_COLUMNS: Column[] = [
  { header: 'Rule', key: 'id', width: 30, kind: 'text' },
  { header: 'Title', key: 'title', width: 40, kind: 'text' },
  { header: 'Severity', key: 'severity', width: 9, kind: 'text' },
  { header: 'Category', key: 'category', width: 14, kind: 'text' },
  { header: 'Denial code', key: 'denial', width: 18, kind: 'text' },
  { header: 'What it checks', key: 'checks', width: 70, kind: 'wrap' },
  { header: 'Why (sources)', key: 'why', width: 60, kind: 'wrap' },
  { header: 'Its page (report.html beside this file)', key: 'page', width: 36, kind: 'text' },
];

/** A paragraph of a rule's page as plain text: the one that starts with its bold label ("What it checks.", "Why."). */
function ruleParagraph(markdown: string | null, label: string): string | null {
  if (markdown === null) return null;
  const paragraph = markdown
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .find((p) => p.startsWith(`**${label}**`));
  return paragraph ? safeText(paragraph.slice(label.length + 4).replace(/\s+/g, ' ').replace(/\[([^\]]+)\]\([^)]+\)/g, '$1').replace(/[*_`]/g, '').trim()) : null;
}
