// Running from cron: one run at a time per output folder, and a run stopped by a signal leaves
// the previous reports complete. These spawn the built CLI (built once here) as cron would.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate837 } from '../../src/bench/generate.js';
import { runCli } from '../../src/cli/run.js';
import { LOCK_FILE } from '../../src/output/lock.js';
import { DEFAULT_OUTPUTS } from '../support/outputs.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const bin = join(root, 'dist/cli/main.js');
const tmp = () => mkdtempSync(join(tmpdir(), 'claim-audit-cron-'));

async function cli(args: string[]) {
  let stderr = '';
  const code = await runCli(args, { stdout: () => {}, stderr: (t) => (stderr += t), cwd: root });
  return { code, stderr };
}

/** Starts the CLI; resolves once it has printed its first line (it is then reading). */
function start(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, exited, stderr: () => stderr };
}

let big: string;

beforeAll(async () => {
  // The binary was built by the global setup (test/support/build.ts).
  big = join(tmp(), 'big.edi');
  // Large enough to be running when the second run or the signal comes (the 24 MB worker-thread race is in test/heavy).
  await generate837(big, 8 * 1024 * 1024, { seed: 3 });
}, 120_000);

describe('the output folder lock', () => {
  it('a second run into the folder of a running one exits 2 naming the holder, and writes nothing', async () => {
    const out = tmp();
    const first = start([big, '--out', out, '--concurrency', '1']);
    // Wait until the first run holds the lock.
    for (let i = 0; i < 100 && !existsSync(join(out, LOCK_FILE)); i++) await new Promise((r) => setTimeout(r, 50));
    const holder = JSON.parse(readFileSync(join(out, LOCK_FILE), 'utf8'));
    expect(holder.pid).toBe(first.child.pid);
    const second = await cli(['samples', '--out', out]);
    expect(second.code).toBe(2);
    expect(second.stderr).toBe(`claim-audit: ${out} is in use by claim-audit pid ${first.child.pid} on ${hostname()}, started ${holder.startedAt}: wait for it to finish, or write to another --out folder\n`);
    expect(await first.exited).toBe(1);
    // The reports are the first run's, whole.
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.manifest.inputs.map((i: { file: string }) => i.file)).toEqual([big]);
    expect(readdirSync(out).sort()).toEqual([...DEFAULT_OUTPUTS]);
  }, 120_000);

  it('a lock left by a process that is gone is taken over, with a warning', async () => {
    const out = tmp();
    mkdirSync(out, { recursive: true });
    // A PID that no process has, under this kernel boot and PID namespace: gone, provably.
    const proc = { bootId: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(), pidNamespace: readlinkSync('/proc/self/ns/pid'), startTicks: '12345' };
    writeFileSync(join(out, LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), startedAt: '2026-01-01T02:00:00.000Z', argv: [], proc }));
    const { code, stderr } = await cli(['samples', '--out', out]);
    expect(code).toBe(1);
    expect(stderr).toContain(`claim-audit: took over the lock of claim-audit pid ${2 ** 22 + 12345} on ${hostname()}, started 2026-01-01T02:00:00.000Z, which is no longer running\n`);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  });
});

describe('stopping a run', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s mid-way leaves the previous complete reports, no temporary files and no lock', async (signal, exitCode) => {
    const out = tmp();
    expect((await cli(['samples', '--out', out])).code).toBe(1);
    const before = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
    const run = start([big, '--out', out, '--concurrency', '1']);
    for (let i = 0; i < 100 && !existsSync(join(out, LOCK_FILE)); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    run.child.kill(signal);
    expect(await run.exited).toBe(exitCode);
    expect(run.stderr()).toContain(`claim-audit: stopped by ${signal}; nothing was written, the previous reports in ${out} are as they were`);
    const after = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
    expect(after).toEqual(before);
  }, 120_000);
});

