// Nothing lost, accounted: for every input, claims read = audited + skipped + unparseable, on
// damaged files too; a file cut mid-claim, unreadable or gone is an input error (exit 3) and
// the other files' reports are complete.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const sample = readFileSync(join(root, 'samples/837p-infusion-center-medicare.edi'), 'latin1');

async function audit(files: string[], out: string) {
  let stderr = '';
  const code = await runCli([...files, '--out', out, '--concurrency', '2'], { stdout: () => {}, stderr: (t) => (stderr += t), cwd: root });
  return { code, stderr, summary: JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) };
}

describe('claims accounting on damaged files', () => {
  it('a file cut mid-claim: its last claim unparseable with its position, the rest audited, the other file whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-acct-'));
    // Cut inside the 10th claim.
    const cut = sample.slice(0, sample.indexOf('CLM*RB250318-01') + 40);
    writeFileSync(join(dir, 'cut.edi'), cut, 'latin1');
    const { code, summary } = await audit([join(dir, 'cut.edi'), 'samples/837i-hospital-outpatient-medicare.edi'], join(dir, 'out'));
    expect(code).toBe(3);
    const [damaged, whole] = summary.manifest.inputs;
    expect(damaged.claims.read).toBe(damaged.claims.audited + damaged.claims.skipped + damaged.claims.unparseable);
    expect(damaged.claims.unparseable).toBe(1);
    expect(damaged.unparseableClaims).toEqual([expect.objectContaining({ claimId: 'RB250318-01', reason: expect.any(String), byteOffset: expect.any(Number), segmentIndex: expect.any(Number) })]);
    expect(whole.claims).toEqual({ read: 3, audited: 3, skipped: 0, unparseable: 0 });
    expect(summary.totals.claims.read).toBe(summary.totals.claims.audited + summary.totals.claims.skipped + summary.totals.claims.unparseable);
  });

  it('a file that is not there or cannot be read is an input error, and the others are audited', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-acct-'));
    const locked = join(dir, 'locked.edi');
    writeFileSync(locked, sample, 'latin1');
    chmodSync(locked, 0o000);
    const { code, stderr, summary } = await audit([join(dir, 'gone.edi'), locked, 'samples/837i-hospital-outpatient-medicare.edi'], join(dir, 'out'));
    expect(code).toBe(3);
    expect(stderr).toMatch(/gone\.edi: error: no such file or folder/);
    // root reads any file, whatever its mode: the check is for everyone else.
    if (userInfo().uid !== 0) expect(stderr).toMatch(/locked\.edi \(byte 0\): error: cannot read the file/);
    expect(summary.totals.claims.audited).toBeGreaterThanOrEqual(3);
    chmodSync(locked, 0o600);
  });
});
