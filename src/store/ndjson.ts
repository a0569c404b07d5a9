// Temporary record files: JSON lines appended with a buffer and synchronous writes (records are
// produced inside synchronous callbacks, one claim at a time), read back in large chunks. They keep
// the audit's memory flat: what a run must remember goes to disk, not the heap. Under a memory
// budget (holdTempFiles), a run's temporary files stay in memory as their bytes until the budget
// is spent, and only then go to disk: a small or middling run never writes and re-reads them.
import { closeSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { sep } from 'node:path';

const FLUSH_BYTES = 1 << 20;

/** How records are written one a line to a temporary file and read back (default: JSON). */
export interface RecordCodec<T> {
  encode(record: T): string;
  decode(line: string): T;
}

const JSON_CODEC: RecordCodec<never> = { encode: (r) => JSON.stringify(r), decode: (line) => JSON.parse(line) as never };

/**
 * This thread's temporary files held in memory, under a folder and a budget of bytes: each
 * file's bytes as the chunks its writer flushed. A writer whose next chunk would pass the budget
 * writes what it holds to disk and goes on there (the other held files stay). Per thread: a
 * worker's files are on disk, so the executor holds files only when every phase runs in this
 * thread.
 */
class HeldFiles {
  used = 0;
  /** The most bytes held at once, and how many files went to disk. */
  peak = 0;
  spilled = 0;
  readonly files = new Map<string, Buffer[]>();

  constructor(
    readonly dir: string,
    readonly budget: number,
  ) {}

  covers(path: string): boolean {
    return path.startsWith(this.dir + sep);
  }

  take(bytes: number): boolean {
    if (this.used + bytes > this.budget) return false;
    this.used += bytes;
    if (this.used > this.peak) this.peak = this.used;
    return true;
  }

  drop(path: string): boolean {
    const chunks = this.files.get(path);
    if (!chunks) return false;
    for (const chunk of chunks) this.used -= chunk.length;
    this.files.delete(path);
    return true;
  }
}

/** This thread's holds, one a run's temporary folder (runs in one process may overlap: the tests). */
const holds: HeldFiles[] = [];
/** The hold of a path's folder, if any. */
const holdOf = (path: string): HeldFiles | undefined => holds.find((h) => h.covers(path));

/** What a hold kept in memory (for the run's manifest and the tests). */
export interface HoldStats {
  budget: number;
  peakBytes: number;
  /** Files that passed the budget and went to disk. */
  spilled: number;
}

/**
 * Holds this thread's temporary files under `dir` in memory, up to `budget` bytes at once, until
 * releaseTempFiles(dir). Writers opt in (`hold`): outputs are always written to disk.
 */
export function holdTempFiles(dir: string, budget: number): void {
  if (!holds.some((h) => h.dir === dir)) holds.push(new HeldFiles(dir, budget));
}

/** Ends the hold on `dir`: its files' memory is let go. Returns what it held, or null when there was no hold. */
export function releaseTempFiles(dir: string): HoldStats | null {
  const stats = holdStats(dir);
  const i = holds.findIndex((h) => h.dir === dir);
  if (i !== -1) holds.splice(i, 1);
  return stats;
}

/** The figures of the hold on `dir`, or null. */
export function holdStats(dir: string): HoldStats | null {
  const held = holds.find((h) => h.dir === dir);
  return held ? { budget: held.budget, peakBytes: held.peak, spilled: held.spilled } : null;
}

/** Lets go of the files of `paths` held in memory; returns the others (on disk). */
export function dropHeld(...paths: string[]): string[] {
  return paths.filter((path) => !holdOf(path)?.drop(path));
}

/** A temporary file removed, held or on disk. */
export function removeTemp(path: string): void {
  if (holdOf(path)?.drop(path)) return;
  rmSync(path, { force: true });
}

/** A temporary file's size in bytes, held or on disk (0: none). */
export function tempSize(path: string): number {
  const chunks = holdOf(path)?.files.get(path);
  if (chunks) return chunks.reduce((n, c) => n + c.length, 0);
  return statSync(path, { throwIfNoEntry: false })?.size ?? 0;
}

/**
 * Text appended to a file through a buffer, with synchronous writes. The text is encoded into a
 * byte buffer as it comes, so the strings die young: held in an array until a flush, they would
 * survive the young generation and be copied and promoted, which was a quarter of a run's time.
 * `hold`: a temporary file, kept in memory while a hold covers it and its budget lasts.
 */
export class TextWriter {
  private fd = -1;
  private buffer: Buffer;
  private used = 0;
  private closed = false;
  /** The chunks this file holds in memory (null: on disk). */
  private chunks: Buffer[] | null = null;
  private readonly held: HeldFiles | undefined;

  /** `flushBytes`: small for the many bucket files written at once, so their buffers stay small. */
  constructor(
    readonly path: string,
    flushBytes = FLUSH_BYTES,
    hold = false,
  ) {
    this.held = hold ? holdOf(path) : undefined;
    if (this.held) {
      this.held.drop(path);
      this.chunks = [];
      this.held.files.set(path, this.chunks);
    } else this.fd = openSync(path, 'w');
    this.buffer = Buffer.allocUnsafe(flushBytes);
  }

  write(text: string): void {
    // A UTF-16 code unit is at most 3 bytes of UTF-8.
    if (this.used + text.length * 3 > this.buffer.length) {
      this.flush();
      if (text.length * 3 > this.buffer.length) {
        this.writeAll(Buffer.from(text));
        return;
      }
    }
    this.used += this.buffer.write(text, this.used);
  }

  /** Bytes as they are (UTF-8 text already). */
  writeBytes(bytes: Buffer): void {
    if (this.used + bytes.length > this.buffer.length) {
      this.flush();
      if (bytes.length > this.buffer.length) {
        this.writeAll(Buffer.from(bytes));
        return;
      }
    }
    this.used += bytes.copy(this.buffer, this.used);
  }

  /** Bytes of the file's end (the caller's to give up: a held file keeps them). */
  private writeAll(bytes: Buffer): void {
    if (this.chunks !== null) {
      if (this.held!.files.get(this.path) === this.chunks && holds.includes(this.held!) && this.held!.take(bytes.length)) {
        this.chunks.push(bytes);
        return;
      }
      this.toDisk();
    }
    for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done, bytes.length - done);
  }

  /** Past the budget (or the hold ended): what the file held goes to disk, and the rest follows it. */
  private toDisk(): void {
    const chunks = this.chunks!;
    this.chunks = null;
    if (this.held!.files.get(this.path) === chunks) {
      this.held!.drop(this.path);
      this.held!.spilled++;
    }
    this.fd = openSync(this.path, 'w');
    for (const chunk of chunks) this.writeAll(chunk);
  }

  private flush(): void {
    if (this.used === 0) return;
    if (this.chunks !== null) {
      // A full buffer is given to the held file whole, a part of one copied: the memory a held
      // file takes is within an eighth of the bytes the budget counts.
      const full = this.used >= this.buffer.length - (this.buffer.length >> 3);
      const chunk = full ? this.buffer.subarray(0, this.used) : Buffer.from(this.buffer.subarray(0, this.used));
      if (full) this.buffer = Buffer.allocUnsafe(this.buffer.length);
      this.used = 0;
      this.writeAll(chunk);
      return;
    }
    this.writeAll(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  close(): void {
    if (this.closed) return;
    // The last chunk is copied: a held file keeps no more than its bytes.
    if (this.chunks !== null && this.used > 0) {
      const last = Buffer.from(this.buffer.subarray(0, this.used));
      this.used = 0;
      this.writeAll(last);
    } else this.flush();
    if (this.fd !== -1) closeSync(this.fd);
    this.closed = true;
  }
}

/** Records appended one a line, JSON unless another codec is given. */
export class NdjsonWriter<T> extends TextWriter {
  count = 0;
  private readonly codec: RecordCodec<T>;

  constructor(path: string, options: { flushBytes?: number; codec?: RecordCodec<T>; hold?: boolean } = {}) {
    super(path, options.flushBytes, options.hold);
    this.codec = options.codec ?? (JSON_CODEC as RecordCodec<T>);
  }

  writeRecord(record: T): void {
    this.count++;
    this.write(`${this.codec.encode(record)}\n`);
  }

  /**
   * A record already encoded as its fields, for a codec whose layout is its fields tab-separated:
   * each field goes to the buffer as it is, with no string of the whole line made and flattened.
   */
  writeFields(fields: readonly string[]): void {
    this.count++;
    for (let i = 0; i < fields.length; i++) {
      if (i > 0) this.write('\t');
      this.write(fields[i]!);
    }
    this.write('\n');
  }
}

/** Appends a file's bytes to another file, in chunks. */
export function appendFileTo(target: string, source: string): void {
  const out = openSync(target, 'a');
  const from = openSync(source, 'r');
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    for (let read = readSync(from, chunk); read > 0; read = readSync(from, chunk)) writeSync(out, chunk, 0, read);
  } finally {
    closeSync(from);
    closeSync(out);
  }
}

/** A record's bucket among `buckets`, by a key (FNV-1a): the same key, the same bucket. */
export function bucketOf(key: string, buckets: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % buckets;
}

/**
 * A file read synchronously in chunks of `buffer` bytes, as regions [start, end) of its chunk
 * that hold whole lines (cut at newline bytes: a newline byte is never part of a multi-byte
 * UTF-8 character, so each region decodes whole). The chunk is reused: a region is valid until
 * the next one is asked for. Lines longer than the buffer grow it.
 */
function* lineRegions(path: string, buffer: number): Generator<{ chunk: Buffer; start: number; end: number }> {
  const chunks = holdOf(path)?.files.get(path);
  if (chunks) {
    yield* heldRegions(chunks);
    return;
  }
  const fd = openSync(path, 'r');
  try {
    let chunk = Buffer.allocUnsafe(buffer);
    let start = 0;
    let end = 0;
    for (;;) {
      if (end === chunk.length) {
        if (start > 0) {
          chunk.copy(chunk, 0, start, end);
          end -= start;
          start = 0;
        } else {
          const bigger = Buffer.allocUnsafe(chunk.length * 2);
          chunk.copy(bigger, 0, 0, end);
          chunk = bigger;
        }
      }
      const read = readSync(fd, chunk, end, chunk.length - end, null);
      if (read === 0) break;
      end += read;
      const cut = chunk.lastIndexOf(10, end - 1);
      if (cut < start) continue;
      const region = { chunk, start, end: cut };
      start = cut + 1;
      yield region;
    }
    if (end > start) yield { chunk, start, end };
  } finally {
    closeSync(fd);
  }
}

/**
 * A held file's regions of whole lines, read in place from its chunks; a line cut between two
 * chunks is put together in a buffer of its own.
 */
function* heldRegions(chunks: readonly Buffer[]): Generator<{ chunk: Buffer; start: number; end: number }> {
  let carry: Buffer | null = null;
  for (const chunk of chunks) {
    const first = chunk.indexOf(10);
    if (first === -1) {
      carry = carry ? Buffer.concat([carry, chunk]) : chunk;
      continue;
    }
    const cut = chunk.lastIndexOf(10);
    if (carry) {
      const joined = Buffer.concat([carry, chunk.subarray(0, first)]);
      carry = null;
      yield { chunk: joined, start: 0, end: joined.length };
      if (cut > first) yield { chunk, start: first + 1, end: cut };
    } else yield { chunk, start: 0, end: cut };
    if (cut + 1 < chunk.length) carry = chunk.subarray(cut + 1);
  }
  if (carry && carry.length > 0) yield { chunk: carry, start: 0, end: carry.length };
}

/**
 * The lines of a file, read synchronously in chunks and decoded a chunk at a time.
 * Synchronous on purpose: a record costs a function call, not a promise; callers that loop
 * long give the event loop a turn now and then (`Breather`).
 */
export function* readLines(path: string, buffer = 1 << 20): Generator<string> {
  for (const { chunk, start, end } of lineRegions(path, buffer)) {
    for (const line of chunk.toString('utf8', start, end).split('\n')) if (line !== '') yield line;
  }
}

/**
 * The lines of a file as bytes, not decoded: for records mostly copied through as they are.
 * Each line is a view of the reading buffer, valid until the next line is asked for.
 */
export function* readLineBytes(path: string, buffer = 1 << 20): Generator<Buffer> {
  for (const { chunk, start, end } of lineRegions(path, buffer)) {
    for (let pos = start; pos < end; ) {
      let newline = chunk.indexOf(10, pos);
      if (newline === -1 || newline > end) newline = end;
      if (newline > pos) yield chunk.subarray(pos, newline);
      pos = newline + 1;
    }
  }
}

/** The records of a file written one a line (JSON unless another codec is given), in order. */
export function* readNdjson<T>(path: string, codec: RecordCodec<T> = JSON_CODEC as RecordCodec<T>, buffer?: number): Generator<T> {
  const { decode } = codec;
  for (const line of readLines(path, buffer)) yield decode(line);
}

/**
 * Gives the event loop a turn now and then in a long synchronous loop: a signal from the main
 * thread arrives as a message, which a loop that never awaits would not see.
 *   if (breath.due()) await breath.turn();
 */
export class Breather {
  private calls = 0;
  constructor(
    private readonly signal?: AbortSignal,
    private readonly every = 20_000,
  ) {}

  due(): boolean {
    return ++this.calls % this.every === 0;
  }

  /** One turn of the event loop, then a stopped run throws. */
  async turn(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.signal?.throwIfAborted();
  }
}

/** Runs merged at once, at most: beyond, runs are merged in passes, so memory does not grow with them. */
export const MAX_FAN_IN = 32;
const MERGE_BUFFER = 1 << 16;

/** Merges streams each sorted by `compare` into one sorted stream (k-way, a small binary heap). */
export function* mergeSorted<T>(streams: Iterator<T>[], compare: (a: T, b: T) => number): Generator<T> {
  const heap: Array<{ value: T; source: Iterator<T>; order: number }> = [];
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
  try {
    for (const [order, source] of streams.entries()) {
      const next = source.next();
      if (!next.done) {
        heap.push({ value: next.value, source, order });
        up(heap.length - 1);
      }
    }
    while (heap.length > 0) {
      const top = heap[0]!;
      yield top.value;
      const next = top.source.next();
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
  } finally {
    // Stopped early (or failed): the sources still open close their files.
    for (const source of streams) source.return?.();
  }
}

/** Records a sorted run holds in memory before it is written out. */
export const SORT_RUN = 5_000;

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
    private readonly runSize = SORT_RUN,
    private readonly codec: RecordCodec<T> = JSON_CODEC as RecordCodec<T>,
  ) {}

  add(record: T): void {
    this.buffer.push(record);
    this.count++;
    if (this.buffer.length >= this.runSize) this.spill();
  }

  private spill(): void {
    this.buffer.sort(this.compare);
    const writer = new TextWriter(this.tempPath(this.runs.length), FLUSH_BYTES, true);
    for (const record of this.buffer) writer.write(`${this.codec.encode(record)}\n`);
    writer.close();
    this.runs.push(writer.path);
    this.buffer = [];
  }

  private read(path: string): Generator<T> {
    return readNdjson(path, this.codec, MERGE_BUFFER);
  }

  /** Ends adding: the records as sorted run files (none when there were none), for another sorter to merge. */
  finish(): string[] {
    if (this.buffer.length > 0) this.spill();
    return this.runs.splice(0);
  }

  /** Runs another sorter finished (same order and codec): merged with this one's. */
  addRuns(paths: readonly string[], count: number): void {
    this.runs.push(...paths);
    this.count += count;
  }

  /** The records in order (once). */
  *sorted(): Generator<T> {
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
      const writer = new TextWriter(this.tempPath(1_000_000 + pass++), FLUSH_BYTES, true);
      for (const record of mergeSorted(
        group.map((path) => this.read(path)),
        this.compare,
      ))
        writer.write(`${this.codec.encode(record)}\n`);
      writer.close();
      for (const path of group) removeTemp(path);
      // In the place of the runs it merged: records that compare equal keep the order they came in.
      this.runs.unshift(writer.path);
    }
    yield* mergeSorted(
      this.runs.map((path) => this.read(path)),
      this.compare,
    );
  }
}
