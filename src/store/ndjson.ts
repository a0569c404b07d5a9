// Temporary record files: JSON lines appended with a buffer and synchronous writes (records are
// produced inside synchronous callbacks, one claim at a time), read back as a stream. They keep
// the audit's memory flat: what a run must remember goes to disk, not the heap.
import { closeSync, createReadStream, openSync, rmSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';

const FLUSH_BYTES = 1 << 20;

/** Text appended to a file through a buffer, with synchronous writes. */
export class TextWriter {
  private readonly fd: number;
  private chunks: string[] = [];
  private size = 0;
  private closed = false;

  /** `flushBytes`: small for the many bucket files written at once, so their buffers stay small. */
  constructor(
    readonly path: string,
    private readonly flushBytes = FLUSH_BYTES,
  ) {
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size >= this.flushBytes) this.flush();
  }

  private flush(): void {
    if (this.chunks.length === 0) return;
    writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.size = 0;
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    closeSync(this.fd);
    this.closed = true;
  }
}

export class NdjsonWriter<T> extends TextWriter {
  count = 0;

  writeRecord(record: T): void {
    this.count++;
    this.write(`${JSON.stringify(record)}\n`);
  }
}

/** A record's bucket among `buckets`, by a key (FNV-1a): the same key, the same bucket. */
export function bucketOf(key: string, buckets: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % buckets;
}

/** `buffer`: small for the many files a merge reads at once. */
export async function* readNdjson<T>(path: string, buffer = 1 << 16): AsyncGenerator<T> {
  const lines = createInterface({ input: createReadStream(path, { highWaterMark: buffer }), crlfDelay: Infinity });
  for await (const line of lines) if (line !== '') yield JSON.parse(line) as T;
}

/** Runs merged at once, at most: beyond, runs are merged in passes, so memory does not grow with them. */
export const MAX_FAN_IN = 32;
const MERGE_BUFFER = 1 << 14;

/** Merges streams each sorted by `compare` into one sorted stream (k-way, a small binary heap). */
export async function* mergeSorted<T>(streams: AsyncIterator<T>[], compare: (a: T, b: T) => number): AsyncGenerator<T> {
  const heap: Array<{ value: T; source: AsyncIterator<T>; order: number }> = [];
  const less = (i: number, j: number) => {
    const c = compare(heap[i]!.value, heap[j]!.value);
    return c < 0 || (c === 0 && heap[i]!.order < heap[j]!.order);
  };
  const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j]!, heap[i]!]);
  const up = (i: number) => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(i, parent)) return;
      swap(i, parent);
      i = parent;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(l, m)) m = l;
      if (r < heap.length && less(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  for (const [order, source] of streams.entries()) {
    const next = await source.next();
    if (!next.done) {
      heap.push({ value: next.value, source, order });
      up(heap.length - 1);
    }
  }
  while (heap.length > 0) {
    const top = heap[0]!;
    yield top.value;
    const next = await top.source.next();
    if (next.done) {
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        down(0);
      }
    } else {
      top.value = next.value;
      down(0);
    }
  }
}

/**
 * Sorts any number of records with bounded memory: runs of `runSize` records are sorted in
 * memory and written out, then merged. Small inputs never touch the disk.
 */
export class ExternalSorter<T> {
  private buffer: T[] = [];
  private readonly runs: string[] = [];
  count = 0;

  constructor(
    private readonly compare: (a: T, b: T) => number,
    private readonly tempPath: (n: number) => string,
    private readonly runSize = 5_000,
  ) {}

  add(record: T): void {
    this.buffer.push(record);
    this.count++;
    if (this.buffer.length >= this.runSize) this.spill();
  }

  private spill(): void {
    this.buffer.sort(this.compare);
    const writer = new NdjsonWriter<T>(this.tempPath(this.runs.length));
    for (const record of this.buffer) writer.writeRecord(record);
    writer.close();
    this.runs.push(writer.path);
    this.buffer = [];
  }

  /** The records in order (once). */
  async *sorted(): AsyncGenerator<T> {
    if (this.runs.length === 0) {
      const records = this.buffer.sort(this.compare);
      this.buffer = [];
      yield* records;
      return;
    }
    if (this.buffer.length > 0) this.spill();
    // Merge passes until few enough runs remain to merge at once.
    let pass = 0;
    while (this.runs.length > MAX_FAN_IN) {
      const group = this.runs.splice(0, MAX_FAN_IN);
      const writer = new NdjsonWriter<T>(this.tempPath(1_000_000 + pass++));
      for await (const record of mergeSorted(
        group.map((path) => readNdjson<T>(path, MERGE_BUFFER)),
        this.compare,
      ))
        writer.writeRecord(record);
      writer.close();
      for (const path of group) rmSync(path, { force: true });
      this.runs.push(writer.path);
    }
    yield* mergeSorted(
      this.runs.map((path) => readNdjson<T>(path, MERGE_BUFFER)),
      this.compare,
    );
  }
}
