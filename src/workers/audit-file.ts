// Phase 1 of an audit, for one file: ingest and the per-claim rules, each drug line's entry
// appended to a temporary file in file order. Runs in the audit's thread or in a worker of
// the pool (workers/pool.ts); either way the entries on disk are the same.
import { join } from 'node:path';
import { ingestFile, type FileIngestStats } from '../ingest/index.js';
import type { CsvProfile } from '../ingest/csv/mapping.js';
import type { InputFile } from '../ingest/inputs.js';
import { isDrugLine, type CodeSelection } from '../ingest/select.js';
import type { Claim, Finding } from '../model/index.js';
import type { Reference } from '../reference/index.js';
import { redactSegmentSnippet, type PhiMode } from '../report/phi.js';
import { auditClaim, type LineOutcome, type NotCheckedEntry } from '../rules/engine.js';
import { ExternalSorter, NdjsonWriter, readNdjson } from '../store/ndjson.js';

/** What phase 1 needs of the audit's options (all of it can cross to a worker). */
export interface Phase1Options {
  codes: CodeSelection;
  reference: Reference;
  asOf: string | null;
  phi: PhiMode;
  csvProfile?: CsvProfile | null;
  signal?: AbortSignal;
}

/** Progress of phase 1, as counts. */
export interface Phase1Progress {
  read(bytes: number): void;
  claim(findings: number): void;
  withdraw(claims: number, findings: number): void;
}

/** A drug line after the per-claim rules, as phase 1 stores it on disk (member id unmasked). */
export interface LineEntry {
  seq: number;
  base: LineOutcome['base'];
  run: LineOutcome['run'];
  findings: Finding[];
  notChecked: NotCheckedEntry[];
  /** Where the line's claim starts (CSV row or byte): orders a regrouped file's claims. */
  claimAt: number;
}


export interface PendingFile {
  stats: FileIngestStats;
  /** The file's line entries, in file order, and how many. */
  entries: string;
  count: number;
}

/** The engine's outcomes of a claim's drug lines (records are built from them at the end). */
function auditDrugLines(claim: Claim, options: Phase1Options): LineOutcome[] {
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
  let writer = new NdjsonWriter<LineEntry>(entriesPath);
  let claims = 0;
  let findingsSoFar = 0;
  const stats = await ingestFile(input.path, input.display, {
    onClaim: (claim) => {
      let findings = 0;
      claims++;
      const claimAt = claim.sourceRef.row ?? claim.sourceRef.byteOffset;
      for (const outcome of auditDrugLines(claim, options)) {
        writer.writeRecord({ seq: seqOf(fileIndex, writer.count), base: outcome.base, run: outcome.run, findings: outcome.findings, notChecked: outcome.notChecked, claimAt });
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
      writer = new NdjsonWriter<LineEntry>(entriesPath);
    },
    csvProfile: options.csvProfile ?? null,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  writer.close();
  if (stats.reordered) {
    // A CSV regrouped on disk hands claims over by bucket: put them back in file order (claims
    // by their first row, lines by row) and number the lines again.
    const sorter = new ExternalSorter<LineEntry>(
      (a, b) => a.claimAt - b.claimAt || (a.base.sourceRef.row ?? 0) - (b.base.sourceRef.row ?? 0) || a.seq - b.seq,
      (n) => join(temp, `file-${fileIndex}-sort-${n}.ndjson`),
    );
    for await (const entry of readNdjson<LineEntry>(entriesPath)) sorter.add(entry);
    const sorted = new NdjsonWriter<LineEntry>(join(temp, `file-${fileIndex}-sorted.ndjson`));
    for await (const entry of sorter.sorted()) sorted.writeRecord({ ...entry, seq: seqOf(fileIndex, sorted.count) });
    sorted.close();
    return finishFile(input, stats, options, sorted.path, sorted.count);
  }
  return finishFile(input, stats, options, entriesPath, writer.count);
}

function finishFile(input: InputFile, stats: FileIngestStats, options: Phase1Options, entries: string, count: number): PendingFile {
  if (!input.explicit) {
    // A stray file in a folder (a README, an image, a CSV that is not a claim export) is
    // skipped, not an input error.
    for (const issue of stats.issues) if (STRAY_FILE_CODES.has(issue.code)) issue.severity = 'warning';
  }
  for (const issue of stats.issues) {
    const value = redactSegmentSnippet(issue.value, options.phi);
    if (value !== undefined) issue.value = value;
  }
  return { stats, entries, count };
}

