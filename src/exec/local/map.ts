// Phase 1 of the local executor, for one file: stages 1 and 2 (ingest, the claim rules) as the
// file streams. Each drug line's entry is appended to the file's entry file, and each cross-claim
// group it takes part in gets a record in that group's bucket. Runs in the audit's thread or in a
// worker of the pool: the files on disk are the same.
import { join } from 'node:path';
import type { NotCheckedEntry } from '../../model/index.js';
import { lineRecord } from '../../view/lines.js';
import { claimMarks, claimStage, groupId, ingestStage, Lineage, type FileResult, type LineageEntry, type StageOptions } from '../../stages.js';
import { bucketOf, NdjsonWriter } from '../../store/ndjson.js';
import type { InputFile } from '../../ingest/inputs.js';
import { ENTRY_CODEC, entryFields, GROUP_CODEC, Seq, type GroupRecord, type LineEntry } from './records.js';

/** Progress of phase 1, as counts. */
export interface MapProgress {
  read(bytes: number): void;
  claim(findings: number): void;
}

/** A bucket's file of one input file (null: no record), and its record count. */
export type BucketPart = { path: string; count: number } | null;

export interface MappedFile extends Omit<FileResult, 'lines'> {
  /** The file's line entries, in file order. */
  entries: string;
  /** The not-checked reasons the entries point at. */
  reasons: NotCheckedEntry[];
  /** The file's group records, by bucket. */
  buckets: BucketPart[];
  /** The claims the file's replacements and voids supersede, with the seq of the last that does. */
  lineage: LineageEntry[];
}

/** One input file's group records, by bucket: a bucket's file is made when its first record comes. */
export class BucketWriter {
  private readonly writers: Array<NdjsonWriter<GroupRecord> | null>;

  constructor(
    private readonly path: (bucket: number) => string,
    readonly buckets: number,
    private readonly salt = '',
  ) {
    this.writers = Array.from({ length: buckets }, () => null);
  }

  write(record: GroupRecord): void {
    // By the group's identity: a group is whole in one bucket.
    const b = bucketOf(groupId(record.ruleId, record.key) + this.salt, this.buckets);
    // Small buffers: a file may have hundreds of buckets open at once.
    let writer = this.writers[b];
    if (!writer) writer = this.writers[b] = new NdjsonWriter<GroupRecord>(this.path(b), { flushBytes: 1 << 14, codec: GROUP_CODEC, hold: true });
    writer.writeRecord(record);
  }

  close(): BucketPart[] {
    return this.writers.map((w) => {
      w?.close();
      return w ? { path: w.path, count: w.count } : null;
    });
  }
}

export async function mapFile(input: InputFile, fileIndex: number, options: StageOptions, buckets: number, temp: string, progress: MapProgress | null, signal?: AbortSignal): Promise<MappedFile> {
  const entries = new NdjsonWriter<LineEntry>(join(temp, `file-${fileIndex}.entries`), { codec: ENTRY_CODEC, hold: true });
  const groups = new BucketWriter((b) => join(temp, `file-${fileIndex}-bucket-${b}.groups`), buckets);
  const reasons: NotCheckedEntry[] = [];
  const lineage = new Lineage();
  const reasonIndex = new Map<NotCheckedEntry, number>();
  const indexOf = (entry: NotCheckedEntry) => {
    let i = reasonIndex.get(entry);
    if (i === undefined) {
      i = reasons.push(entry) - 1;
      reasonIndex.set(entry, i);
    }
    return i;
  };
  let stats;
  let bucketParts: BucketPart[] = [];
  try {
    stats = await ingestStage(
      input,
      options,
      (claim) => {
        lineage.add(claim, Seq.of(fileIndex, entries.count));
        // The claim's markers at its position: the seq of its first drug line, or of where it would be.
        for (const mark of claimMarks(claim, options)) {
          const facts = JSON.stringify(mark.facts);
          for (const { ruleId, key } of mark.groups) groups.write({ seq: Seq.of(fileIndex, entries.count), ruleId, key, marker: true, facts });
        }
        let findings = 0;
        for (const line of claimStage(claim, options)) {
          const seq = Seq.of(fileIndex, entries.count);
          entries.writeFields(entryFields({ seq, notChecked: line.notChecked.map(indexOf).join(','), findings: line.findings.length > 0 ? JSON.stringify(line.findings) : '', record: JSON.stringify(lineRecord(line, options.phi)) }));
          if (line.groups.length > 0) {
            const facts = JSON.stringify(line.facts);
            for (const { ruleId, key } of line.groups) groups.write({ seq, ruleId, key, marker: false, facts });
          }
          findings += line.findings.length;
        }
        progress?.claim(findings);
      },
      progress,
      signal,
    );
  } finally {
    entries.close();
    bucketParts = groups.close();
  }
  return { stats, drugLines: entries.count, entries: entries.path, reasons, buckets: bucketParts, lineage: lineage.entries() };
}
