// runAudit: resolve the inputs, choose an executor, build the view from what it gives back,
// and commit the outputs together. Returns values; prints nothing.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, utimesSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { memoryExecutor } from './exec/memory.js';
import { localExecutor } from './exec/local/index.js';
import { ProgressTracker, type AuditProgress } from './exec/progress.js';
import type { Execution, ExecTuning, Executor } from './exec/types.js';
import type { FileIngestStats } from './ingest/index.js';
import type { CsvProfile } from './ingest/csv/mapping.js';
import { resolveInputs, type InputFile } from './ingest/inputs.js';
import { nothingAudited } from './ingest/outcome.js';
import type { CodeSelection } from './ingest/select.js';
import type { Finding, IngestIssue, WorkNote } from './model/index.js';
import type { FailOn } from './view/tally.js';
import type { PhiMode } from './model/phi.js';
import { commit, discard, recoverCommit, stageWriter, type Staged } from './output/atomic.js';
import { acquireLock, type OutputLock } from './output/lock.js';
import { checkWritableFolder, makeRunDir, removeRunDir, removeStale } from './output/work.js';
import type { Reference } from './reference/index.js';
import { summaryJson, type Summary } from './report/json.js';
import { ingestTotals, manifestOf } from './view/manifest.js';
import { LineTally } from './view/tally.js';
import type { IngestTotals, ReportView } from './view/view.js';
import { OUTPUT_ORDER, writeRanked, writeReports, type ReportFormat } from './report/write.js';
import { NightlyRun, type HistoryOptions } from './history/nightly.js';
import { defaultNotesFiles, NotesError, readNotesFiles } from './report/notes.js';
import { carriedRows } from './view/worklist.js';
import { atOrAboveCount } from './view/tally.js';
import { WORKLIST_TOP } from './view/view.js';
import { pickBase, removeStaleRuns } from './history/store.js';
import { historyLines, matchRemits, outcomeKey, pendingLines, readOutcomes, type LineOutcome } from './history/remits.js';
import { readRemittances } from './ingest/remits.js';
import { calibrate } from './view/calibration.js';
import { loadSuppressions, localDate, suppressionView, Suppressor } from './suppressions/suppressions.js';
import { ruleDocs, ruleTitle } from './rules/docs.js';
import type { FileResult } from './stages.js';
import { holdStats, releaseTempFiles } from './store/ndjson.js';

export { DEFAULT_FORMATS, OUTPUT_ORDER, REPORT_FILES, REPORT_FORMATS, REPORTERS, outputFiles, type ReportFormat } from './report/write.js';
export type { AuditProgress } from './exec/progress.js';
export type { FileResult } from './stages.js';

/** What a run owns while it runs: its lock (and the lock's token) and its temporary folder. */
export interface Owned {
  lock?: string;
  lockToken?: string;
  temp?: string;
}

export interface AuditOptions {
  inputs: string[];
  /** Output folder; null audits without writing. */
  outDir: string | null;
  formats: ReportFormat[];
  codes: CodeSelection;
  reference: Reference;
  /** The text the user gave for --codes, for the manifest. */
  codesOption: string;
  asOf: string | null;
  concurrency?: number;
  failOn: FailOn;
  phi: PhiMode;
  /** findings.csv starts with a UTF-8 byte-order mark, for Excel. */
  excel?: boolean;
  /** --include / --exclude globs for files found in folders and by globs. */
  include?: string[];
  exclude?: string[];
  /** --read-pipes: FIFOs, pipes and devices named as inputs are read as streams (else refused). */
  readPipes?: boolean;
  /** --csv-profile: a layout forced by name, or a mapping file's. */
  csvProfile?: CsvProfile | null;
  cwd?: string;
  /** Called as each file's claims are audited (in completion order). */
  onFileDone?: (stats: FileIngestStats, drugLines: number) => void;
  /** Called as the run goes on (often: throttle before drawing). */
  onProgress?: (progress: AuditProgress) => void;
  /** Stops the run (SIGINT/SIGTERM): nothing is written, the previous reports stay. */
  signal?: AbortSignal;
  /** Told when a stale lock of a run that no longer exists was taken over. */
  onLockTakenOver?: (holder: string) => void;
  /** Told how many renames of a commit a killed run left half done were completed. */
  onCommitRecovered?: (renames: number) => void;
  /** Told how many temporary files and folders of a dead run were removed from the output folder. */
  onStaleRemoved?: (count: number) => void;
  /** Told the paths this run owns (its lock and the lock's token, its temporary folder) as it takes them, to remove if it dies out of memory. */
  onOwned?: (paths: Owned) => void;
  /** Told once when the output folder's lock seems abandoned (its heartbeat stopped) and the run waits for it to become stale. */
  onLockWait?: (message: string) => void;
  /** Keep every line record and finding in the result (memory grows with them); default: when there is no output folder. */
  keep?: boolean;
  /**
   * Bytes of temporary records the local executor keeps in memory before it writes them to disk
   * (--memory-budget); default MEMORY_BUDGET. 0: every temporary file on disk.
   */
  memoryBudget?: number;
  /** The executor; default: memory for a few MB of input, else local. */
  executor?: 'memory' | 'local';
  /**
   * The merge step of a sharded run (exec/sharded/): its executor reads what the map steps wrote,
   * and the inputs are the work plan's (resolved by the map steps, not again here).
   */
  sharded?: { executor: Executor; inputs: InputFile[]; issues: IngestIssue[]; bytes: number };
  /** The local executor's sizes (tests set them small to force spilling and the pool). */
  tuning?: ExecTuning;
  /** The clock, injectable for tests. */
  now?: () => Date;
  /** --history: keep this run in the history and compare it with an earlier one. */
  history?: HistoryOptions | null;
  /** --suppressions: the file of findings the team accepted (a missing file: none). */
  suppressions?: string | null;
  /**
   * --worklist-notes: the worklist (CSV or workbook) whose assignee, work status and note columns
   * are carried onto tonight's rows by finding id; false: none; null or absent: the output
   * folder's previous worklist.csv, and its findings.xlsx if it was saved since.
   */
  worklistNotes?: string | false | null;
  /** Told of notes that could not be read as given (a default notes file that is not a worklist, a work status of no known kind). */
  onNotesWarning?: (text: string) => void;
  /** --remits: 835 files, folders or globs read with the run, matched to the history's lines (needs --history). */
  remits?: string[];
  /** --fail-on-scope: count every open finding (tonight's and those carried from earlier runs: the default) or tonight's only. */
  failOnScope?: 'open' | 'tonight';
}

export interface AuditResult {
  exitCode: 0 | 1 | 3;
  /** Why no claim was audited, or null. Such a run writes nothing: the previous reports stay. */
  nothingAudited: string | null;
  files: FileResult[];
  /** Every finding, ranked (member ids as --phi says), when kept. */
  findings: Finding[];
  /** Problems with the inputs themselves (a path that does not exist). */
  inputIssues: IngestIssue[];
  totals: IngestTotals;
  view: ReportView;
  summary: Summary;
  written: string[];
  /** Which executor ran the audit, with how many workers and buckets. */
  execution: Execution;
}

/** The local executor's temporary records kept in memory by default before they go to disk (--memory-budget). */
export const MEMORY_BUDGET = 32 * 1024 * 1024;

/** Input up to this size (decoded) is audited in memory: temporary files and threads would cost more. */
export const MEMORY_MAX_BYTES = 8 * 1024 * 1024;

async function sizeOf(inputs: InputFile[]): Promise<number> {
  let total = 0;
  for (const input of inputs) total += (await stat(input.path).catch(() => null))?.size ?? 0;
  return total;
}

function chooseExecutor(options: AuditOptions, inputs: InputFile[], bytes: number): Executor {
  if (options.sharded) return options.sharded.executor;
  if (options.executor) return options.executor === 'memory' ? memoryExecutor : localExecutor;
  // Compressed input holds several times its size in claims.
  const decoded = bytes * (inputs.some((i) => i.path.endsWith('.gz')) ? 8 : 1);
  return decoded <= MEMORY_MAX_BYTES ? memoryExecutor : localExecutor;
}

/**
 * Copies each stream input into the run's folder and reads the copy instead (its name stays the
 * user's). The stream is read by a child process: opening a FIFO blocks until a writer comes,
 * and a blocked open in this process could not be cancelled (nor would the process exit); a
 * child is killed on SIGINT/SIGTERM.
 */
async function spoolStreams(inputs: InputFile[], temp: string, signal?: AbortSignal): Promise<void> {
  for (const [i, input] of inputs.entries()) {
    if (!input.stream) continue;
    const copy = join(temp, `stream-${i}`);
    const reader = spawn(process.execPath, ['-e', 'require("fs").createReadStream(process.argv[1]).pipe(process.stdout)', input.path], { stdio: ['ignore', 'pipe', 'ignore'] });
    const exited = new Promise<number | null>((done) => reader.on('close', done));
    try {
      await pipeline(reader.stdout, createWriteStream(copy, { mode: 0o600 }), ...(signal ? [{ signal }] : []));
    } catch (error) {
      reader.kill('SIGKILL');
      throw error;
    }
    if ((await exited) !== 0) throw new StreamInputError(`${input.display}: the stream could not be read to its end`);
    inputs[i] = { path: copy, display: input.display, explicit: true };
  }
}

/** A stream input (--read-pipes) that could not be read: exit 3. */
export class StreamInputError extends Error {}

/** The team's notes to carry onto tonight's rows (see AuditOptions.worklistNotes): a file given that cannot be read is a configuration error, a default one a warning. */
async function workNotes(options: AuditOptions, outDir: string | null): Promise<ReadonlyMap<string, WorkNote>> {
  if (options.worklistNotes === false) return new Map();
  const given = typeof options.worklistNotes === 'string';
  const files = given ? [options.worklistNotes as string] : outDir === null ? [] : defaultNotesFiles(outDir);
  if (files.length === 0) return new Map();
  try {
    const read = await readNotesFiles(files);
    for (const problem of read.problems) options.onNotesWarning?.(problem);
    return read.notes;
  } catch (error) {
    if (given || !(error instanceof NotesError)) throw error;
    options.onNotesWarning?.(`${error.message}; no notes carried from it`);
    return new Map();
  }
}

export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  if (options.outDir === null) return audit(options);
  // One run at a time per output folder, from the first file read to the last report written.
  await mkdir(options.outDir, { recursive: true });
  const lock = await acquireLock(options.outDir, { now: (options.now ?? (() => new Date()))(), ...(options.onLockWait ? { onWait: options.onLockWait } : {}) });
  options.onOwned?.({ lock: lock.path, lockToken: lock.token });
  try {
    if (lock.tookOver) options.onLockTakenOver?.(lock.tookOver);
    // A commit a killed run left half done is completed first: the folder holds one whole set again.
    const recovered = recoverCommit(options.outDir);
    if (recovered > 0) options.onCommitRecovered?.(recovered);
    const stale = removeStale(options.outDir) + (options.history ? removeStaleRuns(options.history.dir) : 0);
    if (stale > 0) options.onStaleRemoved?.(stale);
    return await audit(options, lock);
  } finally {
    lock.release();
  }
}

async function audit(options: AuditOptions, lock: OutputLock | null = null): Promise<AuditResult> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const keep = options.keep ?? options.outDir === null;
  const outDir = options.outDir;
  // Every folder the run will write, before any claim is read: a night's audit must not run for
  // an hour and then fail to keep its history.
  if (outDir !== null && options.history) checkWritableFolder(options.history.dir, '--history');
  const { files: inputs, issues: inputIssues } = options.sharded
    ? { files: options.sharded.inputs, issues: options.sharded.issues }
    : await resolveInputs(options.inputs, options.cwd, {
        include: options.include ?? [],
        exclude: options.exclude ?? [],
        skipFolders: [...(outDir === null ? [] : [outDir]), ...(options.history ? [options.history.dir] : [])],
        readPipes: options.readPipes ?? false,
      });
  // A --since that names no run is a configuration error, before any claim is read.
  if (options.history) pickBase(options.history.dir, options.history.since);
  // The team's notes, read before tonight's worklist replaces the one they were typed into.
  const edited = await workNotes(options, outDir);
  // The payers' 835s read with the run (--remits): their problems are input problems, with file and position.
  const remits = options.remits && options.remits.length > 0 && options.history ? await readRemittances(options.remits, options.cwd ?? '.', { phi: options.phi, ...(options.signal ? { signal: options.signal } : {}) }) : null;
  if (remits) inputIssues.push(...remits.issues, ...remits.files.flatMap((f) => f.issues));
  const temp = outDir === null ? await mkdtemp(join(tmpdir(), 'claim-audit-run-')) : makeRunDir(outDir);
  options.onOwned?.({ temp });
  const staged: Staged[] = [];
  /** The executor's work beside the reports (lines.ndjson put together, its temporary files removed). */
  let settling: Promise<void> | null = null;
  try {
    // Streams (--read-pipes) are read once, whole, before the audit: it reads a file more than once.
    await spoolStreams(inputs, temp, options.signal);
    const inputBytes = options.sharded ? options.sharded.bytes : await sizeOf(inputs);
    const lines = outDir === null ? null : stageWriter(join(outDir, 'lines.ndjson'));
    if (lines) {
      lines.writer.close();
      staged.push(lines.staged);
    }
    const { codes, reference, asOf, phi, failOn } = options;
    // Suppressions expire by the run's local date (an entry expiring today still holds).
    const today = localDate(startedAt);
    const suppressions = options.suppressions === undefined || options.suppressions === null ? null : loadSuppressions(options.suppressions, today);
    const result = await chooseExecutor(options, inputs, inputBytes).run({
      inputs,
      inputBytes,
      options: { codes, reference, asOf, phi, failOn, csvProfile: options.csvProfile ?? null, suppressions, memberSalt: randomBytes(16).toString('hex') },
      linesOut: lines?.staged.temp ?? null,
      temp,
      keep,
      concurrency: options.concurrency ?? availableParallelism(),
      progress: options.onProgress ? new ProgressTracker(options.onProgress, inputs.length, inputBytes) : null,
      ...(options.onFileDone ? { onFileDone: (file: FileResult) => options.onFileDone!(file.stats, file.drugLines) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.tuning ? { tuning: options.tuning } : {}),
      memoryBudget: options.memoryBudget ?? MEMORY_BUDGET,
    });
    settling = result.settled ?? null;
    options.signal?.throwIfAborted();
    // A run that audited no claim writes nothing: last night's good reports stay.
    const stopped = nothingAudited(inputIssues, result.files.map((f) => f.stats));
    const writing = outDir !== null && stopped === null;
    if (!writing) discard(staged.splice(0));
    const manifestOptions = {
      inputs: options.inputs,
      out: outDir,
      formats: options.formats,
      codes: options.codesOption,
      asOf,
      concurrency: options.concurrency ?? null,
      failOn,
      failOnScope: options.failOnScope ?? 'open',
      phi,
      excel: options.excel ?? false,
      include: options.include ?? [],
      exclude: options.exclude ?? [],
      ...(options.history ? { history: options.history.dir, since: options.history.since, keepRuns: options.history.keep } : {}),
      ...(suppressions ? { suppressions: suppressions.file } : {}),
    };
    // A run with history: compared with an earlier one as the findings go by; a run that audited nothing keeps no history.
    const nightly = writing && options.history ? new NightlyRun(options.history, startedAt, today, result.files.map(({ stats }) => ({ file: stats.file, sha256: stats.sha256 })), result.lineage) : null;
    // The remittances matched to the lines the history audited before tonight, kept with tonight's run; every line's latest outcome on the worklist.
    const outcomes = nightly ? readOutcomes(options.history!.dir) : new Map<string, LineOutcome>();
    // The history's drug lines, read once for matching and the pending count, and only when there is something to measure.
    const audited = nightly && (remits || outcomes.size > 0) ? historyLines(options.history!.dir) : null;
    const matched = audited && remits ? matchRemits(audited, options.history!.dir, remits.claims, (i) => inputIssues.push(i)) : null;
    if (matched) nightly!.keepOutcomes(matched.outcomes);
    for (const o of matched?.outcomes ?? []) outcomes.set(outcomeKey(o), o);
    const describeCode = (code: string) => reference.pack.codes[code]?.shortDescriptor.value ?? null;
    const notes = nightly ? nightly.useNotes(edited) : edited;
    const ranked = await writeRanked(result.ranked, writing ? outDir : null, staged, {
      keepAll: keep,
      temp,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(nightly ? { status: (f: Finding) => nightly.see(f) } : {}),
      describeCode,
      // Aging counts from the night a finding was first seen to tonight's.
      runDate: nightly ? today : null,
      runId: nightly?.id ?? null,
    });
    const totals = ingestTotals(result.files, inputIssues);
    const tally = new LineTally(reference, failOn);
    tally.absorb(result.tally);
    // lines.ndjson whole (the executor puts it together beside the reports) before the history reads it.
    if (nightly) await settling;
    const finishedAt = now();
    const history = nightly ? nightly.settle(lines?.staged.temp ?? null, finishedAt, suppressions && suppressions.entries.length > 0 ? new Suppressor(suppressions.entries) : null) : undefined;
    // Everything open on the worklist: tonight's lines, and the lines carried from earlier runs merged in by rank.
    const carried = nightly ? carriedRows(nightly.carried, { titleOf: ruleTitle, describeCode, runDate: today, runId: nightly.id }) : [];
    const worklist = ranked.worklist.finish(WORKLIST_TOP, { carried, notes, outcomes });
    const calibration = audited && outcomes.size > 0 ? calibrate(outcomes.values(), { pending: pendingLines(audited, outcomes) }) : null;
    // Tonight's point of the trends, kept in the run's record, and the nights before it.
    const trends = nightly ? nightly.trend(worklist.totals, worklist.byOwner) : undefined;
    // --fail-on counts what is open (tonight's findings and the carried ones), or tonight's only (--fail-on-scope tonight).
    const failing = (options.failOnScope ?? 'open') === 'open' ? atOrAboveCount(worklist.totals.findingsBySeverity, failOn) > 0 : tally.isFailing;
    const exitCode: AuditResult['exitCode'] = totals.ingestIssues.errors > 0 || stopped !== null ? 3 : failing ? 1 : 0;
    const view: ReportView = {
      manifest: manifestOf({ reference, phi, options: manifestOptions }, result.files, startedAt, finishedAt),
      exitCode,
      findings: ranked.top,
      worklist: { rows: worklist.top, total: worklist.count },
      open: worklist.totals,
      owners: worklist.byOwner,
      totals,
      ...tally.view(),
      ingestIssues: [...inputIssues, ...result.files.flatMap(({ stats }) => stats.issues)],
      rules: ruleDocs(),
      ...(history ? { history } : {}),
      ...(trends ? { trends } : {}),
      ...(calibration ? { calibration } : {}),
      ...(suppressions ? { suppressions: suppressionView(suppressions, tally.suppressedTotals(), ranked.suppressed, nightly?.suppressedCarried) } : {}),
    };
    const summary = summaryJson(view);
    if (writing) {
      options.signal?.throwIfAborted();
      const findingsNdjson = staged.find((s) => basename(s.target) === 'findings.ndjson')!.temp;
      await writeReports(options.formats, { view, summary, worklist, findingsNdjson, suppressed: ranked.suppressed, outDir, staged, excel: options.excel ?? false, ...(options.signal ? { signal: options.signal } : {}) });
      // The workbook dated as the run finished, however long it took to write: the next run reads
      // its notes only when the team saved it later (report/notes.ts defaultNotesFiles).
      const workbook = staged.find((s) => basename(s.target) === 'findings.xlsx');
      if (workbook) utimesSync(workbook.temp, finishedAt, finishedAt);
      // lines.ndjson whole before it is committed.
      await settling;
      options.signal?.throwIfAborted();
      // The run's history folder, written whole beside the history, committed with the reports.
      const findingsTemp = staged.find((s) => basename(s.target) === 'findings.ndjson')?.temp ?? null;
      const reportTemp = staged.find((s) => basename(s.target) === 'report.html')?.temp ?? null;
      if (nightly) staged.push(nightly.stage(findingsTemp, reportTemp));
      // Not if another run took the lock over while this one stalled: its reports are the folder's now.
      lock?.assertHeld();
      // All reports and the history's run, or none: journalled and renamed together (output/atomic.ts).
      commit(outDir, staged);
      nightly?.prune();
    }
    const written = staged.filter((s) => OUTPUT_ORDER.includes(basename(s.target))).map((s) => s.target).sort((a, b) => OUTPUT_ORDER.indexOf(basename(a)) - OUTPUT_ORDER.indexOf(basename(b)));
    // What the executor held in memory, now that the ranking and the reports have read it all.
    const held = holdStats(temp);
    if (held) result.execution.held = held;
    return { exitCode, nothingAudited: stopped, files: result.files, findings: ranked.all, inputIssues, totals, view, summary, written, execution: result.execution };
  } catch (error) {
    discard(staged);
    throw error;
  } finally {
    // The executor's thread that tidies the temporary folder is done before the folder goes.
    await settling?.catch(() => {});
    releaseTempFiles(temp);
    if (outDir === null) await rm(temp, { recursive: true, force: true });
    else removeRunDir(outDir, temp);
  }
}
