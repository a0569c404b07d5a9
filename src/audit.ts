// runAudit: the core. Resolves inputs, ingests files (concurrently, merged in input order),
// selects drug lines, and writes the outputs. Returns values; prints nothing.
import { renameSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import pLimit, { type LimitFunction } from 'p-limit';
import type { FileIngestStats } from './ingest/index.js';
import type { CsvProfile } from './ingest/csv/mapping.js';
import { resolveInputs, type InputFile } from './ingest/inputs.js';
import type { CodeSelection } from './ingest/select.js';
import type { Finding, IngestIssue, LineRecord } from './model/index.js';
import type { Reference } from './reference/index.js';
import { bucketCount, checkBucket, type BucketDone, type BucketTask } from './workers/cross-claims.js';
import { auditFile, type PendingFile } from './workers/audit-file.js';
import { FileWorkerPool } from './workers/pool.js';
import { ruleDocs } from './rules/docs.js';
import { commit, discard, stage, stageWriter, type Staged } from './output/atomic.js';
import { acquireLock } from './output/lock.js';
import { makeRunDir, removeRunDir, removeStale } from './output/work.js';
import { findingsCsvHeader } from './report/csv.js';
import { renderHtml } from './report/html.js';
import { summaryJson, type Summary } from './report/json.js';
import type { PhiMode } from './model/phi.js';
import { TOP_FINDINGS, type IngestTotals, type Manifest, type ReportView } from './report/view.js';
import { appendFileTo, Breather, ExternalSorter, NdjsonWriter } from './store/ndjson.js';
import { compareRanked, CoverageCounter, newAggregator, RANKED_CODEC, writeLines, type LinesTask, type Phase3Options, type RankedFinding, type RunResult } from './workers/write-lines.js';
import { TOOL_NAME, TOOL_VERSION } from './version.js';

export type ReportFormat = 'csv' | 'html' | 'json';
export const REPORT_FORMATS: readonly ReportFormat[] = ['csv', 'html', 'json'];
/** The file each format writes in the output folder (lines.ndjson and findings.ndjson always). */
export const REPORT_FILES: Record<ReportFormat, string> = { csv: 'findings.csv', html: 'report.html', json: 'summary.json' };

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
  failOn: 'error' | 'warning';
  phi: PhiMode;
  /** findings.csv starts with a UTF-8 byte-order mark, for Excel. */
  excel?: boolean;
  /** --include / --exclude globs for files found in folders and by globs. */
  include?: string[];
  exclude?: string[];
  /** --csv-profile: a layout forced by name, or a mapping file's. */
  csvProfile?: CsvProfile | null;
  cwd?: string;
  /** Called as each file finishes (in completion order). */
  onFileDone?: (stats: FileIngestStats, drugLines: number) => void;
  /** Called as the run goes on (often: throttle before drawing). */
  onProgress?: (progress: AuditProgress) => void;
  /** Stops the run (SIGINT/SIGTERM): nothing is written, the previous reports stay. */
  signal?: AbortSignal;
  /** Told when a stale lock of a run that no longer exists was taken over. */
  onLockTakenOver?: (holder: string) => void;
  /** Told how many temporary files and folders of a dead run were removed from the output folder. */
  onStaleRemoved?: (count: number) => void;
  /**
   * Told the paths this run owns (its lock and its temporary folder) as it takes them, so that
   * the process can remove them if the run dies where its own cleanup cannot run (out of memory).
   */
  onOwned?: (paths: { lock?: string; temp?: string }) => void;
  /** Keep every line record and finding in the result (memory grows with them); default: when there is no output folder. */
  keep?: boolean;
  /** Run records per bucket of the rules across claims (tests set it small to exercise the buckets). */
  bucketLines?: number;
  /** The clock, injectable for tests. */
  now?: () => Date;
}

export interface AuditProgress {
  phase: 'reading' | 'cross-claim' | 'writing';
  filesTotal: number;
  filesDone: number;
  /** Bytes as stored (compressed for .gz). */
  bytesTotal: number;
  bytesRead: number;
  claims: number;
  /** Findings of the rules run per claim so far; the cross-claim rules add theirs later. */
  findings: number;
}

export interface FileResult {
  stats: FileIngestStats;
  /** Drug lines audited in the file. */
  drugLines: number;
  /** Their records: only when the audit keeps them (options.keep; no output folder). */
  lines: LineRecord[];
}

export type AuditTotals = IngestTotals;

export interface AuditResult {
  exitCode: 0 | 1 | 3;
  /**
   * Why no claim was audited (no input matched, no file readable, no claim found), or null.
   * Such a run writes nothing: the previous reports stay as they were.
   */
  nothingAudited: string | null;
  files: FileResult[];
  /** Every finding, ranked (member ids as the --phi option says). */
  findings: Finding[];
  /** Problems with the inputs themselves (a path that does not exist). */
  inputIssues: IngestIssue[];
  totals: AuditTotals;
  view: ReportView;
  summary: Summary;
  written: string[];
}

function totalsOf(files: FileResult[], inputIssues: IngestIssue[]): AuditTotals {
  const totals: AuditTotals = {
    files: files.length,
    filesWithErrors: 0,
    interchanges: 0,
    transactions: 0,
    claims: { read: 0, audited: 0, skipped: 0, unparseable: 0 },
    lines: 0,
    drugLines: 0,
    ingestIssues: { errors: 0, warnings: 0 },
  };
  for (const issue of inputIssues) totals.ingestIssues[issue.severity === 'error' ? 'errors' : 'warnings']++;
  for (const { stats, drugLines } of files) {
    totals.interchanges += stats.interchanges;
    totals.transactions += stats.transactions;
    totals.claims.read += stats.claims.read;
    totals.claims.audited += stats.claims.audited;
    totals.claims.skipped += stats.claims.skipped;
    totals.claims.unparseable += stats.claims.unparseable;
    totals.lines += stats.lines;
    totals.drugLines += drugLines;
    let errors = 0;
    for (const issue of stats.issues) {
      if (issue.severity === 'error') errors++;
      else totals.ingestIssues.warnings++;
    }
    // Issues past the per-file cap are counted as errors: they were not kept to say otherwise.
    errors += stats.issuesOmitted;
    totals.ingestIssues.errors += errors;
    if (errors > 0) totals.filesWithErrors++;
  }
  return totals;
}

/** Reports progress to the caller as files are read: counts only, never claim data. */
class ProgressTracker {
  readonly state: AuditProgress;
  constructor(
    private readonly report: (progress: AuditProgress) => void,
    filesTotal: number,
    bytesTotal: number,
  ) {
    this.state = { phase: 'reading', filesTotal, filesDone: 0, bytesTotal, bytesRead: 0, claims: 0, findings: 0 };
  }
  read(bytes: number): void {
    this.state.bytesRead += bytes;
    this.report(this.state);
  }
  claim(findings: number): void {
    this.state.claims++;
    this.state.findings += findings;
  }
  claims(claims: number, findings: number): void {
    this.state.claims += claims;
    this.state.findings += findings;
  }
  /** A file read again: its first reading's counts no longer hold. */
  withdraw(claims: number, findings: number): void {
    this.state.claims -= claims;
    this.state.findings -= findings;
  }
  fileDone(): void {
    this.state.filesDone++;
    this.report(this.state);
  }
  phase(phase: AuditProgress['phase']): void {
    this.state.phase = phase;
    this.report(this.state);
  }
}

async function sizeOf(inputs: InputFile[]): Promise<number> {
  let total = 0;
  for (const input of inputs) total += (await stat(input.path).catch(() => null))?.size ?? 0;
  return total;
}

function manifestOf(options: AuditOptions, files: FileResult[], startedAt: Date, finishedAt: Date): Manifest {
  const { reference } = options;
  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    run: { startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString() },
    phi: options.phi,
    reference: {
      pack: { version: reference.pack.version, sha256: reference.hash, file: reference.packFile, codes: Object.keys(reference.pack.codes).length },
      /** The CMS files the pack was built from (the default's and --reference's): kind, quarter, sha256. */
      sourceFiles: reference.pack.sourceFiles.map(({ file, kind, quarter, sha256 }) => ({ file, kind, quarter, sha256 })),
      mue: reference.mue.map((t) => ({ file: t.file, kind: t.kind, codes: t.entries.size, rowsRejected: t.rowsRejected })),
      ndcCrosswalk: reference.crosswalk ? { file: reference.crosswalk.file, codes: reference.crosswalk.byCode.size, rowsRejected: reference.crosswalk.rowsRejected } : null,
      profile: reference.profileFile,
    },
    options: {
      inputs: options.inputs,
      out: options.outDir,
      formats: options.formats,
      codes: options.codesOption,
      asOf: options.asOf,
      concurrency: options.concurrency ?? null,
      failOn: options.failOn,
      phi: options.phi,
      excel: options.excel ?? false,
      include: options.include ?? [],
      exclude: options.exclude ?? [],
    },
    inputs: files.map(({ stats, drugLines }) => ({
      file: stats.file,
      format: stats.format,
      bytes: stats.bytes,
      decodedBytes: stats.decodedBytes,
      sha256: stats.sha256,
      interchanges: stats.interchanges,
      groups: stats.groups,
      transactions: stats.transactions,
      segments: stats.segments,
      claims: stats.claims,
      lines: stats.lines,
      drugLines,
      skippedTransactions: stats.skippedTransactions,
      ...(stats.skippedClaims ? { skippedClaims: stats.skippedClaims } : {}),
      unparseableClaims: stats.unparseableClaims,
      ...(stats.csv ? { csv: stats.csv } : {}),
      ingestIssues: {
        errors: stats.issues.filter((i) => i.severity === 'error').length + stats.issuesOmitted,
        warnings: stats.issues.filter((i) => i.severity === 'warning').length,
        omitted: stats.issuesOmitted,
      },
    })),
  };
}

export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  if (options.outDir === null) return audit(options);
  // One run at a time per output folder, from the first file read to the last report written.
  await mkdir(options.outDir, { recursive: true });
  const lock = await acquireLock(options.outDir, (options.now ?? (() => new Date()))());
  options.onOwned?.({ lock: lock.path });
  try {
    if (lock.tookOver) options.onLockTakenOver?.(lock.tookOver);
    const stale = removeStale(options.outDir);
    if (stale > 0) options.onStaleRemoved?.(stale);
    return await audit(options);
  } finally {
    lock.release();
  }
}

/** Why a run audited no claim, or null when it audited some. */
export function nothingAudited(inputIssues: readonly IngestIssue[], files: readonly FileIngestStats[]): string | null {
  const claims = { read: 0, audited: 0, skipped: 0, unparseable: 0 };
  for (const stats of files) for (const key of ['read', 'audited', 'skipped', 'unparseable'] as const) claims[key] += stats.claims[key];
  if (claims.audited > 0) return null;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (files.length === 0) {
    return inputIssues.length > 0 ? `no input found (${inputIssues.length === 1 ? inputIssues[0]!.message : `${inputIssues.length} inputs not found`})` : 'no input file found (the folders named hold no files, or --include/--exclude left none)';
  }
  const readable = files.filter((stats) => !stats.readFailed && stats.format !== 'unknown' && !stats.issues.some((i) => FILE_LEVEL.has(i.code)));
  if (readable.length === 0) return `no file could be read as an 837 or a claim export (${plural(files.length, 'file')} tried)`;
  if (claims.read === 0) return `no claim found in ${plural(files.length, 'file')}`;
  return `none of the ${plural(claims.read, 'claim')} read could be audited (${claims.skipped} skipped, ${claims.unparseable} unparseable)`;
}

/** Issues that say a whole file was not read as claims. */
const FILE_LEVEL = new Set(['format-unknown', 'empty-input', 'missing-isa', 'isa-invalid', 'csv-layout-unknown', 'csv-layout-refused', 'csv-no-header', 'csv-encoding-unsupported', 'file-missing', 'file-unreadable', 'gzip-invalid']);

/**
 * Phase 2: the rules across claims, bucket by bucket (in the pool when there is one); what
 * they found comes back as one sorted run a bucket, merged by seq.
 */
async function runAcrossClaims(files: PendingFile[], buckets: number, temp: string, limit: LimitFunction, check: (task: BucketTask) => Promise<BucketDone>): Promise<{ results: Iterator<RunResult>; findings: number }> {
  const tasks: BucketTask[] = [];
  for (let b = 0; b < buckets; b++) {
    const parts = files.flatMap((file) => (file.runs[b] ? [file.runs[b]!] : []));
    if (parts.length > 0) tasks.push({ bucket: String(b), parts: parts.map((p) => p.path), count: parts.reduce((n, p) => n + p.count, 0), temp });
  }
  const done = await Promise.all(tasks.map((task) => limit(() => check(task))));
  const results = new ExternalSorter<RunResult>((a, b) => a.seq - b.seq, (n) => join(temp, `results-merge-${n}.ndjson`));
  let findings = 0;
  for (const { results: path, count, findings: found } of done) {
    if (path) results.addRuns([path], count);
    findings += found;
  }
  return { results: results.sorted(), findings };
}

/** Splits phase 2's results (in seq order) into one file per input file; null for a file with none. */
function splitResults(results: Iterator<RunResult>, files: number, temp: string): Array<string | null> {
  const paths: Array<string | null> = Array.from({ length: files }, () => null);
  let writer: NdjsonWriter<RunResult> | null = null;
  let current = -1;
  for (let next = results.next(); !next.done; next = results.next()) {
    const fileIndex = Math.floor(next.value.seq / 2 ** 32);
    if (fileIndex !== current) {
      writer?.close();
      current = fileIndex;
      writer = new NdjsonWriter<RunResult>(join(temp, `results-file-${fileIndex}.ndjson`));
      paths[fileIndex] = writer.path;
    }
    writer!.writeRecord(next.value);
  }
  writer?.close();
  return paths;
}

/** A report made of parts in order: the first renamed into place when it can be, the others appended. */
function joinParts(target: string, parts: readonly string[]): Staged {
  const { staged, writer } = stageWriter(target);
  writer.close();
  parts.forEach((part, i) => {
    if (i === 0) {
      try {
        renameSync(part, staged.temp);
        return;
      } catch {
        // Another file system: copied below.
      }
    }
    appendFileTo(staged.temp, part);
    rmSync(part, { force: true });
  });
  return staged;
}

async function audit(options: AuditOptions): Promise<AuditResult> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const keep = options.keep ?? options.outDir === null;
  const { files: inputs, issues: inputIssues } = await resolveInputs(options.inputs, options.cwd, {
    include: options.include ?? [],
    exclude: options.exclude ?? [],
    skipFolders: options.outDir === null ? [] : [options.outDir],
  });
  const inputBytes = await sizeOf(inputs);
  const progress = options.onProgress ? new ProgressTracker(options.onProgress, inputs.length, inputBytes) : null;
  // Compressed input holds several times its size in claims.
  const buckets = bucketCount(inputBytes * (inputs.some((i) => i.path.endsWith('.gz')) ? 8 : 1), options.bucketLines);
  const temp = options.outDir === null ? await mkdtemp(join(tmpdir(), 'claim-audit-run-')) : makeRunDir(options.outDir);
  options.onOwned?.({ temp });
  const staged: Staged[] = [];
  let pool: FileWorkerPool | null = null;
  try {
    // Phase 1: each file streamed through ingest and the per-claim rules, its drug lines to
    // disk; several files at once in a pool of worker threads (one file: this thread).
    const concurrency = Math.max(1, options.concurrency ?? availableParallelism());
    const limit = pLimit(concurrency);
    if (concurrency > 1 && inputs.length > 1 && FileWorkerPool.available) {
      const { codes, reference, asOf, phi } = options;
      pool = new FileWorkerPool(Math.min(concurrency, inputs.length), { codes, reference, asOf, phi, csvProfile: options.csvProfile ?? null, buckets, failOn: options.failOn, csv: options.outDir !== null && options.formats.includes('csv') }, options.signal);
    }
    const pending = await Promise.all(
      inputs.map((input, index) =>
        limit(async () => {
          const result = pool ? await pool.run(input, index, temp, progress) : await auditFile(input, index, { ...options, buckets }, progress, temp);
          progress?.fileDone();
          options.onFileDone?.(result.stats, result.count);
          return result;
        }),
      ),
    );
    options.signal?.throwIfAborted();
    // A run that audited no claim writes nothing: last night's good reports stay.
    const stopped = nothingAudited(inputIssues, pending.map((p) => p.stats));

    // Phase 2: the rules across claims, bucket by member.
    progress?.phase('cross-claim');
    const across = await runAcrossClaims(pending, buckets, temp, limit, async (task) => (pool ? pool.cross(task) : checkBucket(task)));
    options.signal?.throwIfAborted();
    // The progress line's findings are all of them from here on, as the summary will say.
    progress?.claims(0, across.findings);

    // What phase 2 found, split by file (seq = file index × 2^32 + position), for phase 3.
    const resultFiles = splitResults(across.results, pending.length, temp);

    // Phase 3: each file's lines with all their findings (in the pool when there is one): its
    // lines.ndjson part, coverage and report counts, and its findings as ranked runs.
    progress?.phase('writing');
    const writing = options.outDir !== null && stopped === null;
    const writeCsv = writing && options.formats.includes('csv');
    const phase3: Phase3Options = { reference: options.reference, phi: options.phi, failOn: options.failOn, csv: writeCsv, ...(options.signal ? { signal: options.signal } : {}) };
    const parts = await Promise.all(
      pending.map((file, fileIndex) =>
        limit(() => {
          const task: LinesTask = { fileIndex, entries: file.entries, reasons: file.reasons, results: resultFiles[fileIndex] ?? null, lines: writing ? join(temp, `lines-${fileIndex}.ndjson`) : null, temp, keep };
          return pool && !keep ? pool.lines(task) : writeLines(task, phase3);
        }),
      ),
    );
    options.signal?.throwIfAborted();
    await pool?.close();
    pool = null;

    // The parts joined in input order.
    if (writing) await mkdir(options.outDir!, { recursive: true });
    const coverage = new CoverageCounter();
    const aggregator = newAggregator(options.reference);
    const sorter = new ExternalSorter<RankedFinding>(compareRanked, (n) => join(temp, `findings-${n}.ndjson`), 5_000, RANKED_CODEC);
    const files: FileResult[] = [];
    let failing = false;
    parts.forEach((part, fileIndex) => {
      coverage.absorb(part.coverage);
      aggregator.absorb(part.report);
      sorter.addRuns(part.runs, part.findings);
      failing ||= part.failing;
      files.push({ stats: pending[fileIndex]!.stats, drugLines: pending[fileIndex]!.count, lines: part.kept });
    });
    if (writing) staged.push(joinParts(join(options.outDir!, 'lines.ndjson'), pending.map((_, fileIndex) => join(temp, `lines-${fileIndex}.ndjson`))));

    const totals = totalsOf(files, inputIssues);
    const exitCode: AuditResult['exitCode'] = totals.ingestIssues.errors > 0 || stopped !== null ? 3 : failing ? 1 : 0;

    // The ranking: findings.ndjson and findings.csv written from the merged runs as they were
    // serialised; only the top (and, when kept, every finding) is parsed back.
    const breath = new Breather(options.signal);
    const top: Finding[] = [];
    const all: Finding[] = [];
    const findingsOut = writing ? stageWriter(join(options.outDir!, 'findings.ndjson')) : null;
    if (findingsOut) staged.push(findingsOut.staged);
    const csvOut = writeCsv ? stageWriter(join(options.outDir!, REPORT_FILES.csv)) : null;
    if (csvOut) {
      staged.push(csvOut.staged);
      csvOut.writer.write(findingsCsvHeader({ excel: options.excel ?? false }));
    }
    let rank = 0;
    for (const { json, csv } of sorter.sorted()) {
      if (breath.due()) await breath.turn();
      rank++;
      if (top.length < TOP_FINDINGS || keep) {
        const finding = JSON.parse(json) as Finding;
        if (top.length < TOP_FINDINGS) top.push(finding);
        if (keep) all.push(finding);
      }
      findingsOut?.writer.write(`${json}\n`);
      // The row was made with rank 0: its first cell is "0".
      csvOut?.writer.write(`${rank}${csv.slice(1)}`);
    }
    findingsOut?.writer.close();
    csvOut?.writer.close();

    const view: ReportView = {
      manifest: manifestOf(options, files, startedAt, now()),
      exitCode,
      findings: top,
      totals,
      ...aggregator.totals(),
      coverage: coverage.coverage(),
      ingestIssues: [...inputIssues, ...files.flatMap(({ stats }) => stats.issues)],
      rules: ruleDocs(),
    };
    const summary = summaryJson(view);
    if (writing) {
      options.signal?.throwIfAborted();
      if (options.formats.includes('html')) staged.push(stage(join(options.outDir!, REPORT_FILES.html), renderHtml(view)));
      if (options.formats.includes('json')) staged.push(stage(join(options.outDir!, REPORT_FILES.json), `${JSON.stringify(summary, null, 2)}\n`));
      options.signal?.throwIfAborted();
      // All reports, or none: renamed together, synchronously.
      commit(staged);
    }
    const order = (name: string) => ['findings.csv', 'report.html', 'summary.json', 'lines.ndjson', 'findings.ndjson'].indexOf(name);
    const written = staged.map((s) => s.target).sort((a, b) => order(basename(a)) - order(basename(b)));
    return { exitCode, nothingAudited: stopped, files, findings: all, inputIssues, totals, view, summary, written };
  } catch (error) {
    discard(staged);
    throw error;
  } finally {
    await pool?.close();
    if (options.outDir === null) await rm(temp, { recursive: true, force: true });
    else removeRunDir(options.outDir, temp);
  }
}
