// The run manifest and ingest totals of the view: what was run, on what, and what was read.
import type { FileIngestStats } from '../ingest/index.js';
import type { IngestIssue } from '../model/index.js';
import type { PhiMode } from '../model/phi.js';
import type { Reference } from '../reference/index.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { IngestTotals, Manifest } from './view.js';

/** The run's counts over its files (each with its drug lines) and the problems with the inputs themselves. */
export function ingestTotals(files: ReadonlyArray<{ stats: FileIngestStats; drugLines: number }>, inputIssues: readonly IngestIssue[]): IngestTotals {
  const totals: IngestTotals = {
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
    for (const key of ['read', 'audited', 'skipped', 'unparseable'] as const) totals.claims[key] += stats.claims[key];
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


/** The manifest of a run: tool, times, reference data, options as given, and each input. */
export function manifestOf(run: { reference: Reference; phi: PhiMode; options: Manifest['options'] }, files: ReadonlyArray<{ stats: FileIngestStats; drugLines: number }>, startedAt: Date, finishedAt: Date): Manifest {
  const { reference } = run;
  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    run: { startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString() },
    phi: run.phi,
    reference: {
      pack: { version: reference.pack.version, sha256: reference.hash, file: reference.packFile, codes: Object.keys(reference.pack.codes).length },
      /** The CMS files the pack was built from (the default's and --reference's): kind, quarter, sha256. */
      sourceFiles: reference.pack.sourceFiles.map(({ file, kind, quarter, sha256 }) => ({ file, kind, quarter, sha256 })),
      mue: reference.mue.map((t) => ({ file: t.file, kind: t.kind, codes: t.entries.size, rowsRejected: t.rowsRejected })),
      ndcCrosswalk: reference.crosswalk ? { file: reference.crosswalk.file, codes: reference.crosswalk.byCode.size, rowsRejected: reference.crosswalk.rowsRejected } : null,
      profile: reference.profileFile,
    },
    options: run.options,
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
