// Phase 2 of an audit: the rules across claims (duplicates, MUE per day, frequency) on compact
// run records only. Phase 1 writes each line's record straight into its member's bucket (one
// file per input file and bucket); a bucket is then read whole, put in input order and checked
// in memory, in the audit's thread or in a worker of the pool. What the rules find is written
// back sorted by seq, for the audit to merge.
import { join } from 'node:path';
import { checkRun } from '../rules/engine.js';
import type { RunLine } from '../rules/types.js';
import { bucketOf, NdjsonWriter, readNdjson } from '../store/ndjson.js';
import type { RunResult } from './write-lines.js';

/**
 * A drug line's compact record for the rules across claims (phase 2 holds only these), with
 * what orders a regrouped file's lines. Written by phase 1, read here.
 */
export interface RunEntry extends RunLine {
  claimAt: number;
  row: number | null;
}

/**
 * Run records a bucket is sized for. In memory a record takes about 0.5 KB of heap (README,
 * "How a run keeps its memory bounded"), so a bucket of this size is about 25 MB.
 */
export const BUCKET_LINES = 50_000;
/** A bucket beyond this many records (the estimate was short) is split again before it is read. */
export const BUCKET_MAX = 4 * BUCKET_LINES;
/** Drug lines a megabyte of input may hold, generously (drug-heavy 837P about 3,200; a canonical CSV about 5,000). */
const LINES_PER_MB = 8_000;
/** Buckets at most: each input file may hold one open file a bucket while it is read. */
const MAX_BUCKETS = 256;

/** How many buckets the run's records go to, from the input's size (known before any is read). */
export function bucketCount(inputBytes: number, bucketLines = BUCKET_LINES): number {
  const lines = (inputBytes / (1 << 20)) * LINES_PER_MB;
  return Math.min(MAX_BUCKETS, Math.max(1, Math.ceil(lines / bucketLines)));
}

/** A line's bucket key: the rules across claims compare lines of one member (or one claim, without a member id). */
const bucketKey = (run: RunEntry, salt: string) => (run.memberKey ?? `claim:${run.claimId}`) + salt;

/** One input file's run records, by bucket: a bucket's file is made when its first record comes. */
export class RunBuckets {
  private readonly writers: Array<NdjsonWriter<RunEntry> | null>;

  constructor(
    private readonly path: (bucket: number) => string,
    readonly buckets: number,
    private readonly salt = '',
  ) {
    this.writers = Array.from({ length: buckets }, () => null);
  }

  write(record: RunEntry): void {
    const b = bucketOf(bucketKey(record, this.salt), this.buckets);
    // Small buffers: a file may have hundreds of buckets open at once.
    let writer = this.writers[b];
    if (!writer) writer = this.writers[b] = new NdjsonWriter<RunEntry>(this.path(b), { flushBytes: 1 << 14 });
    writer.writeRecord(record);
  }

  /** Each bucket's file (null: no record) and record count. */
  close(): Array<{ path: string; count: number } | null> {
    return this.writers.map((w) => {
      w?.close();
      return w ? { path: w.path, count: w.count } : null;
    });
  }
}

export interface BucketTask {
  bucket: string;
  /** The bucket's files (one an input file that has records in it) and how many records in all. */
  parts: string[];
  count: number;
  temp: string;
  /** Times the bucket was split already. */
  depth?: number;
}

export interface BucketDone {
  /** What the rules found, sorted by seq (null: nothing), and for how many lines. */
  results: string | null;
  count: number;
  /** Findings among them (a line may have several). */
  findings: number;
}

/** Checks one bucket: every run record of its members, in input order. */
export function checkBucket(task: BucketTask): BucketDone {
  if (task.count > BUCKET_MAX && (task.depth ?? 0) < 3) return splitBucket(task);
  const records: RunEntry[] = [];
  for (const part of task.parts) for (const record of readNdjson<RunEntry>(part)) records.push(record);
  records.sort((x, y) => x.seq - y.seq);
  // The rules see positions in this bucket; results go back under each line's own seq.
  const seqs = records.map((r, i) => {
    const seq = r.seq;
    r.seq = i;
    return seq;
  });
  const found = [...checkRun(records)].sort((a, b) => a[0] - b[0]);
  if (found.length === 0) return { results: null, count: 0, findings: 0 };
  const out = new NdjsonWriter<RunResult>(join(task.temp, `results-${task.bucket}.ndjson`));
  let findings = 0;
  for (const [i, result] of found) {
    out.writeRecord({ seq: seqs[i]!, ...result });
    findings += result.drafts.length;
  }
  out.close();
  return { results: out.path, count: found.length, findings };
}

/**
 * A bucket over BUCKET_MAX (the input held more lines a megabyte than estimated) is split by a
 * salted hash of the same key and each part checked alone; members stay whole. At most three
 * levels: one member with more lines than that is checked in one piece.
 */
function splitBucket(task: BucketTask): BucketDone {
  const parts = Math.ceil(task.count / BUCKET_LINES);
  const splitter = new RunBuckets((b) => join(task.temp, `bucket-${task.bucket}.${b}.ndjson`), parts, `\u0000${task.bucket}`);
  for (const part of task.parts) for (const record of readNdjson<RunEntry>(part)) splitter.write(record);
  const results: string[] = [];
  let count = 0;
  let findings = 0;
  splitter.close().forEach((file, b) => {
    if (!file) return;
    const done = checkBucket({ bucket: `${task.bucket}.${b}`, parts: [file.path], count: file.count, temp: task.temp, depth: (task.depth ?? 0) + 1 });
    if (done.results) results.push(done.results);
    count += done.count;
    findings += done.findings;
  });
  if (results.length === 0) return { results: null, count: 0, findings: 0 };
  // The parts' results are each sorted: merged into one sorted file.
  const out = new NdjsonWriter<RunResult>(join(task.temp, `results-${task.bucket}.ndjson`));
  const all = results.flatMap((path) => [...readNdjson<RunResult>(path)]).sort((a, b) => a.seq - b.seq);
  for (const result of all) out.writeRecord(result);
  out.close();
  return { results: out.path, count, findings };
}
