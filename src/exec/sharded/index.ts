// The sharded executor's merge: what the map steps wrote (every shard must have finished), every
// bucket no reduce step has checked checked here, then phase 3 and the outputs exactly as the
// local executor does them, so the reports are byte for byte a single run's.
import pLimit from 'p-limit';
import type { FileIngestStats } from '../../ingest/index.js';
import type { FileResult } from '../../stages.js';
import type { ExecPlan, ExecResult, Executor } from '../types.js';
import { joinUnits, resultsByUnit } from '../local/finish.js';
import { tidy } from '../local/tidy.js';
import { checkBucket, type BucketDone } from '../local/groups.js';
import { bucketTasks, POOL_MIN_BYTES, runLineage } from '../local/index.js';
import { joinFile } from '../local/join.js';
import type { MappedFile } from '../local/map.js';
import { WorkerPool } from '../local/pool.js';
import type { WorkPlan } from './plan.js';
import { loadShards, reducedBuckets } from './steps.js';
import { combineStats, partBases } from './ranges.js';
import { dropHeld, holdTempFiles } from '../../store/ndjson.js';

export function shardedExecutor(work: string, workPlan: WorkPlan, id: string): Executor {
  return {
    name: 'sharded',
    async run(plan: ExecPlan): Promise<ExecResult> {
      const { options, temp } = plan;
      const units: Array<MappedFile & { unit: number; segmentBase?: number }> = loadShards(work, workPlan, id);
      // A split file's parts count segments from 0: each is given the count of the parts before it.
      const partsOf = new Map<number, number[]>();
      workPlan.units.forEach((u, i) => {
        if (u.range) partsOf.set(u.input, [...(partsOf.get(u.input) ?? []), i]);
      });
      for (const parts of partsOf.values()) {
        const bases = partBases(parts.map((u) => units[u]!.stats));
        parts.forEach((u, i) => (units[u]!.segmentBase = bases[i]!.segments));
      }
      const lineage = runLineage(units).entries();
      const reduced = reducedBuckets(work, workPlan, id);
      // The buckets no reduce step has done, with their parts from every unit.
      const todo = bucketTasks(
        units.map((u) => ({ buckets: u.buckets.map((b, i) => (reduced[i] === undefined ? b : null)) })),
        workPlan.buckets,
        lineage,
        temp,
        plan.tuning?.bucketLines,
      );
      const concurrency = Math.max(1, plan.concurrency);
      const limit = pLimit(concurrency);
      const usePool = WorkerPool.available && concurrency > 1 && !plan.keep && units.length + todo.length > 2 && (plan.tuning?.pool === 'always' || (plan.tuning?.pool !== 'never' && plan.inputBytes >= POOL_MIN_BYTES));
      const workers = usePool ? concurrency : 0;
      let pool: WorkerPool | null = usePool ? new WorkerPool(workers, options, plan.signal) : null;
      // The merge's own temporary files (results, ranked runs) in memory while the budget lasts; the work folder's stay on disk.
      if (!pool && plan.memoryBudget > 0) holdTempFiles(temp, plan.memoryBudget);
      try {
        plan.progress?.phase('cross-claim');
        const checked = await Promise.all(todo.map((task) => limit(() => (pool ? pool.bucket(task) : Promise.resolve(checkBucket(task, options.reference))))));
        plan.signal?.throwIfAborted();
        const done: BucketDone[] = [...reduced.filter((d): d is BucketDone => d !== undefined), ...checked];
        const results = resultsByUnit(done, units.length, temp, plan.tuning?.sortRun);
        plan.progress?.phase('writing');
        const finished = await joinUnits(units, results, plan, limit, (task) => (pool ? pool.join(task) : joinFile(task, options, plan.signal)), [...partsOf.values()]);
        await pool?.close();
        pool = null;
        // lines.ndjson put together beside the reports; the work folder's files stay (merge may run again).
        const settled = tidy({ target: plan.linesOut, parts: finished.parts, remove: dropHeld(...results.filter((r): r is string => r !== null)) });
        // Each input's units (one, or the parts of a split file) in order.
        const byInput = new Map<number, Array<MappedFile & { kept: FileResult['lines'] }>>();
        units.forEach((unit, u) => {
          const input = workPlan.units[u]!.input;
          if (!byInput.has(input)) byInput.set(input, []);
          byInput.get(input)!.push({ ...unit, kept: finished.kept[u]! });
        });
        const files: FileResult[] = [...byInput.keys()]
          .sort((a, b) => a - b)
          .map((input) => {
            const parts = byInput.get(input)!;
            const stats: FileIngestStats = parts.length === 1 ? parts[0]!.stats : combineStats(parts.map((p) => p.stats));
            const file: FileResult = { stats, drugLines: parts.reduce((n, p) => n + p.drugLines, 0), lines: parts.flatMap((p) => p.kept) };
            plan.onFileDone?.({ ...file, lines: [] });
            return file;
          });
        return { files, tally: finished.tally, ranked: finished.ranked, lineage, execution: { executor: 'sharded', workers, buckets: workPlan.buckets }, settled };
      } finally {
        await pool?.close();
      }
    },
  };
}
