// Hardening from an independent probe (issue 27): a closed stderr, inputs that never end,
// configuration that is not a regular file or too large or too deep, symlinks, and the paths a
// run writes checked before any claim is read.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const bin = join(root, 'dist/cli/main.js');
const tmp = () => mkdtempSync(join(tmpdir(), 'claim-audit-hard-'));
const REPORTS = ['findings.csv', 'findings.ndjson', 'findings.xlsx', 'lines.ndjson', 'report.html', 'summary.json', 'worklist.csv'];

describe('a closed stderr or stdout (EPIPE)', () => {
  it.each([
    ['stderr closed before the run prints', 'stderr', 0],
    ['stderr closed after its first line (| head -1)', 'stderr', 1],
  ] as const)('%s: the audit finishes, commits its reports and exits with its own code', async (_, stream, after) => {
    const out = tmp();
    const child = spawn(process.execPath, [bin, 'samples', '--out', out], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const pipe = stream === 'stderr' ? child.stderr : child.stdout;
    if (after === 0) pipe.destroy();
    else pipe.once('data', () => pipe.destroy());
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect(code).toBe(1);
    expect(readdirSync(out).sort()).toEqual(REPORTS);
  });

  it('stdout closed (claim-audit codes | head -1): exit 0, no crash', async () => {
    const child = spawn(process.execPath, [bin, 'codes'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    expect(await new Promise<number | null>((done) => child.on('exit', done))).toBe(0);
    expect(stderr).toBe('');
  });
});
