// The output folder's own work area: a run's temporary files live in a hidden folder beside
// the reports (same file system, so commits are renames; never the system temp, where a run
// killed by the kernel would leave them for good). Whoever holds the output folder's lock owns
// the work area, so anything found there when the lock is taken was left by a dead run.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const WORK_DIR = '.claim-audit-work';
/** Inside the work area: what outlives a run (reference packs built from --reference). */
export const CACHE_DIR = 'cache';

/** Staged reports of a run that died before its commit: `.findings.csv.<hex>.tmp`. */
const STAGED = /^\..+\.[0-9a-f]{12}\.tmp$/;
/** A lock file being written or set aside when its run died: `.claim-audit.lock.<token>.new|.stale` (and the earlier `.<pid>.<hex>`). */
const STAGED_LOCK = /^\.claim-audit\.lock\.(\d+\.[0-9a-f]{8}|[0-9a-f]{16}\.(new|stale))$/;

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Removes what a dead run left (call with the lock held): its temporary folders and its staged
 * reports. Returns how many entries were removed.
 */
export function removeStale(outDir: string): number {
  let removed = 0;
  const work = join(outDir, WORK_DIR);
  for (const name of list(work)) {
    // The cache of reference packs built from --reference folders outlives runs.
    if (name === CACHE_DIR) continue;
    rmSync(join(work, name), { recursive: true, force: true });
    removed++;
  }
  for (const name of readdirSync(outDir)) {
    if (STAGED.test(name) || STAGED_LOCK.test(name)) {
      rmSync(join(outDir, name), { force: true });
      removed++;
    }
  }
  return removed;
}

/**
 * A folder only this user may enter (temporary records hold claim data): created 0700, and
 * made so if it existed (mkdir's mode is cut by the umask, and says nothing of an existing folder).
 */
export function privateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** A folder the run must write (--history) that it cannot: a configuration error, said before any claim is read. */
export class OutputPathError extends Error {}

const WHY: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'on a read-only file system',
  ENOTDIR: 'a part of it is a file, not a folder',
  EEXIST: 'it exists and is not a folder',
  ENOSPC: 'no space left on its device',
  EDQUOT: 'disk quota exceeded',
};

/** Checks that `dir` (creating it) can be written, by writing and removing a file in it; OutputPathError naming `option` otherwise. */
export function checkWritableFolder(dir: string, option: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, `.claim-audit-probe-${randomBytes(4).toString('hex')}`);
    writeFileSync(probe, '', { flag: 'wx' });
    rmSync(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new OutputPathError(`${option} ${dir}: cannot write there (${WHY[code] ?? code}, ${code}): give this user write access, or choose another ${option} folder; nothing was read`);
  }
}

/** A fresh folder for one run's temporary files, in the output folder's work area. */
export function makeRunDir(outDir: string): string {
  const work = join(outDir, WORK_DIR);
  privateFolder(work);
  const dir = join(work, `run-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { mode: 0o700 });
  return dir;
}

/** Removes a run's folder, and the work area when nothing else is in it. */
export function removeRunDir(outDir: string, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  try {
    rmdirSync(join(outDir, WORK_DIR));
  } catch {
    // Not empty, or gone: left as it is.
  }
}
