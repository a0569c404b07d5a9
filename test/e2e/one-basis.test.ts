// One dollar basis everywhere: a line counted once, at its largest amount. On the samples, over
// two nights of history, every view of the run sums to the headline: worklist.csv's dollars,
// findings.csv's dollars_at_risk, every group table of summary.json (a rule's rows by the line's
// top-ranked rule), the workbook's Summary, the CLI's line, and the history's cards for tonight.
import { mkdtempSync, readFileSync } from 'node:fs';
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

async function everyViewOf(out: string, summary: Summary, log: string): Promise<Record<string, number>> {
  const book = await readWorkbook(join(out, 'findings.xlsx'));
  const sheet = book.getWorksheet('Summary')!;
  let workbook = NaN;
  sheet.eachRow((row) => {
    if (row.getCell(1).value === 'Dollars at risk (each line once)') workbook = cents(Number(row.getCell(2).value));
  });
  const cli = /\$([\d,]+\.\d\d) at risk/.exec(log);
  const sum = (rows: Array<{ dollarsAtRisk: number; attributedDollars?: number }>, rule = false) => rows.reduce((n, g) => n + cents(rule ? g.attributedDollars! : g.dollarsAtRisk), 0);
  return {
    'worklist.csv dollars': columnCents(join(out, 'worklist.csv'), 'dollars'),
    'findings.csv dollars_at_risk': columnCents(join(out, 'findings.csv'), 'dollars_at_risk'),
    'rule rows': sum(summary.groups.rule, true),
    'payer rows': sum(summary.groups.payer),
    'code rows': sum(summary.groups.code),
    'provider rows': sum(summary.groups.provider),
    'month rows': sum(summary.groups.month),
    'owner queues': summary.owners.reduce((n, q) => n + cents(q.dollars), 0),
    'workbook Summary': workbook,
    'CLI line': cli ? cents(Number(cli[1]!.replaceAll(',', ''))) : NaN,
  };
}

describe('one dollar basis', () => {
  it('the samples over two nights: every view sums to the headline, and so do tonight\'s history cards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-basis-'));
    const out = join(dir, 'reports');
    const history = join(dir, 'history');
    const first = await night(out, history, ['samples'], '2026-03-01');
    const headline1 = cents(first.summary.findingTotals.dollarsAtRisk);
    expect(headline1).toBe(398976587);
    for (const [view, total] of Object.entries(await everyViewOf(out, first.summary, first.log))) expect(total, view).toBe(headline1);
    // Firm and to review split the headline; firm is the worklist's lines whose top finding is an error priced at a CMS rate.
    const totals = first.summary.findingTotals as unknown as { firm: number; toReview: number; largestLine: { claimId: string; share: number } };
    expect(cents(totals.firm) + cents(totals.toReview)).toBe(headline1);
    const rows = parse(readFileSync(join(out, 'worklist.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(cents(totals.firm)).toBe(rows.filter((r) => r.severity === 'error' && r.dollar_basis !== 'billed-charge').reduce((n, r) => n + cents(Number(r.dollars)), 0));
    expect(totals.largestLine).toMatchObject({ claimId: 'RB250602-01', share: 0.978 });
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/id="headline-dominant">One line is 98% of this: claim <span class="nw">RB250602-01<\/span> line 1/);
    // Night 1: every finding is new, and "new" is the headline (it summed each finding: $4,007,425.90).
    expect(cents(first.summary.history!.byStatus.new.dollars)).toBe(headline1);
    expect(first.log).toContain('new ($3,989,765.87)');

    // Night 2: two of the four files again; the other two's open findings are carried.
    const second = await night(out, history, ['samples/837p-infusion-center-medicare.edi', 'samples/csv-canonical-template.csv'], '2026-03-02');
    const headline2 = cents(second.summary.findingTotals.dollarsAtRisk);
    for (const [view, total] of Object.entries(await everyViewOf(out, second.summary, second.log))) expect(total, view).toBe(headline2);
    const s = second.summary.history!.byStatus;
    expect(cents(s.new.dollars) + cents(s.unchanged.dollars) + cents(s.updated.dollars)).toBe(headline2);
    // Still open from night 1: the other files' lines, each once; with tonight's, night 1's headline again (nothing was fixed).
    expect(second.summary.history!.carried.findings).toBeGreaterThan(0);
    expect(cents(second.summary.history!.carried.dollars) + headline2).toBe(headline1);
  });
});
