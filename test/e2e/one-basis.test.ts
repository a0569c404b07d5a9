// One dollar basis everywhere: a line counted once, at its largest amount. On the samples, over
// two nights of history, every view of the run sums to its headline. The open dollars (the
// report's headline with --history: every line on the worklist, tonight's and those still open
// from earlier runs): worklist.csv's dollars, the owner queues, the report's headline and cards,
// the workbook's Summary, the CLI's "Open" line. Tonight's audit: findings.csv's dollars_at_risk,
// every group table of summary.json (a rule's rows by the line's top-ranked rule), the workbook's
// and the CLI's "at risk" lines.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { readWorkbook } from '../support/xlsx.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const cents = (n: number) => Math.round(n * 100);

function columnCents(path: string, column: string): number {
  const rows = parse(readFileSync(path, 'utf8'), { columns: true }) as Record<string, string>[];
  return rows.reduce((n, r) => n + cents(Number(r[column] || 0)), 0);
}

interface Summary {
  findingTotals: { dollarsAtRisk: number };
  open: { dollars: number; lines: number; firm: number; toReview: number; byStatus: Record<'new' | 'updated' | 'unchanged' | 'carried', { lines: number; dollars: number }> };
  groups: Record<'rule' | 'payer' | 'code' | 'provider' | 'month', Array<{ key: string; dollarsAtRisk: number; attributedDollars?: number }>>;
  owners: Array<{ owner: string; dollars: number; lines: number }>;
  history?: { byStatus: Record<'new' | 'unchanged' | 'updated' | 'resolved' | 'voided', { findings: number; dollars: number }>; carried: { findings: number; dollars: number } };
}

async function night(out: string, history: string, inputs: string[], date: string) {
  let stdout = '';
  let stderr = '';
  await runCli([...inputs, '--out', out, '--history', history, '--fail-on', 'none'], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: root, now: () => new Date(`${date}T02:00:00Z`) });
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
  return { summary, log: stdout + stderr };
}

/** Money in the report's text by element id. */
function htmlCents(html: string, id: string): number {
  const m = new RegExp(`id="${id}">\\$([\\d,]+\\.\\d\\d)`).exec(html);
  return m ? cents(Number(m[1]!.replaceAll(',', ''))) : NaN;
}

async function everyViewOf(out: string, summary: Summary, log: string): Promise<{ open: Record<string, number>; tonight: Record<string, number> }> {
  const book = await readWorkbook(join(out, 'findings.xlsx'));
  const sheet = book.getWorksheet('Summary')!;
  const rowsOf: Record<string, number> = {};
  sheet.eachRow((row) => {
    rowsOf[String(row.getCell(1).value)] = cents(Number(row.getCell(2).value));
  });
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  const money = (re: RegExp) => {
    const m = re.exec(log);
    return m ? cents(Number(m[1]!.replaceAll(',', ''))) : NaN;
  };
  const sum = (rows: Array<{ dollarsAtRisk: number; attributedDollars?: number }>, rule = false) => rows.reduce((n, g) => n + cents(rule ? g.attributedDollars! : g.dollarsAtRisk), 0);
  const b = summary.open.byStatus;
  return {
    open: {
      'summary.json open': cents(summary.open.dollars),
      'worklist.csv dollars': columnCents(join(out, 'worklist.csv'), 'dollars'),
      'owner queues': summary.owners.reduce((n, q) => n + cents(q.dollars), 0),
      'open lines by status': cents(b.new.dollars) + cents(b.updated.dollars) + cents(b.unchanged.dollars) + cents(b.carried.dollars),
      'firm + to review': cents(summary.open.firm) + cents(summary.open.toReview),
      'report headline': htmlCents(html, 'headline-dollars'),
      'report history cards': htmlCents(html, 'history-new-dollars') + htmlCents(html, 'history-updated-dollars') + htmlCents(html, 'history-open-dollars'),
      'workbook Summary': rowsOf['Open dollars (every worklist line once)'] ?? NaN,
      'CLI open line': money(/Open: \$([\d,]+\.\d\d) on/),
    },
    tonight: {
      'findings.csv dollars_at_risk': columnCents(join(out, 'findings.csv'), 'dollars_at_risk'),
      'rule rows': sum(summary.groups.rule, true),
      'payer rows': sum(summary.groups.payer),
      'code rows': sum(summary.groups.code),
      'provider rows': sum(summary.groups.provider),
      'month rows': sum(summary.groups.month),
      'workbook Summary': rowsOf["Tonight's audit: dollars at risk (each line once)"] ?? NaN,
      'CLI line': money(/\$([\d,]+\.\d\d) at risk/),
    },
  };
}

/** Every view of a night against its two headlines. */
async function expectSums(out: string, night: { summary: Summary; log: string }): Promise<void> {
  const views = await everyViewOf(out, night.summary, night.log);
  for (const [view, total] of Object.entries(views.open)) expect(total, `open: ${view}`).toBe(cents(night.summary.open.dollars));
  for (const [view, total] of Object.entries(views.tonight)) expect(total, `tonight: ${view}`).toBe(cents(night.summary.findingTotals.dollarsAtRisk));
  // The worklist's rows are tonight's lines and the carried ones: as many as the open lines.
  const rows = parse(readFileSync(join(out, 'worklist.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  expect(rows).toHaveLength(night.summary.open.lines);
  expect(cents(rows.filter((r) => r.status !== 'carried').reduce((n, r) => n + Number(r.dollars), 0))).toBe(cents(night.summary.findingTotals.dollarsAtRisk));
}

describe('one dollar basis', () => {
  it('the samples over two nights: every view sums to the headline, and so do tonight\'s history cards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-basis-'));
    const out = join(dir, 'reports');
    const history = join(dir, 'history');
    const first = await night(out, history, ['samples'], '2026-03-01');
    const headline1 = cents(first.summary.findingTotals.dollarsAtRisk);
    expect(headline1).toBe(398976587);
    await expectSums(out, first);
    // Night 1: nothing carried, so the open dollars are tonight's.
    expect(cents(first.summary.open.dollars)).toBe(headline1);
    // Firm and to review split the headline; firm is the worklist's lines whose top finding is an error priced at a CMS rate.
    const totals = first.summary.findingTotals as unknown as { firm: number; toReview: number; largestLine: { claimId: string; share: number } };
    expect(cents(totals.firm) + cents(totals.toReview)).toBe(headline1);
    const rows = parse(readFileSync(join(out, 'worklist.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(cents(totals.firm)).toBe(rows.filter((r) => r.severity === 'error' && r.dollar_basis !== 'billed-charge').reduce((n, r) => n + cents(Number(r.dollars)), 0));
    expect(totals.largestLine).toMatchObject({ claimId: 'RB250602-01', share: 0.978 });
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/id="headline-dominant">One line is 98% of this: claim <span class="nw">RB250602-01<\/span> line 1/);
    // Night 1: every finding is new, and "new" is the headline (it summed each finding: $4,007,425.90).
    expect(cents(first.summary.history!.byStatus.new.dollars)).toBe(headline1);
    expect(first.log).toContain('29 lines new tonight ($3,989,765.87)');

    // Night 2: two of the four files again; the other two's open findings are carried.
    const second = await night(out, history, ['samples/837p-infusion-center-medicare.edi', 'samples/csv-canonical-template.csv'], '2026-03-02');
    const headline2 = cents(second.summary.findingTotals.dollarsAtRisk);
    await expectSums(out, second);
    const s = second.summary.history!.byStatus;
    expect(cents(s.new.dollars) + cents(s.unchanged.dollars) + cents(s.updated.dollars)).toBe(headline2);
    // Still open from night 1: the other files' lines, each once, on the worklist; with tonight's, night 1's headline again (nothing was fixed).
    expect(second.summary.history!.carried.findings).toBeGreaterThan(0);
    expect(cents(second.summary.open.byStatus.carried.dollars)).toBe(cents(second.summary.history!.carried.dollars));
    expect(cents(second.summary.open.dollars)).toBe(headline1);
    expect(headline2).toBeLessThan(headline1);

    // Trends: a point a night, each night's open dollars as its headline said; aging and owners add up to them.
    const trends = (second.summary as unknown as { trends: { nights: Array<{ date: string; open: { lines: number; dollars: number }; new: { lines: number }; aging: Record<string, { lines: number; dollars: number }>; owners: Record<string, { dollars: number }> }> } }).trends;
    expect(trends.nights.map((n) => [n.date, cents(n.open.dollars)])).toEqual([
      ['2026-03-01', headline1],
      ['2026-03-02', cents(second.summary.open.dollars)],
    ]);
    for (const n of trends.nights) {
      expect(Object.values(n.aging).reduce((sum, a) => sum + cents(a.dollars), 0)).toBe(cents(n.open.dollars));
      expect(Object.values(n.owners).reduce((sum, a) => sum + cents(a.dollars), 0)).toBe(cents(n.open.dollars));
    }
    expect(trends.nights[0]!.new.lines).toBe(trends.nights[0]!.open.lines);
    expect(trends.nights[1]!.aging['0-7']!.lines).toBe(trends.nights[1]!.open.lines);
    const book = await readWorkbook(join(out, 'findings.xlsx'));
    const sheet = book.getWorksheet('Trends')!;
    expect(sheet.rowCount).toBe(3);
    expect(cents(Number(sheet.getRow(3).getCell(4).value))).toBe(cents(second.summary.open.dollars));
    // Each night's report is kept with its run.
    const runs = readdirSync(history).filter((d) => /^\d{8}T/.test(d));
    for (const run of runs) expect(readFileSync(join(history, run, 'report.html'), 'utf8')).toContain('<!doctype html>');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('id="trend-open"');
  });
});
