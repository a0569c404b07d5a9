// runAudit: the core. Resolves inputs, ingests files (concurrently, merged in input order),
// selects drug lines, and writes the outputs. Returns values; prints nothing.
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { ingestFile, type FileIngestStats } from './ingest/index.js';
import { resolveInputs, type InputFile } from './ingest/inputs.js';
import { isDrugLine, type CodeSelection } from './ingest/select.js';
import type { Claim, Finding, IngestIssue, LineRecord } from './model/index.js';
import type { Reference } from './reference/index.js';
import { auditClaim, auditRun, compareFindings, type LineOutcome } from './rules/engine.js';
import { writeFileAtomic, writeLinesAtomic } from './report/atomic.js';
import { maskMemberId, redactSegmentSnippet, type PhiMode } from './report/phi.js';
import { TOOL_NAME, TOOL_VERSION } from './version.js';
import { compareText } from './model/order.js';

export type ReportFormat = 'csv' | 'html' | 'json';
export const REPORT_FORMATS: readonly ReportFormat[] = ['csv', 'html', 'json'];
/** Formats this version can write; the others are accepted and reported as not available. */
export const WRITABLE_FORMATS: ReadonlySet<ReportFormat> = new Set(['json']);

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
  cwd?: string;
  /** Called as each file finishes (in completion order). */
  onFileDone?: (stats: FileIngestStats, drugLines: number) => void;
  /** The clock, injectable for tests. */
  now?: () => Date;
}

export interface FileResult {
  stats: FileIngestStats;
  lines: LineRecord[];
}

interface PendingFile {
  stats: FileIngestStats;
  outcomes: LineOutcome[];
}

export interface AuditTotals {
  files: number;
  filesWithErrors: number;
  interchanges: number;
  transactions: number;
  claims: { read: number; audited: number; skipped: number; unparseable: number };
  lines: number;
  drugLines: number;
  ingestIssues: { errors: number; warnings: number };
}

export interface AuditResult {
  exitCode: 0 | 1 | 3;
  files: FileResult[];
  /** Every finding, ranked (member ids as the --phi option says). */
  findings: Finding[];
  /** Problems with the inputs themselves (a path that does not exist). */
  inputIssues: IngestIssue[];
  totals: AuditTotals;
  summary: Summary;
  written: string[];
}

export type Summary = ReturnType<typeof buildSummary>;

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

async function auditFile(input: InputFile, options: AuditOptions): Promise<PendingFile> {
  const outcomes: LineOutcome[] = [];
  const stats = await ingestFile(input.path, input.display, (claim) => {
    for (const outcome of auditDrugLines(claim, options)) outcomes.push(outcome);
  });
  if (!input.explicit && stats.format === 'unknown') {
    // A stray file in a folder (a README, an image) is skipped, not an input error.
    for (const issue of stats.issues) if (issue.code === 'format-unknown') issue.severity = 'warning';
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

function findingTotals(findings: Finding[]) {
  const byRule = new Map<string, { findings: number; dollarsAtRisk: number }>();
  const lines = new Map<string, number>();
  for (const f of findings) {
    const entry = byRule.get(f.ruleId) ?? { findings: 0, dollarsAtRisk: 0 };
    entry.findings++;
    entry.dollarsAtRisk += f.dollarsAtRisk;
    byRule.set(f.ruleId, entry);
    // A line's dollars count once, however many findings it has: the largest amount at risk.
    const key = `${f.sourceRef.file}|${f.sourceRef.byteOffset}|${f.claimId}|${f.lineNumber}`;
    lines.set(key, Math.max(lines.get(key) ?? 0, f.dollarsAtRisk));
  }
  const cents = (n: number) => Math.round(n * 100) / 100;
  return {
    findings: findings.length,
    bySeverity: { error: findings.filter((f) => f.severity === 'error').length, warning: findings.filter((f) => f.severity === 'warning').length, info: findings.filter((f) => f.severity === 'info').length },
    dollarsAtRisk: cents([...lines.values()].reduce((a, b) => a + b, 0)),
    byRule: Object.fromEntries([...byRule.entries()].sort(([a], [b]) => compareText(a, b)).map(([rule, v]) => [rule, { findings: v.findings, dollarsAtRisk: cents(v.dollarsAtRisk) }])),
  };
}

function buildSummary(options: AuditOptions, files: FileResult[], findings: Finding[], inputIssues: IngestIssue[], totals: AuditTotals, startedAt: Date, finishedAt: Date, exitCode: number) {
  const verdicts = { pass: 0, fail: 0, notChecked: 0 };
  for (const { lines } of files) {
    for (const line of lines) {
      if (line.verdict === 'pass') verdicts.pass++;
      else if (line.verdict === 'fail') verdicts.fail++;
      else verdicts.notChecked++;
    }
  }
  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    run: { startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString() },
    reference: {
      pack: { version: options.reference.pack.version, sha256: options.reference.hash, file: options.reference.packFile, codes: Object.keys(options.reference.pack.codes).length },
      mue: options.reference.mue ? { file: options.reference.mue.file, kind: options.reference.mue.kind, codes: options.reference.mue.entries.size, rowsRejected: options.reference.mue.rowsRejected } : null,
      ndcCrosswalk: options.reference.crosswalk
        ? { file: options.reference.crosswalk.file, codes: options.reference.crosswalk.byCode.size, rowsRejected: options.reference.crosswalk.rowsRejected }
        : null,
      profile: options.reference.profileFile,
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
    },
    exitCode,
    totals,
    findingTotals: findingTotals(findings),
    coverage: {
      linesAudited: totals.drugLines,
      passed: verdicts.pass,
      failed: verdicts.fail,
      notChecked: verdicts.notChecked,
      notCheckedReasons: notCheckedReasons(files),
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
      unparseableClaims: stats.unparseableClaims,
      ingestIssues: {
        errors: stats.issues.filter((i) => i.severity === 'error').length + stats.issuesOmitted,
        warnings: stats.issues.filter((i) => i.severity === 'warning').length,
        omitted: stats.issuesOmitted,
      },
    })),
    ingestIssues: [...inputIssues, ...files.flatMap(({ stats }) => stats.issues)],
    /** The top of the ranking; every finding is in findings.ndjson. */
    topFindings: findings.slice(0, SUMMARY_TOP_FINDINGS),
  };
}

/** How many lines each rule could not check, by reason: "ruleId: reason" → count, sorted. */
function notCheckedReasons(files: FileResult[]): Record<string, number> {
  // Entries are interned by the engine: count objects first, name them once.
  const byEntry = new Map<LineRecord['notChecked'][number], number>();
  for (const { lines } of files) for (const line of lines) for (const entry of line.notChecked) byEntry.set(entry, (byEntry.get(entry) ?? 0) + 1);
  const counts = new Map<string, number>();
  for (const [{ ruleId, reason }, n] of byEntry) {
    const key = `${ruleId}: ${reason.replace(/\b[JQ]\d{4}\b/g, 'the code')}`;
    counts.set(key, (counts.get(key) ?? 0) + n);
  }
  return Object.fromEntries([...counts.entries()].sort(([a], [b]) => compareText(a, b)));
}

/** summary.json keeps the top of the ranking; findings.ndjson has every finding. */
export const SUMMARY_TOP_FINDINGS = 100;

function* ndjson(files: FileResult[]): Generator<string> {
  for (const { lines } of files) for (const line of lines) yield `${JSON.stringify(line)}\n`;
}

export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const { files: inputs, issues: inputIssues } = await resolveInputs(options.inputs, options.cwd);
  const limit = pLimit(Math.max(1, options.concurrency ?? availableParallelism()));
  const pendingFiles = await Promise.all(
    inputs.map((input) =>
      limit(async () => {
        const result = await auditFile(input, options);
        options.onFileDone?.(result.stats, result.outcomes.length);
        return result;
      }),
    ),
  );
  // Rules across claims run over every drug line of the run, in input order.
  auditRun(
    pendingFiles.flatMap((f) => f.outcomes),
    options.reference,
  );
  const files: FileResult[] = pendingFiles.map(({ stats, outcomes }) => ({ stats, lines: outcomes.map((o) => lineRecord(o, options.phi)) }));
  const findings = pendingFiles.flatMap((f) => f.outcomes.flatMap((o) => o.findings)).sort(compareFindings);
  // Findings are this run's own objects: mask in place rather than copy tens of thousands.
  for (const finding of findings) finding.memberId = maskMemberId(finding.memberId, options.phi);
  const totals = totalsOf(files, inputIssues);
  const failing = findings.some((f) => f.severity === 'error' || (options.failOn === 'warning' && f.severity === 'warning'));
  const exitCode: AuditResult['exitCode'] = totals.ingestIssues.errors > 0 ? 3 : failing ? 1 : 0;
  const summary = buildSummary(options, files, findings, inputIssues, totals, startedAt, now(), exitCode);
  const written: string[] = [];
  if (options.outDir !== null) {
    await mkdir(options.outDir, { recursive: true });
    const linesPath = join(options.outDir, 'lines.ndjson');
    await writeLinesAtomic(linesPath, ndjson(files));
    written.push(linesPath);
    const findingsPath = join(options.outDir, 'findings.ndjson');
    await writeLinesAtomic(findingsPath, (function* () {
      for (const finding of findings) yield `${JSON.stringify(finding)}\n`;
    })());
    written.push(findingsPath);
    if (options.formats.includes('json')) {
      const summaryPath = join(options.outDir, 'summary.json');
      await writeFileAtomic(summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
      written.push(summaryPath);
    }
  }
  return { exitCode, files, findings, inputIssues, totals, summary, written };
}
