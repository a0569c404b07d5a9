// runAudit: the core. Resolves inputs, ingests files (concurrently, merged in input order),
// selects drug lines, and writes the outputs. Returns values; prints nothing.
import { mkdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { ingestFile, type FileIngestStats } from './ingest/index.js';
import type { CsvProfile } from './ingest/csv/mapping.js';
import { resolveInputs, type InputFile } from './ingest/inputs.js';
import { isDrugLine, type CodeSelection } from './ingest/select.js';
import type { Claim, Finding, IngestIssue, LineRecord } from './model/index.js';
import type { Reference } from './reference/index.js';
import { auditClaim, auditRun, type LineOutcome } from './rules/engine.js';
import { ruleDocs } from './rules/docs.js';
import { commit, discard, stage, type Staged } from './report/atomic.js';
import { acquireLock } from './report/lock.js';
import { findingsCsv } from './report/csv.js';
import { renderHtml } from './report/html.js';
import { summaryJson, type Summary } from './report/json.js';
import { maskMemberId, redactSegmentSnippet, type PhiMode } from './report/phi.js';
import { buildReportView, type Coverage, type IngestTotals, type Manifest, type NotCheckedReason, type ReportView } from './report/view.js';
import { TOOL_NAME, TOOL_VERSION } from './version.js';
import { compareFindings, compareText } from './model/order.js';

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
  lines: LineRecord[];
}

interface PendingFile {
  stats: FileIngestStats;
  outcomes: LineOutcome[];
}

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

/** The engine's outcomes of a claim's drug lines (records are built from them at the end). */
function auditDrugLines(claim: Claim, options: AuditOptions): LineOutcome[] {
  const indexes: number[] = [];
  claim.lines.forEach((line, i) => {
    if (isDrugLine(line, options.codes)) indexes.push(i);
  });
  return indexes.length === 0 ? [] : auditClaim(claim, indexes, options.reference, options.asOf);
}

/** A drug line's lines.ndjson record, once the rules across claims have run. */
function lineRecord({ base, findings, notChecked }: LineOutcome, phi: PhiMode): LineRecord {
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

const STRAY_FILE_CODES = new Set(['format-unknown', 'csv-layout-unknown', 'csv-layout-refused']);

async function auditFile(input: InputFile, options: AuditOptions, progress: ProgressTracker | null): Promise<PendingFile> {
  const outcomes: LineOutcome[] = [];
  let claims = 0;
  const stats = await ingestFile(input.path, input.display, {
    onClaim: (claim) => {
      let findings = 0;
      claims++;
      for (const outcome of auditDrugLines(claim, options)) {
        outcomes.push(outcome);
        findings += outcome.findings.length;
      }
      progress?.claim(findings);
    },
    ...(progress ? { onRead: (n: number) => progress.read(n) } : {}),
    onReset: () => {
      // The file is read again (a CSV whose claims are not contiguous): forget the first reading.
      progress?.withdraw(claims, outcomes.reduce((n, o) => n + o.findings.length, 0));
      claims = 0;
      outcomes.length = 0;
    },
    csvProfile: options.csvProfile ?? null,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  // A CSV regrouped on disk hands claims over by bucket: put its lines back in file order.
  if (stats.reordered) outcomes.sort((a, b) => (a.base.sourceRef.row ?? 0) - (b.base.sourceRef.row ?? 0) || a.base.sourceRef.byteOffset - b.base.sourceRef.byteOffset);
  if (!input.explicit) {
    // A stray file in a folder (a README, an image, a CSV that is not a claim export) is
    // skipped, not an input error.
    for (const issue of stats.issues) if (STRAY_FILE_CODES.has(issue.code)) issue.severity = 'warning';
  }
  for (const issue of stats.issues) {
    const value = redactSegmentSnippet(issue.value, options.phi);
    if (value !== undefined) issue.value = value;
  }
  return { stats, outcomes };
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
  for (const { stats, lines } of files) {
    totals.interchanges += stats.interchanges;
    totals.transactions += stats.transactions;
    totals.claims.read += stats.claims.read;
    totals.claims.audited += stats.claims.audited;
    totals.claims.skipped += stats.claims.skipped;
    totals.claims.unparseable += stats.claims.unparseable;
    totals.lines += stats.lines;
    totals.drugLines += lines.length;
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

function coverageOf(files: FileResult[]): Coverage {
  const verdicts = { pass: 0, fail: 0, notChecked: 0 };
  for (const { lines } of files) {
    for (const line of lines) {
      if (line.verdict === 'pass') verdicts.pass++;
      else if (line.verdict === 'fail') verdicts.fail++;
      else verdicts.notChecked++;
    }
  }
  return {
    linesAudited: verdicts.pass + verdicts.fail + verdicts.notChecked,
    passed: verdicts.pass,
    failed: verdicts.fail,
    notChecked: verdicts.notChecked,
    notCheckedReasons: notCheckedReasons(files),
  };
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
    inputs: files.map(({ stats, lines }) => ({
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
      drugLines: lines.length,
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

/** How many lines each rule could not check, by rule and reason, sorted. */
function notCheckedReasons(files: FileResult[]): NotCheckedReason[] {
  // Entries are interned by the engine: count objects first, name them once.
  const byEntry = new Map<LineRecord['notChecked'][number], number>();
  for (const { lines } of files) for (const line of lines) for (const entry of line.notChecked) byEntry.set(entry, (byEntry.get(entry) ?? 0) + 1);
  const counts = new Map<string, NotCheckedReason>();
  for (const [{ ruleId, reason }, n] of byEntry) {
    const general = reason.replace(/\b[JQ]\d{4}\b/g, 'the code');
    const key = `${ruleId}\u0000${general}`;
    const entry = counts.get(key) ?? { ruleId, reason: general, lines: 0 };
    entry.lines += n;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => compareText(a.ruleId, b.ruleId) || compareText(a.reason, b.reason));
}

function* ndjson(files: FileResult[]): Generator<string> {
  for (const { lines } of files) for (const line of lines) yield `${JSON.stringify(line)}\n`;
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

async function audit(options: AuditOptions): Promise<AuditResult> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const { files: inputs, issues: inputIssues } = await resolveInputs(options.inputs, options.cwd, { include: options.include ?? [], exclude: options.exclude ?? [] });
  const progress = options.onProgress ? new ProgressTracker(options.onProgress, inputs.length, await sizeOf(inputs)) : null;
  const limit = pLimit(Math.max(1, options.concurrency ?? availableParallelism()));
  const pendingFiles = await Promise.all(
    inputs.map((input) =>
      limit(async () => {
        const result = await auditFile(input, options, progress);
        progress?.fileDone();
        options.onFileDone?.(result.stats, result.outcomes.length);
        return result;
      }),
    ),
  );
  options.signal?.throwIfAborted();
  // Rules across claims run over every drug line of the run, in input order.
  progress?.phase('cross-claim');
  auditRun(
    pendingFiles.flatMap((f) => f.outcomes),
    options.reference,
  );
  const files: FileResult[] = pendingFiles.map(({ stats, outcomes }) => ({ stats, lines: outcomes.map((o) => lineRecord(o, options.phi)) }));
  const findings = pendingFiles.flatMap((f) => f.outcomes.flatMap((o) => o.findings));
  // Findings are this run's own objects: mask in place rather than copy tens of thousands.
  for (const finding of findings) finding.memberId = maskMemberId(finding.memberId, options.phi);
  const totals = totalsOf(files, inputIssues);
  const failing = findings.some((f) => f.severity === 'error' || (options.failOn === 'warning' && f.severity === 'warning'));
  const exitCode: AuditResult['exitCode'] = totals.ingestIssues.errors > 0 ? 3 : failing ? 1 : 0;
  const view = buildReportView({
    findings,
    coverage: coverageOf(files),
    totals,
    manifest: manifestOf(options, files, startedAt, now()),
    ingestIssues: [...inputIssues, ...files.flatMap(({ stats }) => stats.issues)],
    rules: ruleDocs(),
    describeCode: (code) => options.reference.pack.codes[code]?.shortDescriptor.value ?? null,
    exitCode,
  });
  const summary = summaryJson(view);
  const written: string[] = [];
  if (options.outDir !== null) {
    progress?.phase('writing');
    written.push(...(await writeReports(options.outDir, options, view, summary, files)));
  }
  return { exitCode, files, findings: view.findings, inputIssues, totals, view, summary, written };
}

/**
 * Every report is staged to a temporary file first, and all are renamed into place together
 * only when all are written: a run stopped half-way leaves the previous reports as they were.
 */
async function writeReports(dir: string, options: AuditOptions, view: ReportView, summary: Summary, files: FileResult[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const staged: Staged[] = [];
  try {
    const add = async (name: string, content: string | Iterable<string>) => {
      options.signal?.throwIfAborted();
      staged.push(await stage(join(dir, name), content));
    };
    if (options.formats.includes('csv')) await add(REPORT_FILES.csv, findingsCsv(view, { excel: options.excel ?? false }));
    if (options.formats.includes('html')) await add(REPORT_FILES.html, renderHtml(view));
    if (options.formats.includes('json')) await add(REPORT_FILES.json, `${JSON.stringify(summary, null, 2)}\n`);
    await add('lines.ndjson', ndjson(files));
    await add(
      'findings.ndjson',
      (function* () {
        for (const finding of view.findings) yield `${JSON.stringify(finding)}\n`;
      })(),
    );
    options.signal?.throwIfAborted();
    commit(staged);
  } catch (error) {
    discard(staged);
    throw error;
  }
  return staged.map((s) => s.target);
}
