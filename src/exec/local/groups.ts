// Phase 2 of the local executor: stage 3 (the cross-claim rules) bucket by bucket. Phase 1 put
// each line's group records in the bucket of the group's rule and key, so a group is whole in
// one bucket; a bucket is read whole, its groups gathered in input order and checked in memory,
// in the audit's thread or in a worker of the pool. What the checks said is written back sorted
// by line, for the audit to merge.
import { join } from 'node:path';
import type { LineFacts } from '../../model/index.js';
import { crossClaimStage, groupId, Lineage, minGroup, type LineageEntry } from '../../stages.js';
import type { Reference } from '../../reference/index.js';
import { dropHeld, NdjsonWriter, readNdjson } from '../../store/ndjson.js';
import { BucketWriter } from './map.js';
import { GROUP_CODEC, type GroupRecord, type GroupResultRecord } from './records.js';

/**
 * Group records a bucket is sized for. A record is held as its text (about 0.6 KB on the
 * benchmark's 837P) until its group is checked, so a bucket of this size is about 10 MB. At
 * 30,000 the pool's two workers, each holding a bucket and its groups, took a concurrency-2
 * run's peak RSS over 300 MB at 256 MB of input (837P 304 MB, CSV 325 MB; at 15,000: 260 and
 * 277 MB, no slower measured).
 */
export const BUCKET_LINES = 15_000;
/** Drug lines a megabyte of input may hold, generously (drug-heavy 837P about 3,300; a canonical CSV about 5,000). */
const LINES_PER_MB = 8_000;
/** Buckets at most: each input file may hold one open file a bucket while it is read. */
const MAX_BUCKETS = 256;
/** Times a bucket over four times its size is split again before it is read. */
const MAX_SPLITS = 3;

/** How many buckets the run's group records go to, from the input's size (known before any is read). */
export function bucketCount(inputBytes: number, bucketLines = BUCKET_LINES): number {
  const lines = (inputBytes / (1 << 20)) * LINES_PER_MB;
  return Math.min(MAX_BUCKETS, Math.max(1, Math.ceil(lines / bucketLines)));
}

export interface BucketTask {
  bucket: string;
  /** The bucket's files (one an input file that has records in it) and how many records in all. */
  parts: string[];
  count: number;
  temp: string;
  bucketLines: number;
  /** The run's superseded claims (rules/lineage.ts), with the seq of the last claim superseding each. */
  superseded: LineageEntry[];
  /** Times the bucket was split already. */
  depth?: number;
}

export interface BucketDone {
  /** What the checks said, sorted by seq (null: nothing), and for how many lines. */
  results: string | null;
  count: number;
  /** Findings among them. */
  findings: number;
}

/** Checks one bucket: every group in it, each group's lines in input order. */
export function checkBucket(task: BucketTask, reference: Reference): BucketDone {
  if (task.count > 4 * task.bucketLines && (task.depth ?? 0) < MAX_SPLITS) return splitBucket(task, reference);
  const records: GroupRecord[] = [];
  for (const part of task.parts) {
    for (const record of readNdjson(part, GROUP_CODEC)) records.push(record);
    dropHeld(part);
  }
  records.sort((x, y) => x.seq - y.seq);
  const groups = new Map<string, { ruleId: string; seqs: number[]; facts: string[]; lines: number }>();
  for (const { seq, ruleId, key, marker, facts } of records) {
    const id = groupId(ruleId, key);
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { ruleId, seqs: [], facts: [], lines: 0 }));
    group.seqs.push(seq);
    group.facts.push(facts);
    if (!marker) group.lines++;
  }
  records.length = 0;
  const lineage = new Lineage();
  lineage.absorb(task.superseded);
  const found: GroupResultRecord[] = [];
  for (const { ruleId, seqs, facts, lines } of groups.values()) {
    // Nothing to check, so nothing parsed: markers alone (crossClaimStage), or fewer lines than the rule compares.
    if (lines === 0 || facts.length < minGroup(ruleId)) continue;
    const members = facts.map((text, i) => ({ facts: JSON.parse(text) as LineFacts, position: seqs[i]! }));
    for (const { index, findings, notChecked } of crossClaimStage(ruleId, members, lineage, reference)) found.push({ seq: seqs[index]!, findings, notChecked });
  }
  return writeResults(found, task);
}

function writeResults(found: GroupResultRecord[], task: BucketTask): BucketDone {
  if (found.length === 0) return { results: null, count: 0, findings: 0 };
  // Stable: a line's results from two groups keep the order their rules ran in.
  found.sort((a, b) => a.seq - b.seq);
  const out = new NdjsonWriter<GroupResultRecord>(join(task.temp, `results-${task.bucket}.ndjson`), { hold: true });
  let findings = 0;
  for (const result of found) {
    out.writeRecord(result);
    findings += result.findings.length;
  }
  out.close();
  return { results: out.path, count: found.length, findings };
}

/**
 * A bucket over four times its size (the input held more lines a megabyte than estimated) is
 * split by a salted hash of the same rule and key, and each part checked alone; groups stay
 * whole. A single group larger than that is checked in one piece.
 */
function splitBucket(task: BucketTask, reference: Reference): BucketDone {
  const parts = Math.ceil(task.count / task.bucketLines);
  const splitter = new BucketWriter((b) => join(task.temp, `bucket-${task.bucket}.${b}.groups`), parts, `\u0000${task.bucket}`);
  for (const part of task.parts) for (const record of readNdjson(part, GROUP_CODEC)) splitter.write(record);
  const found: GroupResultRecord[] = [];
  splitter.close().forEach((file, b) => {
    if (!file) return;
    const done = checkBucket({ ...task, bucket: `${task.bucket}.${b}`, parts: [file.path], count: file.count, depth: (task.depth ?? 0) + 1 }, reference);
    if (done.results) for (const result of readNdjson<GroupResultRecord>(done.results)) found.push(result);
  });
  return writeResults(found, task);
}
