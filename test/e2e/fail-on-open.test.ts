// --fail-on counts what is open (issue 31, item 1): a night whose own claims are clean still
// exits 1 while errors found on an earlier night stay open; --fail-on-scope tonight keeps the
// behaviour before, counting tonight's findings only.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

async function cli(args: string[], date: string) {
  let stderr = '';
  const code = await runCli(args, { stdout: () => {}, stderr: (t) => (stderr += t), cwd: root, now: () => new Date(`${date}T02:00:00Z`) });
  return { code, stderr };
}

describe('--fail-on with history', () => {
  it('counts errors still open from earlier runs, unless --fail-on-scope tonight', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-failon-'));
    const history = join(dir, 'history');
    expect((await cli(['samples/837p-infusion-center-medicare.edi', '--out', join(dir, 'a'), '--history', history], '2026-03-01')).code).toBe(1);
    // Night 2: one clean claim of another file; night 1's errors are carried, still open.
    const lines = readFileSync(join(root, 'samples/csv-canonical-template.csv'), 'utf8').split('\n');
    const clean = join(dir, 'clean.csv');
    writeFileSync(clean, [lines[0], ...lines.filter((l) => l.startsWith('CSV250701-01,'))].join('\n') + '\n');
    const open = await cli([clean, '--out', join(dir, 'b'), '--history', history], '2026-03-02');
    expect(open.code).toBe(1);
    const summary = JSON.parse(readFileSync(join(dir, 'b', 'summary.json'), 'utf8'));
    expect(summary.findingTotals.findings).toBe(0);
    expect(summary.open.findingsBySeverity.error).toBeGreaterThan(0);
    expect(summary.open.byStatus.carried.lines).toBe(summary.open.lines);
    const tonight = await cli([clean, '--out', join(dir, 'c'), '--history', history, '--fail-on-scope', 'tonight'], '2026-03-03');
    expect(tonight.code).toBe(0);
    expect((await cli([clean, '--out', join(dir, 'd'), '--history', history, '--fail-on', 'none'], '2026-03-04')).code).toBe(0);
    expect((await cli([clean, '--fail-on-scope', 'later'], '2026-03-04')).stderr).toContain('--fail-on-scope takes open or tonight; got "later"');
  }, 60_000);
});
