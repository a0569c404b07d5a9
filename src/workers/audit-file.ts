// Phase 1 of an audit, for one file: ingest and the per-claim rules, each drug line's entry
// appended to a temporary file in file order. Runs in the audit's thread or in a worker of
// the pool (workers/pool.ts); either way the entries on disk are the same.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { RunBuckets, type RunEntry } from './cross-claims.js';
import { ingestFile, type FileIngestStats } from '../ingest/index.js';
import type { CsvProfile } from '../ingest/csv/mapping.js';
import type { InputFile } from '../ingest/inputs.js';
import { isDrugLine, type CodeSelection } from '../ingest/select.js';
import type { Claim } from '../model/index.js';
import type { Reference } from '../reference/index.js';
import type { PhiMode } from '../model/phi.js';
import { auditClaim, type LineOutcome, type NotCheckedEntry } from '../rules/engine.js';
import { ExternalSorter, NdjsonWriter, readNdjson, type RecordCodec } from '../store/ndjson.js';
import { ENTRY_CODEC, lineEntry, type LineEntry } from './line-entry.js';

/** What phase 1 needs of the audit's options (all of it can cross to a worker). */
export interface Phase1Options {
  codes: CodeSelection;
  reference: Reference;
  asOf: string | null;
  phi: PhiMode;
  csvProfile?: CsvProfile | null;
  /** Buckets of the phase across claims (cross-claims.ts, bucketCount). */
  buckets: number;
  signal?: AbortSignal;
}

/** Progress of phase 1, as counts. */
export interface Phase1Progress {
  read(bytes: number): void;
  claim(findings: number): void;
  withdraw(claims: number, findings: number): void;
}

export type { RunEntry } from './cross-claims.js';

export interface PendingFile {
  stats: FileIngestStats;
  /** The file's line entries, in file order, and how many. */
  entries: string;
  count: number;
  /** The not-checked reasons the entries point at. */
  reasons: NotCheckedEntry[];
  /** The run records of the lines the rules across claims need, by bucket (null: none), in file order. */
  runs: Array<{ path: string; count: number } | null>;
}

/** The engine's outcomes of a claim's drug lines: the per-claim rules (the benchmark's floor runs them too). */
export function auditDrugLines(claim: Claim, options: Pick<Phase1Options, 'codes' | 'reference' | 'asOf'>): LineOutcome[] {
  const indexes: number[] = [];
  claim.lines.forEach((line, i) => {
    if (isDrugLine(line, options.codes)) indexes.push(i);
  });
  return indexes.length === 0 ? [] : auditClaim(claim, indexes, options.reference, options.asOf);
}

const STRAY_FILE_CODES = new Set(['format-unknown', 'csv-layout-unknown', 'csv-layout-refused']);

/** Seq of a drug line: file index, then position in the file (files are audited concurrently). */
const seqOf = (fileIndex: number, local: number) => fileIndex * 2 ** 32 + local;

export async function auditFile(input: InputFile, fileIndex: number, options: Phase1Options, progress: Phase1Progress | null, temp: string): Promise<PendingFile> {
  const entriesPath = join(temp, `file-${fileIndex}.ndjson`);
  const runsPath = (b: number) => join(temp, `file-${fileIndex}-run-${b}.ndjson`);
  let writer = new NdjsonWriter<LineEntry>(entriesPath, { codec: ENTRY_CODEC });
  let runs = new RunBuckets(runsPath, options.buckets);
  let claims = 0;
  let findingsSoFar = 0;
  const reasons: NotCheckedEntry[] = [];
  const reasonIndex = new Map<NotCheckedEntry, number>();
  const indexOf = (entry: NotCheckedEntry) => {
    let i = reasonIndex.get(entry);
    if (i === undefined) {
      i = reasons.push(entry) - 1;
      reasonIndex.set(entry, i);
    }
    return i;
  };
  const stats = await ingestFile(input.path, input.display, {
    phi: options.phi,
    onClaim: (claim) => {
      let findings = 0;
      claims++;
      const claimAt = claim.sourceRef.row ?? claim.sourceRef.byteOffset;
      for (const outcome of auditDrugLines(claim, options)) {
        const seq = seqOf(fileIndex, writer.count);
        const crosses = outcome.run.crosses.length > 0;
        writer.writeRecord(lineEntry(outcome, { seq, claimAt, notChecked: outcome.notChecked.map(indexOf).join(',') }, crosses, options.phi));
        if (crosses) runs.write({ ...outcome.run, seq, claimAt, row: outcome.base.sourceRef.row ?? null });
        findings += outcome.findings.length;
      }
      findingsSoFar += findings;
      progress?.claim(findings);
    },
    ...(progress ? { onRead: (n: number) => progress.read(n) } : {}),
    onReset: () => {
      // The file is read again (a CSV whose claims are not contiguous): forget the first reading.
      progress?.withdraw(claims, findingsSoFar);
      claims = 0;
      findingsSoFar = 0;
      writer.close();
      for (const file of runs.close()) if (file) rmSync(file.path, { force: true });
      writer = new NdjsonWriter<LineEntry>(entriesPath, { codec: ENTRY_CODEC });
      runs = new RunBuckets(runsPath, options.buckets);
    },
    csvProfile: options.csvProfile ?? null,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  writer.close();
  const runFiles = runs.close();
  if (stats.reordered) {
    const reordered = reorder(entriesPath, runFiles, fileIndex, options.buckets, temp);
    return finishFile(input, stats, reordered.entries, writer.count, reasons, reordered.runs);
  }
  return finishFile(input, stats, entriesPath, writer.count, reasons, runFiles);
}

/**
 * A CSV regrouped on disk hands claims over by bucket: its lines are put back in file order
 * (claims by their first row, lines by row) and numbered again. Entries and run records are
 * sorted by the same fields, so they are walked together: each run record takes the new seq
 * of its entry.
 */
function reorder(entriesPath: string, runFiles: PendingFile['runs'], fileIndex: number, buckets: number, temp: string): { entries: string; runs: PendingFile['runs'] } {
  const sorter = <T extends { seq: number; claimAt: number; row: number | null }>(name: string, codec?: RecordCodec<T>) =>
    new ExternalSorter<T>(
      (a, b) => a.claimAt - b.claimAt || (a.row ?? 0) - (b.row ?? 0) || a.seq - b.seq,
      (n) => join(temp, `file-${fileIndex}-reorder-${name}-${n}.ndjson`),
      undefined,
      codec,
    );
  const entries = sorter<LineEntry>('lines', ENTRY_CODEC);
  for (const entry of readNdjson(entriesPath, ENTRY_CODEC)) entries.add(entry);
  const runs = sorter<RunEntry>('run');
  for (const file of runFiles) if (file) for (const record of readNdjson<RunEntry>(file.path)) runs.add(record);
  const sortedRuns = runs.sorted();
  let run = sortedRuns.next();
  const out = new NdjsonWriter<LineEntry>(join(temp, `file-${fileIndex}-sorted.ndjson`), { codec: ENTRY_CODEC });
  const outRuns = new RunBuckets((b) => join(temp, `file-${fileIndex}-run-sorted-${b}.ndjson`), buckets);
  for (const entry of entries.sorted()) {
    const seq = seqOf(fileIndex, out.count);
    if (!run.done && run.value.seq === entry.seq) {
      outRuns.write({ ...run.value, seq });
      run = sortedRuns.next();
    }
    out.writeRecord({ ...entry, seq });
  }
  out.close();
  return { entries: out.path, runs: outRuns.close() };
}

function finishFile(input: InputFile, stats: FileIngestStats, entries: string, count: number, reasons: NotCheckedEntry[], runs: PendingFile['runs']): PendingFile {
  if (!input.explicit) {
    // A stray file in a folder (a README, an image, a CSV that is not a claim export) is
    // skipped, not an input error.
    for (const issue of stats.issues) if (STRAY_FILE_CODES.has(issue.code)) issue.severity = 'warning';
  }
  return { stats, entries, count, reasons, runs };
}

