// The project's own CSV record scanner. It reads records exactly as csv-parse does with the
// options our reader gives it (RFC 4180 quotes, `""` inside quotes, a quote inside an unquoted
// field kept as text, the record delimiter taken from the first line end outside quotes as CRLF,
// LF or CR, empty lines skipped, a UTF-8 BOM dropped), and it gives each record's number and the
// file byte it ends at as csv-parse's `info` does. What csv-parse would read another way, repair
// or reject (text after a closing quote, a quote never closed, a line over the reader's limit, a
// record over csv-parse's, a UTF-16 byte order mark) it does not guess at: it throws `Irregular`.
// So a file it reads to its end is read the same by either; the scan that decides grouping
// (grouping.ts) reads with it first, and the reading that parses uses it only for such files, at
// several times csv-parse's speed. Anything irregular goes to csv-parse, whose recovery the
// reader reports record by record.
import type { Encoding } from './sniff.js';

/** The scanner met something csv-parse would read otherwise or reject: not read here. */
export class Irregular extends Error {
  constructor(
    readonly why: string,
    /** The file byte at which it was met. */
    readonly byteOffset: number,
  ) {
    super(`${why} at byte ${byteOffset}`);
  }
}

export interface ScanShape {
  encoding: Encoding;
  delimiter: string;
  /** A physical line (LF to LF) longer than this is irregular: the reader cuts such lines. */
  maxLineBytes: number;
  /** A record (raw bytes, delimiter excluded) longer than this is irregular: csv-parse rejects records past its limit. */
  maxRecordBytes: number;
}

const EMPTY = Buffer.alloc(0);
const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/** The record delimiter, once the first line end outside quotes has decided it. */
const enum Ends {
  Unknown,
  Lf,
  CrLf,
  Cr,
}

const enum State {
  /** Before a field's first byte. */
  Start,
  /** In an unquoted field. */
  Plain,
  /** In a quoted field. */
  Quoted,
  /** Just after a quote inside a quoted field: the field's end, or the first of `""`. */
  Quote,
}

export interface RecordSink {
  /** Whether field `field` of record `record` (0: the first, the header) is wanted; null: every field. */
  want: ((record: number, field: number) => boolean) | null;
  /** A wanted field's text. */
  field(record: number, field: number, text: string): void;
  /** Record `record` (0: the first) has ended; `end` is the file byte after its delimiter. */
  record(record: number, end: number): void;
}

/**
 * Records from a CSV file's bytes, written in chunks of any size; byte positions are the file's
 * own (a BOM counted). Only UTF-8 and Latin-1: UTF-16 is csv-parse's.
 */
export class CsvScanner {
  private state = State.Start;
  private ends = Ends.Unknown;
  private fieldIndex = 0;
  private recordIndex = 0;
  /** The current field's bytes from earlier chunks (and before a doubled quote). */
  private parts: Buffer[] = [];
  private collecting = false;
  /** The file byte of the next chunk's first byte. */
  private base = 0;
  /** Bytes of the current physical line and record before this chunk. */
  private lineBytes = 0;
  private recordBytes = 0;
  /** The file's first bytes, until there are three (null after). */
  private head: Buffer | null = Buffer.alloc(0);
  /** A CR that ended the last chunk, held until the next byte says whether it begins CRLF. */
  private heldCr = false;
  private readonly delimiter: number;
  private readonly latin1: boolean;
  private readonly want: ((record: number, field: number) => boolean) | null;

  constructor(
    private readonly shape: ScanShape,
    private readonly sink: RecordSink,
  ) {
    if (shape.encoding === 'utf16le') throw new Irregular('UTF-16 text', 0);
    this.delimiter = shape.delimiter.charCodeAt(0);
    this.latin1 = shape.encoding === 'latin1';
    this.want = sink.want;
  }

  write(input: Buffer): void {
    if (this.head !== null) {
      // The first bytes, gathered until a byte order mark can be told (csv-parse waits for three).
      const head = this.head.length === 0 ? input : Buffer.concat([this.head, input]);
      if (head.length < 3) {
        this.head = head;
        return;
      }
      this.head = null;
      if (head[0] === 0xff && head[1] === 0xfe) throw new Irregular('a UTF-16 byte order mark', 0);
      if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
        this.base = 3;
        input = head.subarray(3);
      } else input = head;
    }
    this.feed(input);
  }

  /** The end of the file. */
  end(): void {
    if (this.head !== null) {
      // Fewer than three bytes in all: no byte order mark is looked for.
      const head = this.head;
      this.head = null;
      this.feed(head);
    }
    if (this.heldCr) {
      this.heldCr = false;
      this.scan(Buffer.of(CR), 1, this.base - 1);
    }
    if (this.state === State.Quoted) throw new Irregular('a quote never closed', this.base);
    if (this.state !== State.Start || this.fieldIndex > 0) {
      if (this.state === State.Start) this.emptyField();
      else this.endField(EMPTY, 0, 0);
      this.endRecord(this.base);
    }
  }

  private feed(input: Buffer): void {
    let chunk = input;
    let base = this.base;
    this.base += input.length;
    if (this.heldCr) {
      this.heldCr = false;
      chunk = Buffer.concat([Buffer.of(CR), chunk]);
      base -= 1;
    }
    let length = chunk.length;
    // A CR at the very end waits for the next byte, unless the delimiter is known not to be CRLF.
    if (length > 0 && chunk[length - 1] === CR && (this.ends === Ends.Unknown || this.ends === Ends.CrLf)) {
      this.heldCr = true;
      length -= 1;
    }
    this.scan(chunk, length, base);
  }

  private scan(chunk: Buffer, length: number, base: number): void {
    const delimiter = this.delimiter;
    const maxLine = this.shape.maxLineBytes;
    const maxRecord = this.shape.maxRecordBytes;
    // Where the current field's bytes (still to be taken) begin in this chunk.
    let from = 0;
    // Where the quote that put the scanner in State.Quote is, in this chunk (-1: in an earlier one).
    let quoteAt = -1;
    // Where the current physical line and record began in this chunk (negative: earlier).
    let lineStart = -this.lineBytes;
    let recordStart = -this.recordBytes;
    for (let i = 0; i < length; i++) {
      let c = chunk[i]!;
      const state = this.state;
      if (state === State.Plain) {
        // Most bytes: the inside of a field, up to the next delimiter or line end.
        while (c !== delimiter && c !== CR && c !== LF && ++i < length) c = chunk[i]!;
        if (i === length) break;
      } else if (state === State.Quoted) {
        while (c !== QUOTE && c !== LF && ++i < length) c = chunk[i]!;
        if (i === length) break;
        if (c === LF) {
          if (i - lineStart > maxLine) throw new Irregular('a line over the limit', base + i);
          lineStart = i + 1;
          continue;
        }
        // A quote: the field's end, or the first of a doubled quote.
        this.state = State.Quote;
        quoteAt = i;
        continue;
      }
      // c: a delimiter, CR or LF (Plain), or any byte (Start, Quote).
      if (c === LF || c === CR) {
        if (c === LF) {
          if (i - lineStart > maxLine) throw new Irregular('a line over the limit', base + i);
          lineStart = i + 1;
        }
        const ending = this.lineEnd(chunk, i, length);
        if (ending === 0) {
          // Not the file's record delimiter: text.
          if (state === State.Quote) throw new Irregular('text after a closing quote', base + i);
          if (state === State.Start) {
            this.beginField();
            this.state = State.Plain;
            from = i;
          }
          continue;
        }
        if (state !== State.Start || this.fieldIndex > 0) {
          if (i - recordStart > maxRecord) throw new Irregular('a record over the limit', base + i);
          if (state === State.Start) this.emptyField();
          else this.endField(chunk, from, state === State.Quote ? quoteAt : i);
          this.endRecord(base + i + ending);
        }
        // An empty line otherwise: skipped.
        if (ending === 2) {
          i++;
          if (i - lineStart > maxLine) throw new Irregular('a line over the limit', base + i);
          lineStart = i + 1;
        }
        recordStart = i + 1;
        continue;
      }
      if (state === State.Start) {
        if (c === QUOTE) {
          this.beginField();
          this.state = State.Quoted;
          from = i + 1;
        } else if (c === delimiter) {
          this.emptyField();
        } else {
          this.beginField();
          this.state = State.Plain;
          from = i;
        }
      } else if (c === delimiter) {
        this.endField(chunk, from, state === State.Quote ? quoteAt : i);
      } else if (c === QUOTE) {
        // State.Quote, a doubled quote: the text so far, then the second quote is the field's.
        if (this.collecting && quoteAt > from) this.parts.push(chunk.subarray(from, quoteAt));
        this.state = State.Quoted;
        from = i;
      } else throw new Irregular('text after a closing quote', base + i);
    }
    // The field goes on in the next chunk: keep what this one holds of it.
    if (this.collecting) {
      const to = this.state === State.Quote ? quoteAt : this.state === State.Plain || this.state === State.Quoted ? length : -1;
      if (to > from) this.parts.push(chunk.subarray(from, to));
    }
    this.lineBytes = length - lineStart;
    this.recordBytes = length - recordStart;
    if (this.lineBytes > maxLine) throw new Irregular('a line over the limit', base + length);
    if (this.recordBytes > maxRecord) throw new Irregular('a record over the limit', base + length);
  }

  /** At a CR or LF outside quotes: 0 when it is text, else the length of the record delimiter there (the first decides it, as csv-parse does). */
  private lineEnd(chunk: Buffer, i: number, length: number): number {
    const c = chunk[i];
    switch (this.ends) {
      case Ends.Unknown:
        if (c === LF) {
          this.ends = Ends.Lf;
          return 1;
        }
        // A CR (a held one makes sure the next byte is here, or the file has ended).
        if (i + 1 < length && chunk[i + 1] === LF) {
          this.ends = Ends.CrLf;
          return 2;
        }
        this.ends = Ends.Cr;
        return 1;
      case Ends.Lf:
        return c === LF ? 1 : 0;
      case Ends.Cr:
        return c === CR ? 1 : 0;
      case Ends.CrLf:
        return c === CR && i + 1 < length && chunk[i + 1] === LF ? 2 : 0;
    }
  }

  private beginField(): void {
    this.collecting = this.want === null || this.want(this.recordIndex, this.fieldIndex);
  }

  /** A field with no byte (before a delimiter or the line end). */
  private emptyField(): void {
    if (this.want === null || this.want(this.recordIndex, this.fieldIndex)) this.sink.field(this.recordIndex, this.fieldIndex, '');
    this.fieldIndex++;
  }

  /** Ends the current field: its bytes from earlier chunks, then `chunk` from `from` to `to`. */
  private endField(chunk: Buffer, from: number, to: number): void {
    if (this.collecting) {
      let text: string;
      if (this.parts.length === 0) text = to > from ? (this.latin1 ? chunk.latin1Slice(from, to) : chunk.utf8Slice(from, to)) : '';
      else {
        if (to > from) this.parts.push(chunk.subarray(from, to));
        text = Buffer.concat(this.parts).toString(this.latin1 ? 'latin1' : 'utf8');
        this.parts = [];
      }
      this.sink.field(this.recordIndex, this.fieldIndex, text);
      this.collecting = false;
    }
    this.state = State.Start;
    this.fieldIndex++;
  }

  private endRecord(end: number): void {
    this.sink.record(this.recordIndex, end);
    this.recordIndex++;
    this.fieldIndex = 0;
    this.state = State.Start;
  }
}

declare module 'node:buffer' {
  interface Buffer {
    /** Node's own decoders, without toString's checks (present since Node 0.x, used by toString itself). */
    latin1Slice(start: number, end: number): string;
    utf8Slice(start: number, end: number): string;
  }
}
