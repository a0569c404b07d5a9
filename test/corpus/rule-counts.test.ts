// The real files of ../shared/corpus as a regression net for the rules: every 837, 835 and CSV
// audited with --codes all, and the number of findings of each rule pinned per file
// (test/corpus/rule-counts.json). A rule change that moves a count fails here; after a
// deliberate change, UPDATE_GOLDEN=1 npm run test:corpus rewrites the pins, and the commit says
// which counts moved and why (`node scripts/corpus-rule-counts.mjs OTHER/dist/cli/main.js`
// gives another version's counts to compare).
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { readWorkbook } from '../support/xlsx.js';
import { CORPUS_DIR, CSV_DIR, csvCorpusFiles, X12_DIR, x12CorpusFiles } from '../support/corpus.js';

const pinsFile = fileURLToPath(new URL('./rule-counts.json', import.meta.url));
const files = [...x12CorpusFiles().map((f) => join(X12_DIR, f)), ...csvCorpusFiles().map((f) => join(CSV_DIR, f))];

/** Cents of a CSV column, summed. */
function columnCents(path: string, column: string): number {
  const rows = parse(readFileSync(path, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
  return rows.reduce((n, r) => n + Math.round(Number(r[column] || 0) * 100), 0);
}

/** Each file's headline against worklist.csv's dollars and findings.csv's dollars_at_risk (a line once), in cents. */
const sums: Array<{ file: string; headline: number; worklist: number; lineDollars: number; open: number; cli: number | null; workbook: number | null; groups: Record<string, number> }> = [];

/** The workbook's Summary line of the headline, in cents (null: the workbook is too large to read back here). */
async function workbookCents(path: string): Promise<number | null> {
  if (!existsSync(path) || statSync(path).size > 8 * 1024 * 1024) return null;
  const book = await readWorkbook(path);
  let cents: number | null = null;
  book.getWorksheet('Summary')!.eachRow((row) => {
    if (row.getCell(1).value === 'Dollars at risk (each line once)') cents = Math.round(Number(row.getCell(2).value) * 100);
  });
  return cents;
}

async function ruleCounts(path: string): Promise<Record<string, number>> {
  const out = mkdtempSync(join(tmpdir(), 'claim-audit-rule-counts-'));
  let stderr = '';
  await runCli([path, '--codes', 'all', '--out', out], { stdout: () => {}, stderr: (t) => (stderr += t) });
  const counts: Record<string, number> = {};
  const findings = join(out, 'findings.ndjson');
  if (!existsSync(findings)) return counts;
  type Groups = Record<'rule' | 'payer' | 'code' | 'provider' | 'month', Array<{ dollarsAtRisk: number; attributedDollars?: number }>>;
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { findingTotals: { dollarsAtRisk: number }; open: { dollars: number }; groups: Groups };
  // Every group table counts a line once: its rows sum to the headline (a rule's rows by the line's top rule).
  const centsOf = (rows: Array<{ dollarsAtRisk: number; attributedDollars?: number }>, rule = false) => rows.reduce((n, g) => n + Math.round((rule ? g.attributedDollars! : g.dollarsAtRisk) * 100), 0);
  const groups = { rule: centsOf(summary.groups.rule, true), payer: centsOf(summary.groups.payer), code: centsOf(summary.groups.code), provider: centsOf(summary.groups.provider), month: centsOf(summary.groups.month) };
  const cli = /\$([\d,]+\.\d\d) at risk/.exec(stderr);
  sums.push({
    file: path,
    headline: Math.round(summary.findingTotals.dollarsAtRisk * 100),
    worklist: columnCents(join(out, 'worklist.csv'), 'dollars'),
    lineDollars: columnCents(join(out, 'findings.csv'), 'dollars_at_risk'),
    open: Math.round(summary.open.dollars * 100),
    cli: cli ? Math.round(Number(cli[1]!.replaceAll(',', '')) * 100) : null,
    workbook: await workbookCents(join(out, 'findings.xlsx')),
    groups,
  });
  for (const line of readFileSync(findings, 'utf8').split('\n')) {
    if (line === '') continue;
    const { ruleId } = JSON.parse(line) as { ruleId: string };
    counts[ruleId] = (counts[ruleId] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}

describe('findings per rule on the corpus', () => {
  it('are the pinned counts, file by file', { timeout: 600_000 }, async () => {
    const actual: Record<string, Record<string, number>> = {};
    for (const file of files) actual[relative(CORPUS_DIR, file)] = await ruleCounts(file);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(pinsFile, `${JSON.stringify(actual, null, 1)}\n`);
    const pinned = JSON.parse(readFileSync(pinsFile, 'utf8')) as Record<string, Record<string, number>>;
    expect(Object.keys(actual).sort()).toEqual(Object.keys(pinned).sort());
    for (const [file, counts] of Object.entries(actual)) expect(counts, file).toEqual(pinned[file]);
  });

  it("worklist.csv's dollars and findings.csv's dollars_at_risk sum to the headline to the cent, on every file", () => {
    expect(sums.length).toBeGreaterThan(10);
    for (const s of sums) {
      expect(s.worklist, `${s.file} worklist.csv`).toBe(s.headline);
      expect(s.lineDollars, `${s.file} findings.csv dollars_at_risk`).toBe(s.headline);
      for (const [table, cents] of Object.entries(s.groups)) expect(cents, `${s.file} summary.json groups.${table}`).toBe(s.headline);
      // Without history the open dollars are tonight's; the CLI's line and the workbook's Summary say the same.
      expect(s.open, `${s.file} summary.json open`).toBe(s.headline);
      if (s.cli !== null) expect(s.cli, `${s.file} CLI line`).toBe(s.headline);
      if (s.workbook !== null) expect(s.workbook, `${s.file} workbook Summary`).toBe(s.headline);
    }
  });

  it('the pins exercise the rules: real files carry findings of several rules', () => {
    const pinned = JSON.parse(readFileSync(pinsFile, 'utf8')) as Record<string, Record<string, number>>;
    const rules = new Set(Object.values(pinned).flatMap((counts) => Object.keys(counts)));
    expect(rules.size).toBeGreaterThanOrEqual(8);
  });
});
