// The local executor: bounded memory on one machine. Phase 1 maps each file (ingest, the claim
// rules) to line entries and group records on disk; phase 2 checks the cross-claim groups bucket
// by bucket; phase 3 joins each file's entries with what phase 2 said and counts the view; the
// findings' ranked runs are merged last. With --concurrency above 1 and enough input, each
// phase's tasks go to a pool of worker threads.
import { join } from 'node:path';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Finding } from '../../model/index.js';
import { LineTally } from '../../report/tally.js';
import { Lineage, type FileResult } from '../../stages.js';
import { appendFileTo, ExternalSorter, NdjsonWriter, SORT_RUN } from '../../store/ndjson.js';
import type { ExecPlan, ExecResult, Executor } from '../types.js';
import { BUCKET_LINES, bucketCount, checkBucket, type BucketDone, type BucketTask } from './groups.js';
import { joinFile, type JoinDone, type JoinTask } from './join.js';
import { mapFile, type MappedFile } from './map.js';
import { WorkerPool } from './pool.js';
import { compareRanked, RANKED_CODEC, Seq, type GroupResultRecord, type RankedFinding } from './records.js';
import { renameSync, rmSync } from 'node:fs';

/** Below this much input the pool is not started: its workers' start-up would cost more than they save. */
export const POOL_MIN_BYTES = 32 * 1024 * 1024;

/** The run's lineage: every file's replacements and voids. */
function runLineage(mapped: readonly MappedFile[]): Lineage {
  const lineage = new Lineage();
  for (const file of mapped) lineage.absorb(file.lineage);
  return lineage;
}

/** Phase 2: every bucket checked; their results merged into one file a input file, in seq order (null: none). */
async function checkBuckets(mapped: MappedFile[], buckets: number, plan: ExecPlan, limit: LimitFunction, check: (task: BucketTask) => Promise<BucketDone>): Promise<Array<string | null>> {
  const tasks: BucketTask[] = [];
  const bucketLines = plan.tuning?.bucketLines ?? BUCKET_LINES;
  // The run's lineage, from every file's replacements and voids: applied in each bucket.
  const superseded = runLineage(mapped).entries();
  for (let b = 0; b < buckets; b++) {
    const parts = mapped.flatMap((file) => (file.buckets[b] ? [file.buckets[b]!] : []));
    if (parts.length > 0) tasks.push({ bucket: String(b), parts: parts.map((p) => p.path), count: parts.reduce((n, p) => n + p.count, 0), temp: plan.temp, bucketLines, superseded });
  }
  const done = await Promise.all(tasks.map((task) => limit(() => check(task))));
  plan.signal?.throwIfAborted();
  const merged = new ExternalSorter<GroupResultRecord>((a, b) => a.seq - b.seq, (n) => join(plan.temp, `results-merge-${n}.ndjson`), plan.tuning?.sortRun ?? SORT_RUN);
  let findings = 0;
  for (const { results, count, findings: found } of done) {
    if (results) merged.addRuns([results], count);
    findings += found;
  }
  plan.progress?.claims(0, findings);
  // Split by input file, for phase 3.
  const paths: Array<string | null> = mapped.map(() => null);
  let writer: NdjsonWriter<GroupResultRecord> | null = null;
  for (const result of merged.sorted()) {
    const fileIndex = Seq.file(result.seq);
    if (paths[fileIndex] === null) {
      writer?.close();
      writer = new NdjsonWriter<GroupResultRecord>(join(plan.temp, `results-file-${fileIndex}.ndjson`));
      paths[fileIndex] = writer.path;
    }
    writer!.writeRecord(result);
  }
  writer?.close();
  return paths;
}

/** A file's part of lines.ndjson added to the whole: the first renamed into place when it can be, the others appended. */
function joinPart(target: string, part: string, first: boolean): void {
  if (first) {
    try {
      renameSync(part, target);
      return;
    } catch {
      // Another file system: copied below.
    }
  }
  appendFileTo(target, part);
  rmSync(part, { force: true });
}

/** The merged ranking's findings, parsed as they are read. */
function* parsed(ranked: Iterable<RankedFinding>): Generator<Finding> {
  for (const { json } of ranked) yield JSON.parse(json) as Finding;
}

export const localExecutor: Executor = {
  name: 'local',
  async run(plan: ExecPlan): Promise<ExecResult> {
    const { options, progress, temp } = plan;
    // Compressed input holds several times its size in claims.
    const buckets = bucketCount(plan.inputBytes * (plan.inputs.some((i) => i.path.endsWith('.gz')) ? 8 : 1), plan.tuning?.bucketLines);
    const concurrency = Math.max(1, plan.concurrency);
    const limit = pLimit(concurrency);
    const usePool = WorkerPool.available && concurrency > 1 && plan.inputs.length > 1 && !plan.keep && (plan.tuning?.pool === 'always' || (plan.tuning?.pool !== 'never' && plan.inputBytes >= POOL_MIN_BYTES));
    const workers = usePool ? Math.min(concurrency, plan.inputs.length) : 0;
    let pool: WorkerPool | null = usePool ? new WorkerPool(workers, options, plan.signal) : null;
    try {
      // Phase 1.
      const claimProgress = progress ? { read: (n: number) => progress.read(n), claim: (findings: number) => progress.claims(1, findings), claims: (n: number, findings: number) => progress.claims(n, findings) } : null;
      const mapped = await Promise.all(
        plan.inputs.map((input, fileIndex) =>
          limit(async () => {
            const file = pool ? await pool.map(input, fileIndex, buckets, temp, claimProgress) : await mapFile(input, fileIndex, options, buckets, temp, claimProgress, plan.signal);
            progress?.fileDone();
            plan.onFileDone?.({ stats: file.stats, drugLines: file.drugLines, lines: [] });
            return file;
          }),
        ),
      );
      plan.signal?.throwIfAborted();

      // Phase 2.
      progress?.phase('cross-claim');
      const results = await checkBuckets(mapped, buckets, plan, limit, async (task) => (pool ? pool.bucket(task) : checkBucket(task, options.reference)));

      // Phase 3.
      progress?.phase('writing');
      const joined = await Promise.all(
        mapped.map((file, fileIndex) =>
          limit((): Promise<JoinDone> => {
            const task: JoinTask = { fileIndex, entries: file.entries, reasons: file.reasons, results: results[fileIndex] ?? null, lines: plan.linesOut === null ? null : join(temp, `lines-${fileIndex}.ndjson`), temp, keep: plan.keep, ...(plan.tuning?.sortRun ? { sortRun: plan.tuning.sortRun } : {}) };
            return pool ? pool.join(task) : joinFile(task, options, plan.signal);
          }),
        ),
      );
      plan.signal?.throwIfAborted();
      await pool?.close();
      pool = null;

      // The parts in input order: lines.ndjson concatenated, counts added, ranked runs merged.
      const tally = new LineTally(options.reference, options.phi, options.failOn);
      const ranking = new ExternalSorter<RankedFinding>(compareRanked, (n) => join(temp, `findings-${n}.ndjson`), plan.tuning?.sortRun ?? SORT_RUN, RANKED_CODEC);
      const files: FileResult[] = joined.map((part, fileIndex) => {
        tally.absorb(part.tally);
        ranking.addRuns(part.runs, part.findings);
        if (plan.linesOut !== null) joinPart(plan.linesOut, join(temp, `lines-${fileIndex}.ndjson`), fileIndex === 0);
        return { stats: mapped[fileIndex]!.stats, drugLines: mapped[fileIndex]!.drugLines, lines: part.kept };
      });
      return { files, tally: tally.state(), ranked: parsed(ranking.sorted()), lineage: runLineage(mapped).entries(), execution: { executor: 'local', workers, buckets } };
    } finally {
      await pool?.close();
    }
  },
};
