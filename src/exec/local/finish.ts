// What the local and the sharded executors do alike once every cross-claim bucket is checked:
// the buckets' results merged by line and split by unit (a file, or a part of one), then each
// unit's entries joined with its results (phase 3), and the parts put together in unit order:
// lines.ndjson's first part put in place (the others are appended by tidy.ts), counts added,
// ranked runs merged.
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LimitFunction } from 'p-limit';
import type { Finding, LineRecord, NotCheckedEntry } from '../../model/index.js';
import { overcounted } from '../../view/claim-runs.js';
import { LineTally, type TallyState } from '../../view/tally.js';
import { appendFileTo, ExternalSorter, NdjsonWriter, removeTemp, SORT_RUN, tempSize } from '../../store/ndjson.js';
import type { ExecPlan } from '../types.js';
import type { BucketDone } from './groups.js';
import type { JoinDone, JoinTask } from './join.js';
import { compareRanked, RANKED_CODEC, Seq, type GroupResultRecord, type RankedFinding } from './records.js';

/** The checked buckets' results merged by seq and split into one file a unit (null: none for that unit). */
export function resultsByUnit(done: readonly BucketDone[], units: number, temp: string, sortRun = SORT_RUN): Array<string | null> {
  const merged = new ExternalSorter<GroupResultRecord>((a, b) => a.seq - b.seq, (n) => join(temp, `results-merge-${n}.ndjson`), sortRun);
  for (const { results, count } of done) if (results) merged.addRuns([results], count);
  const paths: Array<string | null> = Array.from({ length: units }, () => null);
  let writer: NdjsonWriter<GroupResultRecord> | null = null;
  for (const result of merged.sorted()) {
    const unit = Seq.file(result.seq);
    if (paths[unit] === null) {
      writer?.close();
      writer = new NdjsonWriter<GroupResultRecord>(join(temp, `results-file-${unit}.ndjson`), { hold: true });
      paths[unit] = writer.path;
    }
    writer!.writeRecord(result);
  }
  writer?.close();
  return paths;
}

/** The first unit's part of lines.ndjson put in place: renamed when it can be, else copied. */
function firstPart(target: string, part: string): void {
  try {
    renameSync(part, target);
    return;
  } catch {
    // Another file system.
  }
  appendFileTo(target, part);
  rmSync(part, { force: true });
}

/** The merged ranking's findings, parsed as they are read. */
function* parsed(ranked: Iterable<RankedFinding>): Generator<Finding> {
  for (const { json } of ranked) yield JSON.parse(json) as Finding;
}

/** A unit's line entries (phase 1) and the not-checked reasons they point at. */
export interface UnitEntries {
  entries: string;
  reasons: NotCheckedEntry[];
  /** A part of a split file: the segments of the parts before it (JoinTask.segmentBase). */
  segmentBase?: number;
}

export interface Finished {
  tally: TallyState;
  ranked: Iterable<Finding>;
  /** Each unit's line records, when the plan keeps them. */
  kept: LineRecord[][];
  /** The other units' parts of lines.ndjson, in order, to append to the first (tidy.ts). */
  parts: string[];
}

/**
 * Phase 3 for every unit (`join` runs one, in this thread or a worker), and the parts put together
 * in unit order. `splitFiles`: the units of each file split in parts (in file order), whose
 * claims counted in two parts are counted once.
 */
export async function joinUnits(units: readonly UnitEntries[], results: ReadonlyArray<string | null>, plan: ExecPlan, limit: LimitFunction, joinOne: (task: JoinTask) => Promise<JoinDone>, splitFiles: ReadonlyArray<readonly number[]> = []): Promise<Finished> {
  const { temp, options } = plan;
  const split = splitFiles.filter((parts) => parts.length > 1);
  const inSplit = new Set(split.flat());
  const joined = await Promise.all(
    units.map((unit, index) =>
      limit((): Promise<JoinDone> => {
        const task: JoinTask = { fileIndex: index, entries: unit.entries, reasons: unit.reasons, results: results[index] ?? null, lines: plan.linesOut === null ? null : join(temp, `lines-${index}.ndjson`), temp, keep: plan.keep, ...(plan.tuning?.sortRun ? { sortRun: plan.tuning.sortRun } : {}), ...(unit.segmentBase ? { segmentBase: unit.segmentBase } : {}), ...(inSplit.has(index) ? { keepClaimRuns: true } : {}) };
        return joinOne(task);
      }),
    ),
  );
  plan.signal?.throwIfAborted();
  const tally = new LineTally(options.reference, options.failOn);
  const ranking = new ExternalSorter<RankedFinding>(compareRanked, (n) => join(temp, `findings-${n}.ndjson`), plan.tuning?.sortRun ?? SORT_RUN, RANKED_CODEC);
  const parts: string[] = [];
  const kept = joined.map((part, index) => {
    tally.absorb(part.tally);
    ranking.addRuns(part.runs, part.findings);
    if (plan.linesOut !== null) {
      if (index === 0) firstPart(plan.linesOut, join(temp, `lines-0.ndjson`));
      else parts.push(join(temp, `lines-${index}.ndjson`));
    }
    return part.kept;
  });
  for (const parts of split) {
    const logs = parts.map((u) => joined[u]!.claimRuns!);
    // The filter is sized from the logs (a run's line is some tens of bytes).
    const bytes = logs.reduce((n, log) => n + tempSize(log.path), 0);
    tally.uncount(overcounted(logs, Math.max(10_000, Math.ceil(bytes / 32))));
    for (const log of logs) removeTemp(log.path);
  }
  return { tally: tally.state(), ranked: parsed(ranking.sorted()), kept, parts };
}
