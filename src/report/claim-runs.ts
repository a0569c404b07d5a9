// Where a report aggregator keeps, until its counts are asked for, each run of a claim's lines
// and the groups it counted the claim in: the exact check of a claim met again later in its file.
import { rmSync } from 'node:fs';
import { NdjsonWriter, readNdjson } from '../store/ndjson.js';

export interface ClaimRunLog {
  /** A run's claim and its groups (the array is the run's own: the aggregator starts a new one for the next run). */
  add(claim: string, groups: readonly number[]): void;
  /** Every run added, in order (asked once, at the end). */
  runs(): Iterable<[string, number[]]>;
  /** Frees what the log holds. */
  close(): void;
}

/** In memory: for runs whose lines are all in memory anyway (the memory executor, the tests). */
export class MemoryRunLog implements ClaimRunLog {
  private list: Array<[string, number[]]> = [];
  add(claim: string, groups: readonly number[]): void {
    this.list.push([claim, groups as number[]]);
  }
  runs(): Iterable<[string, number[]]> {
    return this.list;
  }
  close(): void {
    this.list = [];
  }
}

/** On disk, a line a run: memory stays the same whatever the count of claims. */
export class FileRunLog implements ClaimRunLog {
  private readonly writer: NdjsonWriter<[string, number[]]>;
  constructor(readonly path: string) {
    this.writer = new NdjsonWriter<[string, number[]]>(path, { flushBytes: 1 << 16 });
  }
  add(claim: string, groups: readonly number[]): void {
    this.writer.writeRecord([claim, groups as number[]]);
  }
  runs(): Iterable<[string, number[]]> {
    this.writer.close();
    return readNdjson<[string, number[]]>(this.path);
  }
  close(): void {
    this.writer.close();
    rmSync(this.path, { force: true });
  }
}
