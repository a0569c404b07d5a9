// Reports are written to a temporary file beside the target and renamed over it, so a reader
// (or a run killed half-way) never sees half a report.
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TextWriter } from '../store/ndjson.js';

function tempPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** A report written to its temporary file, waiting to be renamed into place. */
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

/**
 * Renames every staged report into place in one synchronous run: a SIGINT or SIGTERM handler
 * cannot run between two renames, so a reader sees the previous set or the new one.
 */
export function commit(staged: readonly Staged[]): void {
  for (const { temp, target } of staged) renameSync(temp, target);
}

/** Removes staged files of a run that stops before commit(). */
export function discard(staged: readonly Staged[]): void {
  for (const { temp } of staged) rmSync(temp, { force: true });
}
