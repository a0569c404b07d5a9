// runAudit: the core. Resolves inputs, ingests files (concurrently, merged in input order),
// selects drug lines, and writes the outputs. Returns values; prints nothing.
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import pLimit from 'p-limit';
import type { FileIngestStats } from './ingest/index.js';
import type { CsvProfile } from './ingest/csv/mapping.js';
import { resolveInputs, type InputFile } from './ingest/inputs.js';
import type { CodeSelection } from './ingest/select.js';
import type { Finding, IngestIssue, LineRecord } from './model/index.js';
import type { Reference } from './reference/index.js';
import { checkRun, runFindings, type LineOutcome, type RunLineResult } from './rules/engine.js';
import { auditFile, type LineEntry, type PendingFile, type RunEntry } from './workers/audit-file.js';
import { FileWorkerPool } from './workers/pool.js';
import { ruleDocs } from './rules/docs.js';
import { commit, discard, stage, stageWriter, type Staged } from './report/atomic.js';
import { acquireLock } from './report/lock.js';
import { csvRow, findingRow, findingsCsvHeader } from './report/csv.js';
import { renderHtml } from './report/html.js';
import { summaryJson, type Summary } from './report/json.js';
import { maskMemberId, type PhiMode } from './report/phi.js';
import { ReportAggregator, TOP_FINDINGS, type Coverage, type IngestTotals, type Manifest, type NotCheckedReason, type ReportView } from './report/view.js';
import { Breather, bucketOf, ExternalSorter, readLines, readNdjson, TextWriter, type RecordCodec } from './store/ndjson.js';
import { TOOL_NAME, TOOL_VERSION } from './version.js';
import { compareFindings, compareText, type RankFields } from './model/order.js';

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
  /** Keep every line record and finding in the result (memory grows with them); default: when there is no output folder. */
  keep?: boolean;
  /** Drug lines per bucket of the rules across claims (tests set it small to exercise the buckets). */
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

/** What the rules across claims found for a line (phase 2), by seq: drafts, made findings in phase 3. */
interface RunResult extends RunLineResult {
  seq: number;
}

/**
 * A finding on its way to the ranking: the fields it is ranked by, and its findings.ndjson and
 * findings.csv text, each written once (the CSV row with rank 0, numbered on the way out).
 */
interface RankedFinding {
  key: RankFields;
  json: string;
  csv: string;
}

const compareRanked = (a: RankedFinding, b: RankedFinding) => compareFindings(a.key, b.key);

/** The ranking's run files: the key as a small JSON array, then the two texts, tab-separated (JSON text holds no raw tab). */
const RANKED_CODEC: RecordCodec<RankedFinding> = {
  encode: ({ key, json, csv }) => `${JSON.stringify([key.dollarsAtRisk, key.severity, key.claimId, key.lineNumber, key.ruleId, key.id])}\t${json}\t${JSON.stringify(csv)}`,
  decode: (line) => {
    const first = line.indexOf('\t');
    const last = line.lastIndexOf('\t');
    const [dollarsAtRisk, severity, claimId, lineNumber, ruleId, id] = JSON.parse(line.slice(0, first)) as [number, Finding['severity'], string, number, string, string];
    return { key: { dollarsAtRisk, severity, claimId, lineNumber, ruleId, id }, json: line.slice(first + 1, last), csv: JSON.parse(line.slice(last + 1)) as string };
  },
};

export type AuditTotals = IngestTotals;

export interface AuditResult {
  exitCode: 0 | 1 | 3;
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

/** A drug line's lines.ndjson record, once the rules across claims have run. */
function lineRecord({ base, findings, notChecked }: Pick<LineOutcome, 'base' | 'findings' | 'notChecked'>, phi: PhiMode): LineRecord {
  return {
    claimId: base.claimId,
    lineNumber: base.lineNumber,
    claimType: base.claimType,
    hcpcs: base.code,
    modifiers: base.modifiers,
    units: base.units,
    unitBasis: base.unitBasis,
    charge: base.billedCharge,
    serviceDate: base.serviceDate,
    ndc: base.ndc,
    ndcAsSent: base.ndcAsSent,
    ndcQuantity: base.ndcQuantity,
    ndcUnit: base.ndcUnit,
    payerClass: base.payerClass,
    payerName: base.payerName,
    memberId: maskMemberId(base.memberId, phi),
    verdict: findings.length > 0 ? 'fail' : notChecked.length > 0 ? 'not-checked' : 'pass',
    findingIds: [...findings].sort(compareFindings).map((f) => f.id),
    notChecked: [...notChecked].sort((a, b) => compareText(a.ruleId, b.ruleId)),
    sourceRef: base.sourceRef,
  };
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

/** Coverage counted line by line as the records are written. */
class CoverageCounter {
  private passed = 0;
  private failed = 0;
  private notChecked = 0;
  private readonly reasons = new Map<string, NotCheckedReason>();
  /** Each reason as written → its generalised entry. */
  private readonly byReason = new Map<string, NotCheckedReason>();

  add(line: LineRecord): void {
    if (line.verdict === 'pass') this.passed++;
    else if (line.verdict === 'fail') this.failed++;
    else this.notChecked++;
    for (const { ruleId, reason } of line.notChecked) {
      // Reasons naming a code count together ("no rate for the code in 2025Q1"); the same few
      // reasons recur on millions of lines, so each is generalised once.
      const key = `${ruleId}\u0000${reason}`;
      let entry = this.byReason.get(key);
      if (!entry) {
        const general = reason.replace(/\b[JQ]\d{4}\b/g, 'the code');
        const generalKey = `${ruleId}\u0000${general}`;
        entry = this.reasons.get(generalKey) ?? { ruleId, reason: general, lines: 0 };
        this.reasons.set(generalKey, entry);
        this.byReason.set(key, entry);
      }
      entry.lines++;
    }
  }

  coverage(): Coverage {
    return {
      linesAudited: this.passed + this.failed + this.notChecked,
      passed: this.passed,
      failed: this.failed,
      notChecked: this.notChecked,
      notCheckedReasons: [...this.reasons.values()].sort((a, b) => compareText(a.ruleId, b.ruleId) || compareText(a.reason, b.reason)),
    };
  }
}

function manifestOf(options: AuditOptions, files: FileResult[], startedAt: Date, finishedAt: Date): Manifest {
  const { reference } = options;
  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    run: { startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString() },
    phi: options.phi,
    reference: {
      pack: { version: reference.pack.version, sha256: reference.hash, file: reference.packFile, codes: Object.keys(reference.pack.codes).length },
      mue: reference.mue ? { file: reference.mue.file, kind: reference.mue.kind, codes: reference.mue.entries.size, rowsRejected: reference.mue.rowsRejected } : null,
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
  if (lock.tookOver) options.onLockTakenOver?.(lock.tookOver);
  try {
    return await audit(options);
  } finally {
    lock.release();
  }
}

/** Drug lines per bucket of the rules across claims: one bucket is what phase 2 holds in memory. */
export const BUCKET_LINES = 10_000;

/** A line's bucket key: the rules across claims compare lines of one member (or one claim, without a member id). */
const bucketKey = (run: RunEntry) => run.memberKey ?? `claim:${run.claimId}`;

/**
 * Phase 2: the rules across claims, on the compact run records only. With more lines than a
 * bucket holds, every line goes to its member's bucket on disk; each bucket is read, put in
 * input order and checked in memory. What the rules find comes back sorted by seq, for the merge.
 */
async function runAcrossClaims(files: PendingFile[], options: AuditOptions, temp: string): Promise<Iterator<RunResult>> {
  const total = files.reduce((n, f) => n + f.count, 0);
  const buckets = Math.max(1, Math.ceil(total / (options.bucketLines ?? BUCKET_LINES)));
  const breath = new Breather(options.signal);
  const results = new ExternalSorter<RunResult>((a, b) => a.seq - b.seq, (n) => join(temp, `results-${n}.ndjson`));
  const check = (records: RunEntry[]) => {
    records.sort((x, y) => x.seq - y.seq);
    // The rules see positions in this bucket; results go back under each line's own seq.
    const seqs = records.map((r, i) => {
      const seq = r.seq;
      r.seq = i;
      return seq;
    });
    for (const [i, result] of checkRun(records, options.reference)) results.add({ seq: seqs[i]!, ...result });
  };
  if (buckets === 1) {
    const records: RunEntry[] = [];
    for (const file of files) for (const record of readNdjson<RunEntry>(file.runs)) records.push(record);
    check(records);
    return results.sorted();
  }
  const writers = Array.from({ length: buckets }, (_, b) => new TextWriter(join(temp, `bucket-${b}.ndjson`), 1 << 16));
  for (const file of files) {
    // Lines are copied as they were written; only the key is read.
    for (const line of readLines(file.runs)) {
      if (breath.due()) await breath.turn();
      const record = JSON.parse(line) as RunEntry;
      writers[bucketOf(bucketKey(record), buckets)]!.write(`${line}\n`);
    }
  }
  for (const w of writers) w.close();
  for (const w of writers) {
    await breath.turn();
    const records = [...readNdjson<RunEntry>(w.path)];
    rmSync(w.path, { force: true });
    check(records);
  }
  return results.sorted();
}

async function audit(options: AuditOptions): Promise<AuditResult> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const keep = options.keep ?? options.outDir === null;
  const { files: inputs, issues: inputIssues } = await resolveInputs(options.inputs, options.cwd, { include: options.include ?? [], exclude: options.exclude ?? [] });
  const progress = options.onProgress ? new ProgressTracker(options.onProgress, inputs.length, await sizeOf(inputs)) : null;
  const temp = await mkdtemp(join(tmpdir(), 'claim-audit-run-'));
  const staged: Staged[] = [];
  let pool: FileWorkerPool | null = null;
  try {
    // Phase 1: each file streamed through ingest and the per-claim rules, its drug lines to
    // disk; several files at once in a pool of worker threads (one file: this thread).
    const concurrency = Math.max(1, options.concurrency ?? availableParallelism());
    const limit = pLimit(concurrency);
    if (concurrency > 1 && inputs.length > 1 && FileWorkerPool.available) {
      const { codes, reference, asOf, phi } = options;
      pool = new FileWorkerPool(Math.min(concurrency, inputs.length), { codes, reference, asOf, phi, csvProfile: options.csvProfile ?? null }, options.signal);
    }
    const pending = await Promise.all(
      inputs.map((input, index) =>
        limit(async () => {
          const result = pool ? await pool.run(input, index, temp, progress) : await auditFile(input, index, options, progress, temp);
          progress?.fileDone();
          options.onFileDone?.(result.stats, result.count);
          return result;
        }),
      ),
    );
    options.signal?.throwIfAborted();
    await pool?.close();
    pool = null;

    // Phase 2: the rules across claims, bucket by member.
    progress?.phase('cross-claim');
    const runResults = await runAcrossClaims(pending, options, temp);

    // Phase 3: every line with all its findings, in input order: line records, coverage, the
    // report's totals, and the findings to rank.
    progress?.phase('writing');
    const writing = options.outDir !== null;
    if (writing) await mkdir(options.outDir!, { recursive: true });
    const linesOut = writing ? stageWriter(join(options.outDir!, 'lines.ndjson')) : null;
    if (linesOut) staged.push(linesOut.staged);
    const coverage = new CoverageCounter();
    const aggregator = new ReportAggregator(ruleDocs(), (code) => options.reference.pack.codes[code]?.shortDescriptor.value ?? null);
    const writeCsv = writing && options.formats.includes('csv');
    const sorter = new ExternalSorter<RankedFinding>(compareRanked, (n) => join(temp, `findings-${n}.ndjson`), 5_000, RANKED_CODEC);
    const breath = new Breather(options.signal);
    const files: FileResult[] = [];
    let failing = false;
    let nextRun = runResults.next();
    for (const file of pending) {
      const kept: LineRecord[] = [];
      for (const entry of readNdjson<LineEntry>(file.entries)) {
        if (breath.due()) await breath.turn();
        const findings = entry.findings;
        const notChecked = entry.notChecked;
        while (!nextRun.done && nextRun.value.seq < entry.seq) nextRun = runResults.next();
        if (!nextRun.done && nextRun.value.seq === entry.seq) {
          for (const f of runFindings(nextRun.value.drafts, entry.base, options.reference)) if (!findings.some((g) => g.id === f.id)) findings.push(f);
          notChecked.push(...nextRun.value.notChecked);
          nextRun = runResults.next();
        }
        // Findings are this run's own objects: mask member ids as --phi says before any output.
        for (const f of findings) {
          f.memberId = maskMemberId(f.memberId, options.phi);
          if (f.severity === 'error' || (options.failOn === 'warning' && f.severity === 'warning')) failing = true;
          sorter.add({ key: f, json: JSON.stringify(f), csv: writeCsv ? csvRow(findingRow(f, 0)) : '' });
        }
        const record = lineRecord({ base: entry.base, findings, notChecked }, options.phi);
        linesOut?.writer.write(`${JSON.stringify(record)}\n`);
        if (keep) kept.push(record);
        coverage.add(record);
        aggregator.addLine(findings);
      }
      files.push({ stats: file.stats, drugLines: file.count, lines: kept });
    }
    linesOut?.writer.close();

    const totals = totalsOf(files, inputIssues);
    const exitCode: AuditResult['exitCode'] = totals.ingestIssues.errors > 0 ? 3 : failing ? 1 : 0;

    // The ranking: findings.ndjson and findings.csv written from the sorter as they were
    // serialised; only the top (and, when kept, every finding) is parsed back.
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
    return { exitCode, files, findings: all, inputIssues, totals, view, summary, written };
  } catch (error) {
    discard(staged);
    throw error;
  } finally {
    await pool?.close();
    await rm(temp, { recursive: true, force: true });
  }
}
