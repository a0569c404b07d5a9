// One run at a time per output folder: a lock file created atomically (link), holding who
// took it. Two overlapping cron runs into one folder cannot interleave their reports; the
// second stops at once and names the holder. A lock left by a process that no longer runs on
// this machine is taken over, with a warning.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { link, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = '.claim-audit.lock';

export class LockError extends Error {}

interface Holder {
  pid: number;
  host: string;
  startedAt: string;
  argv: string[];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface OutputLock {
  path: string;
  /** Set when a stale lock was taken over: who held it. */
  tookOver: string | null;
  release(): void;
}

function describe(holder: Holder): string {
  return `claim-audit pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}`;
}

/** Takes the output folder's lock, or throws LockError naming the run that holds it. */
export async function acquireLock(dir: string, now: Date = new Date()): Promise<OutputLock> {
  const path = join(dir, LOCK_FILE);
  const me: Holder = { pid: process.pid, host: hostname(), startedAt: now.toISOString(), argv: process.argv.slice(2) };
  let tookOver: string | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // Written in full under another name, then linked to the lock's name: link() fails if
      // the lock exists, so the lock appears atomically, with its holder already in it.
      const staged = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
      await writeFile(staged, `${JSON.stringify(me)}\n`);
      try {
        await link(staged, path);
      } finally {
        await unlink(staged).catch(() => {});
      }
      let released = false;
      return {
        path,
        tookOver,
        release: () => {
          if (released) return;
          released = true;
          // Only our own lock: a run that took over a lock we lost must keep its own.
          try {
            const holder = JSON.parse(readFileSync(path, 'utf8')) as Holder;
            if (holder.pid === me.pid && holder.host === me.host && holder.startedAt === me.startedAt) rmSync(path, { force: true });
          } catch {
            // Gone already.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder: Holder | null = null;
    try {
      holder = JSON.parse(readFileSync(path, 'utf8')) as Holder;
    } catch {
      holder = null;
    }
    if (holder && holder.host === me.host && alive(holder.pid)) {
      throw new LockError(`${dir} is in use by ${describe(holder)}: wait for it to finish, or write to another --out folder`);
    }
    if (holder && holder.host !== me.host) {
      throw new LockError(`${dir} is locked by ${describe(holder)} (another machine); remove ${path} if that run is gone`);
    }
    // Created but not yet written by a run starting this very moment: held, not stale.
    if (!holder && now.getTime() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0) < 10_000) {
      throw new LockError(`${dir} is in use by another claim-audit run that is just starting (${path})`);
    }
    // A lock whose process is gone (killed with SIGKILL, a reboot), or unreadable: take it over.
    tookOver = holder ? describe(holder) : 'an unreadable lock file';
    rmSync(path, { force: true });
  }
  throw new LockError(`could not take the lock ${path}: another run keeps taking it`);
}
