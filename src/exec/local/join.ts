// Phase 3 of the local executor, for one file: each line entry joined with what the cross-claim
// checks said of it (both in seq order), then stage 4 (the view): the line counted, its record
// written to the file's part of lines.ndjson (copied byte for byte when no check found anything
// on it, the usual case), and its findings sorted into ranked runs. Runs in the audit's thread
// or in a worker of the pool; the audit joins the parts in input order and merges the runs.
import { join } from 'node:path';
import { FileRunLog, type PartRuns } from '../../view/claim-runs.js';
import type { Finding, LineRecord, NotCheckedEntry } from '../../model/index.js';
import { rankLine } from '../../model/order.js';
import { setVerdict } from '../../view/lines.js';
import { LineTally, type TallyState } from '../../view/tally.js';
import { joinGroupResult, Triage, type StageOptions } from '../../stages.js';
import { Breather, ExternalSorter, readLineBytes, readNdjson, SORT_RUN, tempSize, TextWriter } from '../../store/ndjson.js';
import { compareRanked, entryFindings, EntryView, RANKED_CODEC, rankedFinding, type GroupResultRecord, type RankedFinding } from './records.js';

export interface JoinTask {
  fileIndex: number;
  /** The file's entries (phase 1) and what phase 2 said of its lines, both in seq order. */
  entries: string;
  /** The not-checked reasons the entries point at. */
  reasons: NotCheckedEntry[];
  results: string | null;
  /** Where the file's lines.ndjson part goes (null: not written). */
  lines: string | null;
  temp: string;
  sortRun?: number;
  /** Keep every line record (tests, and runs without an output folder): this thread only. */
  keep?: boolean;
  /**
   * A part of a split file (the sharded executor) counts segments from 0: the segments of the
   * parts before it, added to every position its records and findings give.
   */
  segmentBase?: number;
  /** A part of a split file: its log of claim runs is kept, for the claims it shares with the other parts (claim-runs.ts overcounted). */
  keepClaimRuns?: boolean;
}

/** A position counted in a part of a file, moved to the file's count. */
function shiftRef(ref: { segmentIndex?: number | undefined }, base: number): void {
  if (ref.segmentIndex !== undefined) ref.segmentIndex += base;
}

function shiftFinding(finding: Finding, base: number): void {
  shiftRef(finding.sourceRef, base);
  if (typeof finding.evidence.segmentIndex === 'number') finding.evidence.segmentIndex += base;
}

export interface JoinDone {
  tally: TallyState;
  /** The file's findings as ranked runs on disk (RANKED_CODEC), for the executor to merge. */
  runs: string[];
  findings: number;
  kept: LineRecord[];
  /** The kept log of claim runs (keepClaimRuns), with what its group numbers stand for. */
  claimRuns: PartRuns | null;
}

export async function joinFile(task: JoinTask, options: Pick<StageOptions, 'reference' | 'phi' | 'failOn' | 'suppressions'>, signal?: AbortSignal): Promise<JoinDone> {
  // The claim runs wait on disk, and the filter is sized from the entries (a claim with findings takes well over a kilobyte of them).
  const entryBytes = tempSize(task.entries);
  const claimRuns = new FileRunLog(join(task.temp, `file-${task.fileIndex}-claim-runs.ndjson`), task.keepClaimRuns === true);
  const tally = new LineTally(options.reference, options.failOn, { log: claimRuns, expected: Math.max(10_000, Math.ceil(entryBytes / 1024)) });
  const triage = new Triage(options.phi, options.suppressions);
  const sorter = new ExternalSorter<RankedFinding>(compareRanked, (n) => join(task.temp, `file-${task.fileIndex}-ranked-${n}.ndjson`), task.sortRun ?? SORT_RUN, RANKED_CODEC);
  const breath = new Breather(signal);
  const out = task.lines === null ? null : new TextWriter(task.lines);
  const kept: LineRecord[] = [];
  const base = task.segmentBase ?? 0;
  const results = task.results === null ? null : readNdjson<GroupResultRecord>(task.results);
  // The reasons of each set of not-checked indexes, as entries carry them ('' for none).
  const reasonSets = new Map<string, NotCheckedEntry[]>([['', []]]);
  const reasonsOf = (indexes: string) => {
    let set = reasonSets.get(indexes);
    if (!set) reasonSets.set(indexes, (set = indexes.split(',').map((i) => task.reasons[Number(i)]!)));
    return set;
  };
  try {
    let next = results?.next();
    const entry = new EntryView();
    for (const bytes of readLineBytes(task.entries)) {
      if (breath.due()) await breath.turn();
      entry.read(bytes);
      const seq = entry.seq;
      const line = { findings: entryFindings(entry.findings), notChecked: reasonsOf(entry.notChecked) };
      let record: LineRecord | null = null;
      while (next && !next.done && next.value.seq === seq) {
        if (record === null) {
          record = JSON.parse(entry.record) as LineRecord;
          line.notChecked = [...line.notChecked];
        }
        joinGroupResult(line, next.value);
        next = results!.next();
      }
      if (base > 0) {
        record ??= JSON.parse(entry.record) as LineRecord;
        shiftRef(record.sourceRef, base);
        for (const f of line.findings) shiftFinding(f, base);
      }
      if (next && !next.done && next.value.seq < seq) throw new Error(`a cross-claim result for line ${next.value.seq} has no line entry`);
      const triaged = line.findings.length === 0 ? line.findings : triage.line(line.findings);
      tally.add({ findings: triaged, notChecked: line.notChecked });
      if (triaged.length > 0) for (const f of rankLine(triaged)) sorter.add(rankedFinding(f));
      if (record !== null) setVerdict(record, line.findings, line.notChecked);
      if (out) {
        if (record === null) out.writeBytes(entry.recordBytes());
        else out.write(JSON.stringify(record));
        out.write('\n');
      }
      if (task.keep) kept.push(record ?? (JSON.parse(entry.record) as LineRecord));
    }
    return { tally: tally.state(), runs: sorter.finish(), findings: sorter.count, kept, claimRuns: task.keepClaimRuns ? { path: claimRuns.path, groups: tally.groupRefs() } : null };
  } finally {
    results?.return(undefined);
    out?.close();
    claimRuns.close();
  }
}
