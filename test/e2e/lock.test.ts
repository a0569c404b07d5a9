// The output folder's lock (issue 27, items 2 and 3): staleness by heartbeat, not by PID or
// hostname, so that a run killed in a container never blocks the next one for good; and a
// takeover of a stale lock that two runs cannot both win.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { acquireLock, LOCK_FILE, LockError, STALE_MS } from '../../src/output/lock.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const tmp = () => mkdtempSync(join(tmpdir(), 'claim-audit-lock-'));

async function cli(args: string[]) {
  let stderr = '';
  const code = await runCli(args, { stdout: () => {}, stderr: (t) => (stderr += t), cwd: root });
  return { code, stderr };
}

/** A lock file as another run left it, last touched `ageMs` ago. */
function leaveLock(out: string, holder: Record<string, unknown>, ageMs: number): string {
  mkdirSync(out, { recursive: true });
  const path = join(out, LOCK_FILE);
  writeFileSync(path, JSON.stringify({ startedAt: '2026-01-01T02:00:00.000Z', argv: [], ...holder }));
  const then = new Date(Date.now() - ageMs);
  utimesSync(path, then, then);
  return path;
}

const linux = existsSync('/proc/self/stat');
const bootId = linux ? readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() : '';
const pidNamespace = linux ? readlinkSync('/proc/self/ns/pid') : '';

describe('a container restart', () => {
  it('a lock naming pid 1 on another hostname (a pod that was killed) is taken over once its heartbeat is stale', async () => {
    const out = tmp();
    leaveLock(out, { pid: 1, host: 'audit-7f9c-xk2p' }, STALE_MS + 5_000);
    const { code, stderr } = await cli(['samples', '--out', out]);
    expect(code).toBe(1);
    expect(stderr).toContain('claim-audit: took over the lock of claim-audit pid 1 on audit-7f9c-xk2p, started 2026-01-01T02:00:00.000Z, which is no longer running (its lock was last refreshed 65 s ago)');
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
  });

  it.runIf(linux)('a lock naming this very PID (the restarted run got its old PID back) with another start time is taken over at once', async () => {
    const out = tmp();
    // Fresh: touched a second ago. The PID is this process's, as a restarted run's would be.
    leaveLock(out, { pid: process.pid, host: hostname(), proc: { bootId, pidNamespace, startTicks: '1' } }, 1_000);
    const { code, stderr } = await cli(['samples', '--out', out]);
    expect(code).toBe(1);
    expect(stderr).toContain(`claim-audit: took over the lock of claim-audit pid ${process.pid} on ${hostname()}, started 2026-01-01T02:00:00.000Z, which is no longer running\n`);
  });

  it.runIf(linux)('a lock naming pid 1 of this PID namespace with another start time is taken over at once', async () => {
    const out = tmp();
    leaveLock(out, { pid: 1, host: hostname(), proc: { bootId, pidNamespace, startTicks: '1' } }, 1_000);
    expect((await cli(['samples', '--out', out])).code).toBe(1);
  });

  it('a lock whose holder refreshed it seconds ago is refused, naming the holder, whatever host it names', async () => {
    const out = tmp();
    leaveLock(out, { pid: 4242, host: 'audit-7f9c-xk2p' }, 2_000);
    const { code, stderr } = await cli(['samples', '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toBe(`claim-audit: ${out} is in use by claim-audit pid 4242 on audit-7f9c-xk2p, started 2026-01-01T02:00:00.000Z (its lock was refreshed 2 s ago): wait for it to finish, or write to another --out folder\n`);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  });

  it.runIf(linux)('a lock held by a live process of this machine is refused even when its heartbeat is old (a stalled run)', async () => {
    const out = tmp();
    const ticks = readFileSync('/proc/self/stat', 'utf8');
    const startTicks = ticks.slice(ticks.lastIndexOf(')') + 2).split(' ')[19];
    leaveLock(out, { pid: process.pid, host: hostname(), proc: { bootId, pidNamespace, startTicks } }, STALE_MS * 10);
    const { code, stderr } = await cli(['samples', '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toContain(`is in use by claim-audit pid ${process.pid}`);
  });

  it('a lock whose heartbeat stopped recently: the run waits until it is stale, says so, and takes it over', async () => {
    const out = tmp();
    leaveLock(out, { pid: 77, host: 'gone-pod' }, STALE_MS - 1_500);
    const started = Date.now();
    const { code, stderr } = await cli(['samples', '--out', out]);
    expect(code).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    expect(stderr).toMatch(/claim-audit: the lock of claim-audit pid 77 on gone-pod, started 2026-01-01T02:00:00\.000Z was last refreshed 5\d s ago; waiting until it is 60 s old to take it over\n/);
    expect(stderr).toContain('took over the lock of claim-audit pid 77 on gone-pod');
  });
});

describe('the heartbeat', () => {
  it('keeps a held lock fresh, and the lock names its holder and token', async () => {
    const out = tmp();
    const lock = await acquireLock(out, { heartbeatMs: 40 });
    try {
      const then = new Date(Date.now() - 30_000);
      utimesSync(lock.path, then, then);
      await new Promise((r) => setTimeout(r, 200));
      expect(Date.now() - statSync(lock.path).mtimeMs).toBeLessThan(1_000);
      expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname(), token: lock.token });
      lock.assertHeld();
    } finally {
      lock.release();
    }
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  });

  it('a run whose lock was taken over stops before its commit, and does not remove the other run\'s lock', async () => {
    const out = tmp();
    const lock = await acquireLock(out, { heartbeatMs: 40 });
    writeFileSync(lock.path, JSON.stringify({ pid: 99, host: 'other', startedAt: 'x', argv: [], token: 'theirs' }));
    await new Promise((r) => setTimeout(r, 120));
    expect(() => lock.assertHeld()).toThrow(LockError);
    expect(() => lock.assertHeld()).toThrow(/another run took over the lock of .* \(claim-audit pid 99 on other, started x\) while this run was stalled; this run's reports were not written/);
    lock.release();
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).token).toBe('theirs');
  });
});

describe('taking over a stale lock', () => {
  it('two or more runs taking over the same stale lock at once: exactly one wins, the others are told who holds it', async () => {
    const lockModule = pathToFileURL(join(root, 'dist/output/lock.js')).href;
    // Each contender takes the lock, holds it a while (as a run would), then releases it.
    const script = `
      const { acquireLock } = await import(${JSON.stringify(lockModule)});
      try {
        const lock = await acquireLock(process.argv[1]);
        process.stdout.write('won ' + (lock.tookOver ? 'took-over' : 'fresh'));
        await new Promise((r) => setTimeout(r, 1500));
        lock.release();
      } catch (error) {
        process.stdout.write('lost ' + error.message);
      }`;
    for (let round = 0; round < 4; round++) {
      const out = tmp();
      leaveLock(out, { pid: 1, host: 'dead-pod' }, STALE_MS * 2);
      const results = await Promise.all(
        Array.from({ length: 6 }, () => new Promise<string>((done) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', script, out], { stdio: ['ignore', 'pipe', 'inherit'] });
          let text = '';
          child.stdout.on('data', (d: Buffer) => (text += d.toString()));
          child.on('exit', () => done(text));
        })),
      );
      const won = results.filter((r) => r.startsWith('won'));
      // Exactly one wins. Usually the one that moved the stale lock aside; but another contender
      // can find the folder free in the instant between that move and the new lock's creation
      // and win it fresh, the mover then losing to it: still one holder, never two.
      expect(won, results.join('\n')).toHaveLength(1);
      expect(won[0]).toMatch(/^won (took-over|fresh)$/);
      for (const lost of results.filter((r) => r.startsWith('lost'))) expect(lost).toMatch(/is in use by claim-audit pid \d+ on /);
      expect(existsSync(join(out, LOCK_FILE))).toBe(false);
    }
  }, 60_000);
});
