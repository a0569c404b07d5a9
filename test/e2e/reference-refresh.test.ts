// A user refreshes the reference data without a code change (issue 14 item 6): next quarter's
// CMS files dropped in a folder and named with --reference are built at start (cached by their
// content under the output folder's work area) and win over the default pack for their quarter.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { CACHE_DIR, WORK_DIR } from '../../src/output/work.js';
import { envelope, medicareDrugClaim, x12 } from '../support/x12.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const tmp = () => mkdtempSync(join(tmpdir(), 'claim-audit-reference-'));

async function cli(args: string[]) {
  let stderr = '';
  const code = await runCli(args, { stdout: () => {}, stderr: (t) => (stderr += t), cwd: root });
  return { code, stderr };
}

/** A made-up "next quarter" ASP pricing file in CMS's layout: title block, then the header. */
function nextQuarterAsp(dir: string, limit: string): void {
  writeFileSync(
    join(dir, 'whatever-name.csv'),
    [
      'Payment Allowance Limits for Medicare Part B Drugs,,,,',
      ',,,,',
      '"Effective July 1, 2026 through September 30, 2026",,,,',
      ',,,,',
      'Note 1: a test file written by claim-audit in the CMS layout; the figures are made up.,,,,',
      ',,,,',
      'HCPCS Code,Short Description,HCPCS Code Dosage,Payment Limit,Co-insurance Percentage,Vaccine AWP%,Vaccine Limit,Blood AWP%,Blood limit,Clotting Factor,Notes',
      `J9299,Inj nivolumab,1 MG,${limit},20.000,,,,,,`,
      'J9999,Not otherwise classified antineoplastic,1 MG,1.000,20.000,,,,,,',
    ].join('\r\n'),
  );
}

describe('--reference DIR', () => {
  /** A J9299 claim on a date (default 2025-03-11); no JW/JZ, so jw-jz-missing prices the line. */
  const claim = (dir: string, date?: string) => {
    const file = join(dir, `claim-${date ?? 'default'}.edi`);
    const body = medicareDrugClaim({ claimId: 'Q', procedure: 'HC:J9299' }).map((seg) => (seg[0] === 'DTP' && date ? ['DTP', '472', 'D8', date] : seg));
    writeFileSync(file, x12(envelope([body])), 'latin1');
    return file;
  };
  /** A folder holding a made-up ASP pricing file for 2026Q3. */
  const reference = (dir: string, limit: string) => {
    const ref = join(dir, 'cms');
    mkdirSync(ref, { recursive: true });
    nextQuarterAsp(ref, limit);
    return ref;
  };

  it('prices a line of the new quarter from the new file, lists the file in the manifest, and caches the build', async () => {
    const dir = tmp();
    const ref = reference(dir, '20.000');
    const out = join(dir, 'out');
    const expected = () => JSON.parse(readFileSync(join(out, 'findings.ndjson'), 'utf8').trim().split('\n')[0]!).expectedPayment;
    // Without it: the latest limit the default pack has (2026Q1, 33.573).
    await cli([claim(dir, '20260805'), '--out', out]);
    expect(expected()).toBe(8057.52);
    expect((await cli([claim(dir, '20260805'), '--out', out, '--reference', ref])).code).toBe(1);
    // 240 units × 20.000, the made-up 2026Q3 limit.
    expect(expected()).toBe(4800);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.manifest.reference.pack.version).toBe('cms-hcpcs-2020-10+asp-2026Q1+opps-2026Q2+asp-2026Q3');
    expect(summary.manifest.reference.sourceFiles).toContainEqual({ file: 'whatever-name.csv', kind: 'asp-pricing', quarter: '2026Q3', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const cache = join(out, WORK_DIR, CACHE_DIR);
    expect(readdirSync(cache)).toHaveLength(1);
    // The next run reuses it (the same bytes); a changed file is built anew.
    expect((await cli([claim(dir, '20260805'), '--out', out, '--reference', ref])).code).toBeLessThanOrEqual(1);
    expect(readdirSync(cache)).toHaveLength(1);
    nextQuarterAsp(ref, '10.000');
    await cli([claim(dir, '20260805'), '--out', out, '--reference', ref, '--quiet']);
    expect(readdirSync(cache)).toHaveLength(2);
    expect(expected()).toBe(2400);
  });

  it('the default pack is untouched for the quarters the new files do not cover', async () => {
    const dir = tmp();
    const ref = reference(dir, '99.999');
    const out = join(dir, 'out');
    await cli([claim(dir), '--out', out, '--reference', ref]);
    const finding = JSON.parse(readFileSync(join(out, 'findings.ndjson'), 'utf8').trim().split('\n')[0]!);
    // 2025-03-11: 240 × 32.296 (the 2025Q1 ASP limit of the default pack).
    expect(finding.expectedPayment).toBe(7751.04);
  });

  it('a folder without CMS files, or that does not exist, is a configuration error', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'notes.txt'), 'nothing here');
    const empty = await cli(['samples', '--out', join(dir, 'o'), '--reference', dir]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/--reference .*: no CMS file this program knows/);
    const missing = await cli(['samples', '--out', join(dir, 'o'), '--reference', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such folder/);
    expect(existsSync(join(dir, 'o', 'findings.csv'))).toBe(false);
  });
});
