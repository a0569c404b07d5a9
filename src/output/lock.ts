// One run at a time per output folder. The lock is a file created atomically (written under
// another name, then linked to the lock's name: link fails if the lock exists), naming who took
// it, and kept alive by a heartbeat: its holder touches it every few seconds. A lock whose
// heartbeat stopped is stale whoever it names, so a run killed in a container (a new PID, a new
// hostname, pid 1 again) never blocks the next one for good. Where the holder is provably gone
// (same kernel boot and PID namespace, and its PID is free or is another process), the lock is
// stale at once; elsewhere, after STALE_MS without a heartbeat. Taking over a stale lock is done
// under a second, short-lived lock, so two runs taking over the same stale lock cannot both win.
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = '.claim-audit.lock';
/** The holder touches its lock this often. */
export const HEARTBEAT_MS = 5_000;
/** A lock not touched for this long is stale: its holder is gone. */
export const STALE_MS = 60_000;
/** A lock not touched for this long has missed three heartbeats: wait for it to become stale rather than refuse. */
const SUSPECT_MS = 3 * HEARTBEAT_MS;
/** The takeover lock is held for milliseconds; one older than this was left by a run that died holding it. */
const TAKEOVER_STALE_MS = 10_000;

export class LockError extends Error {}

/** Who holds a lock: shown in messages, and the token that tells a lock's own holder. */
interface Holder {
  pid: number;
  host: string;
  startedAt: string;
  argv: string[];
  token?: string;
  /** Linux: what makes the PID mean one process (absent elsewhere, and in locks of earlier versions). */
  proc?: ProcessIdentity;
}

interface ProcessIdentity {
  bootId: string;
  pidNamespace: string;
  startTicks: string;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/** /proc/<pid>/stat field 22: when the process started, in clock ticks since boot. */
function startTicks(pid: number | 'self'): string | null {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
}

function pidNamespace(): string | null {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return null;
  }
}

let ownIdentity: ProcessIdentity | null | undefined;

/** This process's identity, on Linux. */
function identity(): ProcessIdentity | null {
  if (ownIdentity === undefined) {
    const bootId = readText('/proc/sys/kernel/random/boot_id');
    const ns = pidNamespace();
    const ticks = startTicks('self');
    ownIdentity = bootId && ns && ticks ? { bootId, pidNamespace: ns, startTicks: ticks } : null;
  }
  return ownIdentity;
}

/**
 * Whether the holder is provably gone: only when it ran under the same kernel boot and in the
 * same PID namespace as this process (so its PID means the same here), and that PID is free or
 * belongs to a process started at another time (a PID reused after a restart, pid 1 included).
 * Null when this cannot be told: another machine, another container, another OS.
 */
function provablyGone(holder: Holder | null): boolean | null {
  const mine = identity();
  if (!holder?.proc || !mine || holder.proc.bootId !== mine.bootId || holder.proc.pidNamespace !== mine.pidNamespace) return null;
  const ticks = startTicks(holder.pid);
  return ticks === null || ticks !== holder.proc.startTicks;
}

export interface OutputLock {
  path: string;
  /** Set when a stale lock was taken over: who held it. */
  tookOver: string | null;
  /** Throws LockError when another run took the lock over (this run's heartbeat stopped for too long): commit nothing then. */
  assertHeld(): void;
  /** Stops the heartbeat and removes the lock, if it is still this run's. */
  release(): void;
  /** The token written in the lock: what tells this run's lock from another's. */
  token: string;
}

export interface LockOptions {
  /** The clock for the holder's start time. */
  now?: Date;
  /** Told once when the lock's holder seems gone (its heartbeat stopped) and this run waits for the lock to become stale. */
  onWait?: (message: string) => void;
  /** Testing: the heartbeat and staleness periods. */
  heartbeatMs?: number;
  staleMs?: number;
}

function describe(holder: Holder | null): string {
  return holder ? `claim-audit pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}` : 'an unreadable lock file';
}

const seconds = (ms: number) => `${Math.max(0, Math.round(ms / 1000))} s`;

interface Seen {
  holder: Holder | null;
  ino: number;
  mtimeMs: number;
}

/** The lock as it is now, or null when there is none. */
function inspect(path: string): Seen | null {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return null;
  let holder: Holder | null = null;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Holder;
    holder = typeof parsed === 'object' && parsed !== null && typeof parsed.pid === 'number' ? parsed : null;
  } catch {
    holder = null;
  }
  return { holder, ino: info.ino, mtimeMs: info.mtimeMs };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Creates the lock with its holder in it, atomically; false when a lock exists. */
function create(path: string, me: Holder): boolean {
  const staged = `${path}.${me.token}.new`;
  writeFileSync(staged, `${JSON.stringify(me)}\n`, { mode: 0o644 });
  try {
    linkSync(staged, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(staged, { force: true });
  }
}

/**
 * Removes a stale lock, under the takeover lock so that no two runs do it at once, and only if
 * it is still the lock that was judged stale (same file, not touched since). True when it did.
 */
function takeOver(path: string, judged: Seen, token: string): boolean {
  const mutex = `${path}.takeover`;
  let fd: number;
  try {
    fd = openSync(mutex, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // A takeover lock left by a run that died taking over: removed once it is old.
    const info = statSync(mutex, { throwIfNoEntry: false });
    if (info && Date.now() - info.mtimeMs > TAKEOVER_STALE_MS) rmSync(mutex, { force: true });
    return false;
  }
  try {
    writeSync(fd, `${process.pid} ${new Date().toISOString()}\n`);
    const now = inspect(path);
    if (!now || now.ino !== judged.ino || now.mtimeMs !== judged.mtimeMs) return false;
    // Renamed aside first: the lock's name is free in one step, and the file removed is the one judged.
    const aside = `${path}.${token}.stale`;
    renameSync(path, aside);
    rmSync(aside, { force: true });
    return true;
  } finally {
    closeSync(fd);
    rmSync(mutex, { force: true });
  }
}

/** Takes the output folder's lock, or throws LockError naming the run that holds it. */
export async function acquireLock(dir: string, options: LockOptions = {}): Promise<OutputLock> {
  const path = join(dir, LOCK_FILE);
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const staleMs = options.staleMs ?? STALE_MS;
  const suspectMs = Math.min(staleMs, options.heartbeatMs === undefined ? SUSPECT_MS : 3 * heartbeatMs);
  const token = randomBytes(8).toString('hex');
  const proc = identity();
  const me: Holder = { pid: process.pid, host: hostname(), startedAt: (options.now ?? new Date()).toISOString(), argv: process.argv.slice(2), token, ...(proc ? { proc } : {}) };
  let tookOver: string | null = null;
  let waited = false;
  // Bounded: a lock that keeps being taken by others is an error, not a loop.
  for (let attempt = 0; attempt < 1000; attempt++) {
    if (create(path, me)) return held(path, token, tookOver, heartbeatMs);
    const seen = inspect(path);
    if (!seen) continue;
    const age = Date.now() - seen.mtimeMs;
    const gone = provablyGone(seen.holder);
    if (gone === false) {
      throw new LockError(`${dir} is in use by ${describe(seen.holder)}: wait for it to finish, or write to another --out folder`);
    }
    if (gone === null && age < staleMs) {
      if (age < suspectMs) {
        throw new LockError(`${dir} is in use by ${describe(seen.holder)} (its lock was refreshed ${seconds(age)} ago): wait for it to finish, or write to another --out folder`);
      }
      // Its heartbeat stopped: it died, or it is stalled. Wait until the lock is stale; a stalled
      // run that wakes refreshes it, and then this one stops as above.
      if (!waited) {
        waited = true;
        options.onWait?.(`the lock of ${describe(seen.holder)} was last refreshed ${seconds(age)} ago; waiting until it is ${seconds(staleMs)} old to take it over`);
      }
      await sleep(Math.min(1000, staleMs - age + 10));
      continue;
    }
    if (takeOver(path, seen, token)) {
      tookOver = `${describe(seen.holder)}, which is no longer running${gone ? '' : ` (its lock was last refreshed ${seconds(age)} ago)`}`;
      continue;
    }
    await sleep(20 + Math.floor(Math.random() * 30));
  }
  throw new LockError(`could not take the lock ${path}: other runs keep taking it`);
}

function holds(path: string, token: string): boolean {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as Holder).token === token;
  } catch {
    return false;
  }
}

function held(path: string, token: string, tookOver: string | null, heartbeatMs: number): OutputLock {
  let lost = false;
  let released = false;
  const beat = setInterval(() => {
    if (!holds(path, token)) {
      lost = true;
      clearInterval(beat);
      return;
    }
    try {
      const now = new Date();
      utimesSync(path, now, now);
    } catch {
      // Gone between the read and the touch: the next beat says so.
    }
  }, heartbeatMs);
  beat.unref();
  return {
    path,
    tookOver,
    token,
    assertHeld: () => {
      if (lost || !holds(path, token)) {
        lost = true;
        const now = inspect(path);
        throw new LockError(`another run took over the lock of ${path.slice(0, -LOCK_FILE.length - 1)} (${describe(now?.holder ?? null)}) while this run was stalled; this run's reports were not written`);
      }
    },
    release: () => {
      if (released) return;
      released = true;
      clearInterval(beat);
      // Only our own lock: a run that took over a lock we lost keeps its own.
      if (holds(path, token)) {
        try {
          unlinkSync(path);
        } catch {
          // Gone already.
        }
      }
    },
  };
}

/** Removes the lock at `path` if it holds `token` (a run that died out of memory: its own release never ran); false when another run holds it. */
export function releaseIfHeld(path: string, token: string): boolean {
  if (!holds(path, token)) return !statSync(path, { throwIfNoEntry: false });
  rmSync(path, { force: true });
  return true;
}
