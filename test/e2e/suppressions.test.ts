// Suppressions through the CLI: the file beside the output folder, expiry by the run's date,
// entries that are malformed, incomplete, expired or unused reported, selectors, totals, prune, add.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const INPUT = join(root, 'samples/837p-infusion-center-medicare.edi');
// Local noon: the local date is the same in every time zone the machines use.
const NOW = new Date(2026, 2, 10, 12, 0, 0);
const TODAY = '2026-03-10';

async function cli(args: string[], cwd = root) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, now: () => NOW });
  return { code, stdout, stderr };
}

const summaryOf = (out: string) => JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
const findingsOf = (out: string) =>
  readFileSync(join(out, 'findings.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { id: string; ruleId: string; claimId: string; lineNumber: number; code: string; dollarsAtRisk: number });

/** A folder with reports/ and, beside it, the default suppressions file holding these lines. */
function workspace(lines: Array<Record<string, string> | string>): { dir: string; out: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'claim-audit-suppress-'));
  const out = join(dir, 'reports');
  mkdirSync(out);
  const file = join(dir, 'claim-audit.suppressions.jsonl');
  writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return { dir, out, file };
}

describe('suppressions', () => {
  it('an entry expiring today still suppresses; one that expired yesterday does not, and the run says so', async () => {
    const base = workspace([]);
    await cli([INPUT, '--out', base.out]);
    // A finding alone on its line, so that suppressing it takes the line's dollars out of the totals.
    const all0 = findingsOf(base.out);
    const target = all0.find((f) => all0.filter((g) => g.claimId === f.claimId && g.lineNumber === f.lineNumber).length === 1 && f.dollarsAtRisk > 0)!;
    const entry = { finding: target.id, reason: 'Part D billing arranged', owner: 'pat@example.org', created: '2026-03-01' };

    const today = workspace([{ ...entry, expires: TODAY }]);
    const a = await cli([INPUT, '--out', today.out]);
    expect(findingsOf(today.out).map((f) => f.id)).not.toContain(target.id);
    const s = summaryOf(today.out);
    expect(s.suppressions).toMatchObject({ file: today.file, today: TODAY, entries: 1, findings: 1, dollars: target.dollarsAtRisk, problems: [], unused: [] });
    expect(s.suppressions.suppressed[0]).toMatchObject({ id: target.id, suppression: { reason: 'Part D billing arranged', owner: 'pat@example.org', expires: TODAY } });
    // Out of the totals: one finding and its dollars fewer.
    const all = summaryOf(base.out).findingTotals;
    expect(s.findingTotals.findings).toBe(all.findings - 1);
    expect(s.findingTotals.dollarsAtRisk).toBeCloseTo(all.dollarsAtRisk - target.dollarsAtRisk, 2);
    expect(a.stderr).toContain('Suppressed: 1 finding');

    const yesterday = workspace([{ ...entry, expires: '2026-03-09' }]);
    const b = await cli([INPUT, '--out', yesterday.out]);
    expect(findingsOf(yesterday.out).map((f) => f.id)).toContain(target.id);
    expect(summaryOf(yesterday.out).suppressions.problems).toEqual([expect.objectContaining({ line: 1, kind: 'expired' })]);
    expect(b.stderr).toMatch(/line 1: expired on 2026-03-09 \(pat@example.org\): it no longer suppresses; it suppresses nothing/);
    expect(summaryOf(yesterday.out).findingTotals).toEqual(all);
  });

  it('reports malformed, incomplete, badly dated and unused entries, each on its line; none of them suppresses', async () => {
    const ws = workspace([
      '{not json',
      { rule: 'modifier-unknown', code: 'J1410', reason: 'x', owner: 'y', created: '2026-03-01' },
      { finding: '0123456789abcdef', reason: 'x', owner: 'y', created: '2026-03-01', expires: '2026-13-01' },
      { rule: 'modifier-unknown', reason: 'x', owner: 'y', created: '2026-03-01', expires: '2026-12-31' },
      { finding: '0123456789abcdef', reason: 'no such finding', owner: 'y', created: '2026-03-01', expires: '2026-12-31' },
    ]);
    const { stderr } = await cli([INPUT, '--out', ws.out]);
    const s = summaryOf(ws.out).suppressions;
    expect(s.problems.map((p: { line: number; kind: string }) => [p.line, p.kind])).toEqual([
      [1, 'malformed'],
      [2, 'incomplete'],
      [3, 'bad-date'],
      [4, 'no-selector'],
    ]);
    expect(s.unused).toEqual([{ line: 5, entry: expect.stringContaining('0123456789abcdef') }]);
    expect(s.findings).toBe(0);
    for (const line of [1, 2, 3, 4]) expect(stderr).toContain(`line ${line}:`);
    expect(stderr).toContain('1 entry matched nothing (claim-audit suppressions prune removes them)');
  });

  it('a rule with a selector suppresses only what it selects', async () => {
    const base = workspace([]);
    await cli([INPUT, '--out', base.out]);
    const units = findingsOf(base.out).filter((f) => f.ruleId === 'units-vs-ndc-quantity');
    expect(units.length).toBe(2);
    const ws = workspace([{ rule: 'units-vs-ndc-quantity', claim: units[0]!.claimId, reason: 'dose checked', owner: 'pharmacy', created: '2026-03-01', expires: '2026-06-30' }]);
    await cli([INPUT, '--out', ws.out]);
    const left = findingsOf(ws.out).filter((f) => f.ruleId === 'units-vs-ndc-quantity');
    expect(left.map((f) => f.claimId)).toEqual([units[1]!.claimId]);
    expect(findingsOf(ws.out).length).toBe(findingsOf(base.out).length - 1);
    // A code selector: every charge finding of that code, on any claim.
    const byCode = workspace([{ rule: 'units-vs-ndc-quantity', code: units[1]!.code, reason: 'r', owner: 'o', created: '2026-03-01', expires: '2026-06-30' }]);
    await cli([INPUT, '--out', byCode.out]);
    expect(findingsOf(byCode.out).filter((f) => f.ruleId === 'units-vs-ndc-quantity' && f.code === units[1]!.code)).toEqual([]);
  });

  it('add appends a well-formed, sorted entry created today; prune removes the entries that matched nothing and the expired, never the malformed', async () => {
    const ws = workspace(['{"finding":"0123456789abcdef","reason":"old","owner":"a","created":"2026-01-01","expires":"2026-12-31"}', '{broken', '{"finding":"fedcba9876543210","reason":"done","owner":"a","created":"2026-01-01","expires":"2026-02-01"}']);
    await cli([INPUT, '--out', ws.out]);
    const target = findingsOf(ws.out).find((f) => f.ruleId === 'self-administered-drug')!;
    const added = await cli(['suppressions', 'add', '--finding', target.id, '--reason', 'Part D', '--owner', 'pat', '--expires', '2026-04-30', '--out', ws.out]);
    expect(added.code).toBe(0);
    const lines = readFileSync(ws.file, 'utf8').trim().split('\n');
    expect(lines).toContain(JSON.stringify({ finding: target.id, reason: 'Part D', owner: 'pat', created: TODAY, expires: '2026-04-30' }));
    expect(lines).toEqual([...lines].sort((a, b) => (a.startsWith('{broken') ? 1 : b.startsWith('{broken') ? -1 : a < b ? -1 : 1)));
    // Refused: no reason, a date in the past.
    expect((await cli(['suppressions', 'add', '--finding', target.id, '--owner', 'pat', '--expires', '2026-04-30', '--out', ws.out])).code).toBe(2);
    expect((await cli(['suppressions', 'add', '--finding', target.id, '--reason', 'r', '--owner', 'pat', '--expires', '2026-03-09', '--out', ws.out])).code).toBe(2);

    await cli([INPUT, '--out', ws.out]);
    const pruned = await cli(['suppressions', 'prune', '--out', ws.out]);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain('pruned 2 of 4 entries');
    const after = readFileSync(ws.file, 'utf8').trim().split('\n');
    expect(after).toHaveLength(2);
    expect(after.some((l) => l.includes(target.id))).toBe(true);
    expect(after).toContain('{broken');
  });

  it('a named file that does not exist is a configuration error; no file beside the output folder is no suppressions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-nosuppress-'));
    expect((await cli([INPUT, '--out', join(dir, 'r'), '--suppressions', join(dir, 'missing.jsonl')])).code).toBe(2);
    await cli([INPUT, '--out', join(dir, 'r')]);
    expect(summaryOf(join(dir, 'r')).suppressions).toBeUndefined();
    expect(existsSync(join(dir, 'claim-audit.suppressions.jsonl'))).toBe(false);
  });
});
