// Large X12 files split by byte range for the map steps, and put back together by merge. A part
// is read from an interchange header (ISA) to the next part's: the tokenizer has no state across
// interchanges, so the parts' claims are the whole file's. Byte offsets are the file's own; a
// part counts segments and interchanges from 0, and merge adds the parts before it (segmentBase),
// so every position in the outputs is what a single run reports.
import type { FileIngestStats } from '../../ingest/index.js';
import { MAX_ISSUES_PER_FILE } from '../../ingest/index.js';
import type { IngestIssue } from '../../model/index.js';

/** Where a part's counts start in the whole file. */
export interface PartBase {
  segments: number;
  interchanges: number;
}

/** Each part's base: the segments and interchanges of the parts before it. */
export function partBases(parts: readonly FileIngestStats[]): PartBase[] {
  const bases: PartBase[] = [];
  let segments = 0;
  let interchanges = 0;
  for (const stats of parts) {
    bases.push({ segments, interchanges });
    segments += stats.part?.segmentsSeen ?? 0;
    interchanges += stats.part?.interchangesSeen ?? 0;
  }
  return bases;
}

/** "(segment N)" in the messages the tokenizer and the 837 assembler write. */
const SEGMENT_IN_MESSAGE = /\(segment (\d+)\)/g;

function shiftIssue<I extends IngestIssue>(issue: I, base: PartBase): I {
  if (base.segments === 0 && base.interchanges === 0) return issue;
  return {
    ...issue,
    message: issue.message.replace(SEGMENT_IN_MESSAGE, (_, n: string) => `(segment ${Number(n) + base.segments})`),
    ...(issue.segmentIndex !== undefined ? { segmentIndex: issue.segmentIndex + base.segments } : {}),
    ...(issue.interchangeIndex !== undefined ? { interchangeIndex: issue.interchangeIndex + base.interchanges } : {}),
  };
}

/** A split file's stats from its parts' (in order), as a single reading of the file reports them. */
export function combineStats(parts: readonly FileIngestStats[]): FileIngestStats {
  const bases = partBases(parts);
  const first = parts[0]!;
  const issues = parts.flatMap((p, i) => p.issues.map((issue) => shiftIssue(issue, bases[i]!)));
  const omitted = parts.reduce((n, p) => n + p.issuesOmitted, 0);
  const sum = (pick: (s: FileIngestStats) => number) => parts.reduce((n, p) => n + pick(p), 0);
  const combined: FileIngestStats = {
    file: first.file,
    format: first.format,
    bytes: sum((s) => s.bytes),
    decodedBytes: sum((s) => s.decodedBytes),
    // Part 0 hashes the whole file.
    sha256: parts.some((p) => p.readFailed) ? '' : first.sha256,
    interchanges: sum((s) => s.interchanges),
    groups: sum((s) => s.groups),
    transactions: sum((s) => s.transactions),
    segments: sum((s) => s.segments),
    claims: { read: sum((s) => s.claims.read), audited: sum((s) => s.claims.audited), skipped: sum((s) => s.claims.skipped), unparseable: sum((s) => s.claims.unparseable) },
    lines: sum((s) => s.lines),
    skippedTransactions: parts.flatMap((p, i) => p.skippedTransactions.map((t) => ({ ...t, segmentIndex: t.segmentIndex + bases[i]!.segments }))),
    unparseableClaims: parts.flatMap((p, i) => p.unparseableClaims.map((c) => ({ ...c, segmentIndex: c.segmentIndex + bases[i]!.segments }))),
    // The first MAX_ISSUES_PER_FILE in file order, as one reading keeps them.
    issues: issues.slice(0, MAX_ISSUES_PER_FILE),
    issuesOmitted: omitted + Math.max(0, issues.length - MAX_ISSUES_PER_FILE),
    readFailed: parts.some((p) => p.readFailed),
  };
  return combined;
}
