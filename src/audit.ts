// runAudit: the core. Resolves inputs, ingests files (concurrently, merged in input order),
// selects drug lines, and writes the outputs. Returns values; prints nothing.
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { ingestFile, type FileIngestStats } from './ingest/index.js';
import { resolveInputs, type InputFile } from './ingest/inputs.js';
import { normaliseNdc } from './ingest/ndc.js';
import { isDrugLine, type CodeSelection } from './ingest/select.js';
import type { Claim, IngestIssue, LineRecord } from './model/index.js';
import { COVERED_CODES } from './reference/covered-codes.js';
import { writeFileAtomic, writeLinesAtomic } from './report/atomic.js';
import { maskMemberId, redactSegmentSnippet, type PhiMode } from './report/phi.js';
import { TOOL_NAME, TOOL_VERSION } from './version.js';

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
  /** Problems with the inputs themselves (a path that does not exist). */
  inputIssues: IngestIssue[];
  totals: AuditTotals;
  summary: Summary;
  written: string[];
}

export type Summary = ReturnType<typeof buildSummary>;

const NOT_CHECKED_YET = [{ ruleId: '*', reason: 'no audit rules are implemented in this version' }];

function lineRecords(claim: Claim, options: AuditOptions): LineRecord[] {
  const records: LineRecord[] = [];
  for (const line of claim.lines) {
    if (!isDrugLine(line, options.codes)) continue;
    const normalised = line.drug ? normaliseNdc(line.drug.ndc) : null;
    records.push({
      claimId: claim.claimId,
      lineNumber: line.lineNumber,
      claimType: claim.claimType,
      hcpcs: line.hcpcs,
      modifiers: line.modifiers,
      units: line.units,
      unitBasis: line.unitBasis,
      charge: line.charge,
      serviceDate: line.serviceDate,
      ndc: normalised?.ok ? normalised.ndc : null,
      ndcAsSent: line.drug?.ndc ?? null,
      ndcQuantity: line.drug?.quantity ?? null,
      ndcUnit: line.drug?.unit ?? null,
      payerClass: claim.payerClass,
      payerName: claim.payerName,
      memberId: maskMemberId(claim.memberId, options.phi),
      verdict: 'not-checked',
      findingIds: [],
      notChecked: NOT_CHECKED_YET,
      sourceRef: line.sourceRef,
    });
  }
  return records;
}

async function auditFile(input: InputFile, options: AuditOptions): Promise<FileResult> {
  const lines: LineRecord[] = [];
  const stats = await ingestFile(input.path, input.display, (claim) => {
    for (const record of lineRecords(claim, options)) lines.push(record);
  });
  if (!input.explicit && stats.format === 'unknown') {
    // A stray file in a folder (a README, an image) is skipped, not an input error.
    for (const issue of stats.issues) if (issue.code === 'format-unknown') issue.severity = 'warning';
  }
  for (const issue of stats.issues) {
    const value = redactSegmentSnippet(issue.value, options.phi);
    if (value !== undefined) issue.value = value;
  }
  return { stats, lines };
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

function buildSummary(options: AuditOptions, files: FileResult[], inputIssues: IngestIssue[], totals: AuditTotals, startedAt: Date, finishedAt: Date, exitCode: number) {
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
    reference: { name: 'interim covered-code table', codes: COVERED_CODES.length },
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
    coverage: {
      linesAudited: totals.drugLines,
      passed: verdicts.pass,
      failed: verdicts.fail,
      notChecked: verdicts.notChecked,
      notCheckedReasons: verdicts.notChecked > 0 ? { [NOT_CHECKED_YET[0]!.reason]: verdicts.notChecked } : {},
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
  };
}

function* ndjson(files: FileResult[]): Generator<string> {
  for (const { lines } of files) for (const line of lines) yield `${JSON.stringify(line)}\n`;
}

export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const { files: inputs, issues: inputIssues } = await resolveInputs(options.inputs, options.cwd);
  const limit = pLimit(Math.max(1, options.concurrency ?? availableParallelism()));
  const files = await Promise.all(
    inputs.map((input) =>
      limit(async () => {
        const result = await auditFile(input, options);
        options.onFileDone?.(result.stats, result.lines.length);
        return result;
      }),
    ),
  );
  const totals = totalsOf(files, inputIssues);
  const exitCode: AuditResult['exitCode'] = totals.ingestIssues.errors > 0 ? 3 : 0;
  const summary = buildSummary(options, files, inputIssues, totals, startedAt, now(), exitCode);
  const written: string[] = [];
  if (options.outDir !== null) {
    await mkdir(options.outDir, { recursive: true });
    const linesPath = join(options.outDir, 'lines.ndjson');
    await writeLinesAtomic(linesPath, ndjson(files));
    written.push(linesPath);
    if (options.formats.includes('json')) {
      const summaryPath = join(options.outDir, 'summary.json');
      await writeFileAtomic(summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
      written.push(summaryPath);
    }
  }
  return { exitCode, files, inputIssues, totals, summary, written };
}
