// `claim-audit suppressions add` and `prune`: the suppressions file edited the way the audit
// reads it (one sorted JSON object per line, written atomically), so a reviewer sees a one-line
// diff and two branches rarely conflict.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { canonicalEntry, entryProblem, localDate, sortLines, type SuppressionEntry } from '../suppressions/suppressions.js';
import { escapeTerminal } from './terminal.js';
import { NotesError, readWorkNotes } from '../report/notes.js';

export const SUPPRESSIONS_FILE = 'claim-audit.suppressions.jsonl';

/** The default suppressions file: beside the output folder. */
export const defaultSuppressionsFile = (outDir: string, cwd: string) => join(dirname(resolve(cwd, outDir)), SUPPRESSIONS_FILE);

interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd?: string;
}

function readLines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '') : [];
}

function writeLines(file: string, lines: readonly string[]): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, lines.length === 0 ? '' : `${sortLines(lines).join('\n')}\n`);
  renameSync(temp, file);
}

/** Appends one entry, created today; refuses an entry the audit would not honour. */
export function suppressionsAdd(fileOption: string | null, outDir: string, entry: Record<string, string>, io: Io, now: Date = new Date()): number {
  const cwd = io.cwd ?? '.';
  const file = fileOption === null ? defaultSuppressionsFile(outDir, cwd) : resolve(cwd, fileOption);
  const today = localDate(now);
  const full: SuppressionEntry = { ...entry, created: today };
  const problem = entryProblem(full);
  if (problem) {
    io.stderr(`claim-audit: suppressions add: ${escapeTerminal(problem.message)}\n`);
    return 2;
  }
  if (full.expires! < today) {
    io.stderr(`claim-audit: suppressions add: --expires ${full.expires} is in the past\n`);
    return 2;
  }
  const line = canonicalEntry(full);
  const lines = readLines(file);
  if (lines.includes(line)) {
    io.stdout(`already in ${file}: ${line}\n`);
    return 0;
  }
  writeLines(file, [...lines, line]);
  io.stdout(`added to ${file}: ${escapeTerminal(line)}\n`);
  return 0;
}

/**
 * An entry for each finding of the worklist rows the team marked "won't fix": the row's note is
 * the reason, its assignee (else --owner) the owner; --expires says until when. Rows without a
 * reason or an owner are named and skipped: an entry says why and who decided.
 */
export async function suppressionsFromWorklist(command: { file: string | null; out: string; worklist: string; owner: string | null; expires: string | null }, io: Io, now: Date = new Date()): Promise<number> {
  const cwd = io.cwd ?? '.';
  const file = command.file === null ? defaultSuppressionsFile(command.out, cwd) : resolve(cwd, command.file);
  const today = localDate(now);
  if (command.expires === null) {
    io.stderr(`claim-audit: suppressions add --from-worklist: give --expires YYYY-MM-DD: every suppression ends on a date, when it is looked at again\n`);
    return 2;
  }
  let read;
  try {
    read = await readWorkNotes(resolve(cwd, command.worklist));
  } catch (error) {
    if (!(error instanceof NotesError)) throw error;
    io.stderr(`claim-audit: suppressions add --from-worklist: ${escapeTerminal(error.message)}\n`);
    return 2;
  }
  const lines = readLines(file);
  const added: string[] = [];
  let skipped = 0;
  for (const [id, work] of [...read.notes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (work.status !== "won't fix") continue;
    const owner = work.assignee ?? command.owner;
    if (work.note === null || owner === null) {
      skipped++;
      io.stderr(`claim-audit: finding ${id}: "won't fix" without ${work.note === null ? 'a reason in its note' : 'an assignee (or --owner)'}: skipped\n`);
      continue;
    }
    const entry: SuppressionEntry = { finding: id, reason: work.note, owner, expires: command.expires, created: today };
    const problem = entryProblem(entry);
    if (problem || command.expires < today) {
      io.stderr(`claim-audit: suppressions add --from-worklist: ${escapeTerminal(problem?.message ?? `--expires ${command.expires} is in the past`)}\n`);
      return 2;
    }
    const line = canonicalEntry(entry);
    if (!lines.includes(line) && !added.includes(line)) added.push(line);
  }
  if (added.length > 0) writeLines(file, [...lines, ...added]);
  io.stdout(`${added.length === 0 ? 'nothing added to' : `added ${added.length} ${added.length === 1 ? 'entry' : 'entries'} to`} ${escapeTerminal(file)}${skipped > 0 ? ` (${skipped} "won't fix" ${skipped === 1 ? 'finding' : 'findings'} skipped: see above)` : ''}\n`);
  return skipped > 0 && added.length === 0 ? 1 : 0;
}

/**
 * Removes the entries the last run in the output folder reported as matching nothing, and the
 * expired ones. Malformed or incomplete entries stay: someone meant something by them.
 */
export function suppressionsPrune(fileOption: string | null, outDir: string, io: Io): number {
  const cwd = io.cwd ?? '.';
  const file = fileOption === null ? defaultSuppressionsFile(outDir, cwd) : resolve(cwd, fileOption);
  if (!existsSync(file)) {
    io.stderr(`claim-audit: suppressions prune: no ${file}\n`);
    return 2;
  }
  const summaryPath = join(resolve(cwd, outDir), 'summary.json');
  if (!existsSync(summaryPath)) {
    io.stderr(`claim-audit: suppressions prune: no ${summaryPath}: run an audit with the suppressions first\n`);
    return 2;
  }
  const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as { suppressions?: { file: string | null; unused: Array<{ entry: string }>; problems: Array<{ entry: string; kind: string }> } };
  const said = summary.suppressions;
  if (!said || said.file === null || resolve(said.file) !== file) {
    io.stderr(`claim-audit: suppressions prune: the last run in ${outDir} did not read ${file}\n`);
    return 2;
  }
  const remove = new Set([...said.unused.map((u) => u.entry), ...said.problems.filter((p) => p.kind === 'expired').map((p) => p.entry)]);
  const lines = readLines(file);
  const kept = lines.filter((line) => {
    try {
      return !remove.has(canonicalEntry(JSON.parse(line) as SuppressionEntry));
    } catch {
      return true;
    }
  });
  writeLines(file, kept);
  io.stdout(`pruned ${lines.length - kept.length} of ${lines.length} ${lines.length === 1 ? 'entry' : 'entries'} from ${file}\n`);
  return 0;
}
