// All reports or none, under SIGKILL (issue 27, item 6): a run is killed before each rename of
// its commit (and before its journal), and the next run into the folder finds one complete set,
// the killed run's (or, killed before its journal, the previous one's), history included.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { JOURNAL } from '../../src/output/atomic.js';
import { DEFAULT_OUTPUTS } from '../support/outputs.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const bin = join(root, 'dist/cli/main.js');
const A = 'samples/837i-hospital-outpatient-medicare.edi';
const B = 'samples/837p-infusion-center-medicare.edi';
const REPORTS = [...DEFAULT_OUTPUTS];
/**
 * Reports whose bytes do not depend on when or where the run was: equal for equal inputs
 * (findings.ndjson and worklist.csv hold the history's run ids, and the worklist the lines still
 * open from the run before).
 */
const STABLE = ['findings.csv', 'lines.ndjson'];

function audit(input: string, out: string, fault?: string) {
  return spawnSync(process.execPath, [bin, input, '--out', out, '--history', join(out, 'history')], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...(fault ? { CLAIM_AUDIT_FAULT: fault } : {}) },
  });
}

const runs = (out: string) => readdirSync(join(out, 'history')).filter((d) => /^\d{8}T\d{6}Z-[0-9a-f]{6}$/.test(d)).sort();
const inputsOf = (out: string) => (JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).manifest.inputs as Array<{ file: string }>).map((i) => i.file);

let reference: { A: Record<string, string>; B: Record<string, string> };

beforeAll(() => {
  const read = (out: string) => Object.fromEntries(STABLE.map((f) => [f, readFileSync(join(out, f), 'utf8')]));
  const a = mkdtempSync(join(tmpdir(), 'claim-audit-commit-ref-'));
  const b = mkdtempSync(join(tmpdir(), 'claim-audit-commit-ref-'));
  expect(audit(A, a).status).toBe(1);
  expect(audit(B, b).status).toBe(1);
  reference = { A: read(a), B: read(b) };
});

/** The folder holds one whole set: every report, each of the named run's, no temporary file, no journal. */
function expectWholeSet(out: string, which: 'A' | 'B', historyRuns: number) {
  expect(readdirSync(out).filter((f) => !f.startsWith('.') && f !== 'history').sort()).toEqual(REPORTS);
  for (const f of STABLE) expect(readFileSync(join(out, f), 'utf8') === reference[which][f], `${f} is run ${which}'s`).toBe(true);
  expect(inputsOf(out)).toEqual([which === 'A' ? A : B]);
  expect(existsSync(join(out, JOURNAL))).toBe(false);
  expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  expect(readdirSync(join(out, 'history')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  const kept = runs(out);
  expect(kept).toHaveLength(historyRuns);
  for (const run of kept) expect(existsSync(join(out, 'history', run, 'run.json'))).toBe(true);
  // The set's run is in the history (two runs in one second sort by their hash, so not by order).
  const inputsOfRun = (run: string) => JSON.parse(readFileSync(join(out, 'history', run, 'run.json'), 'utf8')).inputs.map((i: { file: string }) => i.file);
  expect(kept.map(inputsOfRun)).toContainEqual([which === 'A' ? A : B]);
}

describe('a run killed during its commit', () => {
  // 7 reports and the history's run folder: 8 renames.
  it.each(Array.from({ length: 8 }, (_, k) => k))('before rename %i: the next run completes the set, the killed run\'s whole', (k) => {
    const out = mkdtempSync(join(tmpdir(), 'claim-audit-commit-'));
    expect(audit(A, out).status).toBe(1);
    const killed = audit(B, out, `commit-rename:${k}`);
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(join(out, JOURNAL))).toBe(true);
    // The next run (here one that audits nothing, so it writes nothing of its own) recovers first.
    const next = audit('no-such-file.edi', out);
    expect(next.status).toBe(3);
    expect(next.stderr).toContain('claim-audit: completed the commit of a run killed while it renamed its reports');
    expectWholeSet(out, 'B', 2);
  });

  it('before its journal: the previous set stays whole, the killed run\'s files are removed', () => {
    const out = mkdtempSync(join(tmpdir(), 'claim-audit-commit-'));
    expect(audit(A, out).status).toBe(1);
    const killed = audit(B, out, 'commit-journal');
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(join(out, JOURNAL))).toBe(false);
    const next = audit('no-such-file.edi', out);
    expect(next.status).toBe(3);
    expectWholeSet(out, 'A', 1);
  });
});
