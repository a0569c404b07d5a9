// The local executor: bounded memory on one machine. Phase 1 maps each file (ingest, the claim
// rules) to line entries and group records on disk; phase 2 checks the cross-claim groups bucket
// by bucket; phase 3 joins each file's entries with what phase 2 said and counts the view; the
// findings' ranked runs are merged last. With --concurrency above 1 and enough input, each
// phase's tasks go to a pool of worker threads.
import pLimit from 'p-limit';
import { Lineage, type FileResult, type LineageEntry } from '../../stages.js';
import type { ExecPlan, ExecResult, Executor } from '../types.js';
import { joinUnits, resultsByUnit } from './finish.js';
import { BUCKET_LINES, bucketCount, checkBucket, type BucketTask } from './groups.js';
import { joinFile } from './join.js';
import { mapFile, type MappedFile } from './map.js';
import { WorkerPool } from './pool.js';
import { tidy } from './tidy.js';
import { dropHeld, holdTempFiles } from '../../store/ndjson.js';

/** Below this much input the pool is not started: its workers' start-up would cost more than they save. */
export const POOL_MIN_BYTES = 32 * 1024 * 1024;

/** The run's lineage: every file's replacements and voids. */
export function runLineage(mapped: ReadonlyArray<Pick<MappedFile, 'lineage'>>): Lineage {
  const lineage = new Lineage();
  for (const file of mapped) lineage.absorb(file.lineage);
  return lineage;
}

/** The run's tasks of phase 2: one a bucket that has records, its parts from every file. */
export function bucketTasks(mapped: ReadonlyArray<Pick<MappedFile, 'buckets'>>, buckets: number, superseded: LineageEntry[], temp: string, bucketLines = BUCKET_LINES): BucketTask[] {
  const tasks: BucketTask[] = [];
  for (let b = 0; b < buckets; b++) {
    const parts = mapped.flatMap((file) => (file.buckets[b] ? [file.buckets[b]!] : []));
    if (parts.length > 0) tasks.push({ bucket: String(b), parts: parts.map((p) => p.path), count: parts.reduce((n, p) => n + p.count, 0), temp, bucketLines, superseded });
  }
  return tasks;
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
    // Every phase in this thread: its temporary files stay in memory while the budget lasts (released by the audit with the folder).
    if (!pool && plan.memoryBudget > 0) holdTempFiles(temp, plan.memoryBudget);
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
      // The run's lineage, from every file's replacements and voids: applied in each bucket.
      const lineage = runLineage(mapped).entries();
      const tasks = bucketTasks(mapped, buckets, lineage, temp, plan.tuning?.bucketLines);
      const done = await Promise.all(tasks.map((task) => limit(() => (pool ? pool.bucket(task) : Promise.resolve(checkBucket(task, options.reference))))));
      plan.signal?.throwIfAborted();
      progress?.claims(0, done.reduce((n, d) => n + d.findings, 0));
      const results = resultsByUnit(done, mapped.length, temp, plan.tuning?.sortRun);

      // Phase 3, and the parts in input order.
      progress?.phase('writing');
      const finished = await joinUnits(mapped, results, plan, limit, (task) => (pool ? pool.join(task) : joinFile(task, options, plan.signal)));
      await pool?.close();
      pool = null;
      // Beside the reports: lines.ndjson put together, and the phases' files (all read now) removed.
      const settled = tidy({
        target: plan.linesOut,
        parts: finished.parts,
        // Held files are let go here, in this thread; the others are unlinked by tidy's.
        remove: dropHeld(...mapped.flatMap((file) => [file.entries, ...file.buckets.flatMap((b) => (b ? [b.path] : []))]), ...done.flatMap((d) => (d.results ? [d.results] : [])), ...results.filter((r): r is string => r !== null)),
      });
      const files: FileResult[] = mapped.map((file, fileIndex) => ({ stats: file.stats, drugLines: file.drugLines, lines: finished.kept[fileIndex]! }));
      return { files, tally: finished.tally, ranked: finished.ranked, lineage, execution: { executor: 'local', workers, buckets }, settled };
    } finally {
      await pool?.close();
    }
  },
};
