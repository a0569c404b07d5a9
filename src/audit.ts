// runAudit: the core. Resolves inputs, ingests files (concurrently, merged in input order),
// selects drug lines, and writes the outputs. Returns values; prints nothing.
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { ingestFile, type FileIngestStats } from './ingest/index.js';
import { resolveInputs, type InputFile } from './ingest/inputs.js';
import { normaliseNdc } from './model/ndc.js';
import { isDrugLine, type CodeSelection } from './ingest/select.js';
import type { Claim, IngestIssue, LineRecord, ServiceLine } from './model/index.js';
import type { Reference } from './reference/index.js';
import { containerFor, priceOn } from './reference/pack.js';
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

const NO_RULES = { ruleId: '*', reason: 'no audit rules are implemented in this version' };

type NotChecked = LineRecord['notChecked'][number];

/**
 * The checks the reference data cannot support for this line, and why: a line with no price,
 * no MUE, an unknown container or no covered-diagnosis list is never passed on those counts.
 */
export function referenceGaps(line: ServiceLine, ndc: string | null, reference: Reference, asOf: string | null): NotChecked[] {
  const gaps: NotChecked[] = [];
  const hcpcs = line.hcpcs ?? '(no code)';
  const code = line.hcpcs ? reference.pack.codes[line.hcpcs] : undefined;
  if (!code) return [{ ruleId: '*', reason: `${hcpcs} is not in the reference pack (${reference.pack.version})` }];
  const date = line.serviceDate ?? asOf;
  if (!date) gaps.push({ ruleId: 'code-not-effective', reason: 'no service date on the line or the claim, and no --as-of' });
  const price = date ? priceOn(code, date) : null;
  if (date && (!price || price.price.paymentPerUnit === null)) {
    gaps.push({
      ruleId: 'charge-below-expected-payment',
      reason: price ? `no OPPS payment rate for ${hcpcs} in ${price.price.quarter} (status ${price.price.statusIndicator})` : `no OPPS Addendum B row for ${hcpcs} on or before ${date}`,
    });
  }
  if (!code.mue && !reference.mue?.entries.has(hcpcs)) {
    gaps.push({ ruleId: 'units-exceed-mue', reason: reference.mue ? `the MUE table ${reference.mue.file} has no ${hcpcs}` : 'no MUE table loaded (--mue)' });
  }
  if (containerFor(code, ndc).value === 'unknown') {
    const why = `container of ${hcpcs} unknown (${code.container.note ?? 'label not checked'})`;
    gaps.push({ ruleId: 'jw-jz-missing', reason: why }, { ruleId: 'jw-jz-on-multi-dose', reason: why });
  }
  if (!reference.crosswalk) gaps.push({ ruleId: 'ndc-not-for-code', reason: 'no NDC-HCPCS crosswalk loaded (--ndc-crosswalk)' });
  else if (!reference.crosswalk.byCode.has(hcpcs)) gaps.push({ ruleId: 'ndc-not-for-code', reason: `the crosswalk ${reference.crosswalk.file} lists no NDC for ${hcpcs}` });
  if (code.coveredDiagnoses.length === 0) gaps.push({ ruleId: 'diagnosis-not-covered', reason: `no covered-diagnosis list for ${hcpcs} in the pack` });
  if (code.selfAdministered.value === null) gaps.push({ ruleId: 'self-administered-drug', reason: `not known whether ${hcpcs} is self-administered` });
  if (!code.billingUnit) gaps.push({ ruleId: 'units-vs-ndc-quantity', reason: `billing unit of ${hcpcs} unknown` });
  return gaps.sort((a, b) => a.ruleId.localeCompare(b.ruleId));
}

function lineRecords(claim: Claim, options: AuditOptions): LineRecord[] {
  const records: LineRecord[] = [];
  for (const line of claim.lines) {
    if (!isDrugLine(line, options.codes)) continue;
    const normalised = line.drug ? normaliseNdc(line.drug.ndc) : null;
    const ndc = normalised?.ok ? normalised.ndc : null;
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
      ndc,
      ndcAsSent: line.drug?.ndc ?? null,
      ndcQuantity: line.drug?.quantity ?? null,
      ndcUnit: line.drug?.unit ?? null,
      payerClass: claim.payerClass,
      payerName: claim.payerName,
      memberId: maskMemberId(claim.memberId, options.phi),
      verdict: 'not-checked',
      findingIds: [],
      notChecked: [NO_RULES, ...referenceGaps(line, ndc, options.reference, options.asOf)],
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
  };
}

/** How many lines each rule could not check, by reason: "ruleId: reason" → count, sorted. */
function notCheckedReasons(files: FileResult[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const { lines } of files) {
    for (const line of lines) {
      for (const { ruleId, reason } of line.notChecked) {
        const key = `${ruleId}: ${reason.replace(/\b[JQ]\d{4}\b/g, 'the code')}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
  }
  return Object.fromEntries([...counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
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
