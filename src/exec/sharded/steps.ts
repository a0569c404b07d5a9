// The sharded executor's steps, each an ordinary job on a job runner, sharing a work folder:
//   map k/n     the units of shard k: ingest and the claim rules (phase 1 of the local executor),
//               line entries and group records by bucket, in map/shard-<k>/
//   reduce b    one bucket's cross-claim groups checked (phase 2), in reduce/bucket-<b>.*
//   merge       (index.ts) every bucket no reduce has done, then phase 3 and the outputs
// Each writes in a private folder under tmp/ and renames its output into place when whole, so a
// step killed half-way leaves nothing a later step reads, and a step run again replaces its own
// output with the same bytes.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import pLimit from 'p-limit';
import type { InputFile } from '../../ingest/inputs.js';
import type { Reference } from '../../reference/index.js';
import type { StageOptions } from '../../stages.js';
import { bucketTasks, runLineage } from '../local/index.js';
import { checkBucket, type BucketDone } from '../local/groups.js';
import { mapFile, type MappedFile } from '../local/map.js';
import { WorkerPool, type PoolProgress } from '../local/pool.js';
import { replaceFolder, stepTemp, WorkError, workPaths, writeJsonAtomic, type WorkPlan } from './plan.js';

/** What a shard's done.json holds: its plan, and each of its units as mapped (paths relative to the shard's folder). */
export interface ShardDone {
  plan: string;
  shard: number;
  units: Array<{ unit: number } & MappedFile>;
}

/** A unit's input as the ingest opens it: the file, and its byte range when the file is split. */
export function unitInput(plan: WorkPlan, unit: number): InputFile {
  const { input, range } = plan.units[unit]!;
  const file = plan.inputs[input]!;
  return { path: file.path, display: file.display, explicit: file.explicit, ...(range ? { range } : {}) };
}

export interface MapStepOptions {
  concurrency: number;
  /** Told as each unit is mapped. */
  onUnit?: (unit: number, mapped: MappedFile) => void;
  progress?: PoolProgress | null;
  signal?: AbortSignal;
}

/** Map step: shard k's units, into map/shard-<k>/ (replacing an earlier attempt's output). */
export async function mapShard(work: string, plan: WorkPlan, id: string, shard: number, options: StageOptions, step: MapStepOptions): Promise<ShardDone> {
  const paths = workPaths(work);
  const mine = plan.units.flatMap((u, index) => (u.shard === shard ? [index] : []));
  const temp = stepTemp(work, `shard-${shard}`);
  const limit = pLimit(Math.max(1, step.concurrency));
  const pool = WorkerPool.available && step.concurrency > 1 && mine.length > 1 ? new WorkerPool(Math.min(step.concurrency, mine.length), options, step.signal) : null;
  try {
    const progress = step.progress ?? null;
    const claimProgress = progress ? { read: (n: number) => progress.read(n), claim: (findings: number) => progress.claims(1, findings) } : null;
    const units = await Promise.all(
      mine.map((unit) =>
        limit(async () => {
          const input = unitInput(plan, unit);
          const mapped = pool ? await pool.map(input, unit, plan.buckets, temp, progress) : await mapFile(input, unit, options, plan.buckets, temp, claimProgress, step.signal);
          step.onUnit?.(unit, mapped);
          // Paths relative to the shard's folder: it is renamed into place, and other machines mount the volume elsewhere.
          return { unit, ...mapped, entries: basename(mapped.entries), buckets: mapped.buckets.map((b) => (b ? { path: basename(b.path), count: b.count } : null)) };
        }),
      ),
    );
    step.signal?.throwIfAborted();
    const done: ShardDone = { plan: id, shard, units };
    writeJsonAtomic(join(temp, 'done.json'), done);
    replaceFolder(temp, paths.shard(shard));
    return done;
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  } finally {
    await pool?.close();
  }
}

/** Every shard's output, unit paths made absolute, in unit order; a WorkError (exit 3) naming the shards that have not finished. */
export function loadShards(work: string, plan: WorkPlan, id: string): Array<MappedFile & { unit: number }> {
  const paths = workPaths(work);
  const missing: number[] = [];
  const units: Array<MappedFile & { unit: number }> = [];
  for (let k = 0; k < plan.shards; k++) {
    const folder = paths.shard(k);
    let done: ShardDone;
    try {
      done = JSON.parse(readFileSync(join(folder, 'done.json'), 'utf8')) as ShardDone;
    } catch {
      missing.push(k);
      continue;
    }
    if (done.plan !== id || done.shard !== k) throw new WorkError(`${folder}: this shard's output belongs to another run (plan ${done.plan}, not ${id}); run map --shard ${k}/${plan.shards} again`, 2);
    for (const unit of done.units) units.push({ ...unit, entries: join(folder, unit.entries), buckets: unit.buckets.map((b) => (b ? { path: join(folder, b.path), count: b.count } : null)) });
  }
  if (missing.length > 0) {
    const names = missing.length <= 10 ? missing.join(', ') : `${missing.slice(0, 10).join(', ')} and ${missing.length - 10} more`;
    throw new WorkError(`shard${missing.length === 1 ? '' : 's'} ${names} of ${plan.shards} ${missing.length === 1 ? 'has' : 'have'} no output in ${paths.map} (not run yet, still running, or failed): run ${missing.slice(0, 3).map((k) => `map --shard ${k}/${plan.shards}`).join(', ')}${missing.length > 3 ? ' …' : ''} (again); nothing was written`, 3);
  }
  units.sort((a, b) => a.unit - b.unit);
  if (units.length !== plan.units.length || units.some((u, i) => u.unit !== i)) throw new WorkError(`${paths.map}: the shards' outputs do not cover the plan's ${plan.units.length} units; run the map steps again`, 2);
  return units;
}

/** What a reduce step wrote for a bucket. */
interface BucketFile {
  plan: string;
  bucket: number;
  results: string | null;
  count: number;
  findings: number;
}

/** Reduce step: bucket b's groups checked, into reduce/bucket-<b>.*; returns its findings (null: the bucket has no group records). */
export function reduceBucket(work: string, plan: WorkPlan, id: string, bucket: number, reference: Reference): BucketDone | null {
  if (!Number.isInteger(bucket) || bucket < 0 || bucket >= plan.buckets) throw new WorkError(`--bucket ${bucket}: this run has buckets 0 to ${plan.buckets - 1}`, 2);
  const units = loadShards(work, plan, id);
  const paths = workPaths(work);
  const temp = stepTemp(work, `bucket-${bucket}`);
  try {
    const [task] = bucketTasks(units.map((u) => ({ buckets: u.buckets.map((b, i) => (i === bucket ? b : null)) })), plan.buckets, runLineage(units).entries(), temp);
    const done: BucketDone = task ? checkBucket(task, reference) : { results: null, count: 0, findings: 0 };
    mkdirSync(paths.reduce, { recursive: true, mode: 0o700 });
    const record: BucketFile = { plan: id, bucket, results: done.results ? basename(paths.bucketResults(bucket)) : null, count: done.count, findings: done.findings };
    if (done.results) renameSync(done.results, paths.bucketResults(bucket));
    writeJsonAtomic(paths.bucket(bucket), record);
    return task ? { ...done, results: done.results ? paths.bucketResults(bucket) : null } : null;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/** What reduce steps already did: each bucket's results, or undefined where none has (merge does it). */
export function reducedBuckets(work: string, plan: WorkPlan, id: string): Array<BucketDone | undefined> {
  const paths = workPaths(work);
  const done: Array<BucketDone | undefined> = Array.from({ length: plan.buckets }, () => undefined);
  if (!existsSync(paths.reduce)) return done;
  for (let b = 0; b < plan.buckets; b++) {
    let record: BucketFile;
    try {
      record = JSON.parse(readFileSync(paths.bucket(b), 'utf8')) as BucketFile;
    } catch {
      continue;
    }
    // Another run's (or a damaged) record is not used: merge checks the bucket itself.
    if (record.plan !== id || record.bucket !== b) continue;
    if (record.results !== null && !existsSync(join(paths.reduce, record.results))) continue;
    done[b] = { results: record.results === null ? null : join(paths.reduce, record.results), count: record.count, findings: record.findings };
  }
  return done;
}

/** Removes the temporary folders steps left when they were killed: only those of this step's own name. */
export function removeStaleSteps(work: string, name: string): void {
  const tmp = workPaths(work).tmp;
  if (!existsSync(tmp)) return;
  for (const entry of readdirSync(tmp)) if (entry.startsWith(`${name}.`)) rmSync(join(tmp, entry), { recursive: true, force: true });
}

