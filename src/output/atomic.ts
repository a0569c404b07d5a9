// Reports are written to temporary files beside their targets and committed as a set, in two
// phases: every file is written whole and fsynced, then a journal naming every rename is written
// and fsynced, then the renames are made, the folders fsynced, and the journal removed. A run
// killed before the journal leaves the previous set (its temporary files are removed by the next
// run); a run killed after it, between two renames, leaves a journal that the next run (under the
// output folder's lock, before anything else) rolls forward, so the folder holds one complete set
// again: the new one. A reader between the kill and the next run may see the set half renamed.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TextWriter } from '../store/ndjson.js';

function tempPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** A report (or the history's run folder) written to its temporary name, waiting to be renamed into place. */
export interface Staged {
  temp: string;
  target: string;
}

/** A report written piece by piece to its temporary file (close it before commit()). */
export function stageWriter(target: string): { staged: Staged; writer: TextWriter } {
  const staged = { temp: tempPath(target), target };
  return { staged, writer: new TextWriter(staged.temp) };
}

/** A temporary path beside the target, for a writer of its own (the XLSX writer): commit() renames it into place. */
export function stagedPath(target: string): Staged {
  return { temp: tempPath(target), target };
}

/** Writes a whole report to its temporary file; commit() puts it in place. */
export function stage(target: string, content: string): Staged {
  const { staged, writer } = stageWriter(target);
  writer.write(content);
  writer.close();
  return staged;
}

/** The journal of a commit in progress, in the output folder. */
export const JOURNAL = '.claim-audit.commit.json';

interface Journal {
  renames: Staged[];
}

/** For the tests that kill a run at each step of its commit (set by the CLI from CLAIM_AUDIT_FAULT; never otherwise). */
export const commitHooks: { beforeRename: ((index: number) => void) | null; beforeJournal: (() => void) | null } = { beforeRename: null, beforeJournal: null };

/** Flushes a file or folder to disk (a folder: its entries, so that renames in it survive a crash). */
function fsyncPath(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Some file systems cannot fsync a folder (EINVAL): nothing more can be done there.
  } finally {
    closeSync(fd);
  }
}

/** A staged file, or every file in a staged folder and the folder itself. */
function fsyncTree(path: string): void {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path)) fsyncTree(join(path, name));
  }
  fsyncPath(path);
}

function renameAll(renames: readonly Staged[], hooked: boolean): void {
  renames.forEach(({ temp, target }, i) => {
    if (hooked) commitHooks.beforeRename?.(i);
    renameSync(temp, target);
  });
  for (const folder of new Set(renames.map((r) => dirname(r.target)))) fsyncPath(folder);
}

/**
 * Puts every staged report (and the history's run folder) in place, as one set: written and
 * fsynced, journalled, renamed, the journal removed. Synchronous, so no signal handler runs in
 * between; a kill anywhere is recovered by recoverCommit().
 */
export function commit(outDir: string, staged: readonly Staged[]): void {
  for (const { temp } of staged) fsyncTree(temp);
  const journal = join(outDir, JOURNAL);
  const temp = `${journal}.${randomBytes(6).toString('hex')}.tmp`;
  commitHooks.beforeJournal?.();
  writeFileSync(temp, `${JSON.stringify({ renames: [...staged] } satisfies Journal)}\n`);
  fsyncPath(temp);
  renameSync(temp, journal);
  fsyncPath(outDir);
  renameAll(staged, true);
  rmSync(journal, { force: true });
  fsyncPath(outDir);
}

/**
 * Completes the commit a killed run left (call with the output folder's lock held, before its
 * temporary files are removed): the renames not yet made are made. Returns how many were.
 */
export function recoverCommit(outDir: string): number {
  const journal = join(outDir, JOURNAL);
  if (!existsSync(journal)) return 0;
  let renames: Staged[];
  try {
    renames = (JSON.parse(readFileSync(journal, 'utf8')) as Journal).renames;
  } catch {
    // A journal is renamed into place whole: an unreadable one is not ours to act on.
    rmSync(journal, { force: true });
    return 0;
  }
  const pending = renames.filter(({ temp }) => existsSync(temp));
  renameAll(pending, false);
  rmSync(journal, { force: true });
  fsyncPath(outDir);
  return pending.length;
}

/** Removes staged files of a run that stops before commit(). */
export function discard(staged: readonly Staged[]): void {
  for (const { temp } of staged) rmSync(temp, { recursive: true, force: true });
}
