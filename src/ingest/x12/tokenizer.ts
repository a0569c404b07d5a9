// Streaming X12 tokenizer: bytes → segments with positions, plus envelope checks.
//
// Bytes are decoded as latin1, so a string index is a byte offset and no input can fail to
// decode. Delimiters are read from each ISA by walking its 16 elements (never from fixed
// offsets, which breaks on a short ISA02 or a BOM), and read again at every ISA.
// Nothing here throws for bad data: every problem becomes a TokenIssue with a position.
import type { IngestIssue } from '../../model/index.js';
import { X12_SEGMENT_IDS } from '../../model/phi.js';
import type { IngestIssueCode } from '../issues.js';

export interface Delimiters {
  element: string;
  component: string;
  /** ISA11 when it is a separator (5010); null for 4010's 'U'. */
  repetition: string | null;
  segment: string;
}

/**
 * One segment with its position. Elements are split on first use: most segments of an 837
 * (addresses, contacts, demographics) are never read, and splitting is the tokenizer's
 * largest cost.
 */
export class Segment {
  private split: string[] | null;

  constructor(
    readonly id: string,
    /** The segment's text without its terminator. */
    readonly raw: string,
    /** 0-based position of the segment in the file. */
    readonly segmentIndex: number,
    /** 0-based byte offset of the segment's first character in the file. */
    readonly byteOffset: number,
    /** 0-based index of the interchange (ISA) that holds the segment. */
    readonly interchangeIndex: number,
    readonly delimiters: Delimiters,
    elements: string[] | null = null,
  ) {
    this.split = elements;
  }

  /** elements[0] is the segment id, elements[n] is element n as sent (composites unsplit). */
  get elements(): string[] {
    if (this.split === null) this.split = this.raw.split(this.delimiters.element);
    return this.split;
  }

  /** Element n (1-based, as X12 numbers them), without splitting the whole segment. */
  element(n: number): string | undefined {
    if (this.split !== null) return this.split[n];
    const raw = this.raw;
    const separator = this.delimiters.element;
    let start = 0;
    for (let i = 0; i < n; i++) {
      const next = raw.indexOf(separator, start);
      if (next === -1) return undefined;
      start = next + 1;
    }
    const end = raw.indexOf(separator, start);
    return end === -1 ? raw.slice(start) : raw.slice(start, end);
  }
}

type Trailer = 'SE' | 'GE' | 'IEA';

/** Each trailer's issues, by name (codes are the catalogue's literals, never built). */
const TRAILER_ISSUES = {
  SE: { count: 'se-count-mismatch', control: 'se-control-mismatch', missing: 'se-missing' },
  GE: { count: 'ge-count-mismatch', control: 'ge-control-mismatch', missing: 'ge-missing' },
  IEA: { count: 'iea-count-mismatch', control: 'iea-control-mismatch', missing: 'iea-missing' },
} as const satisfies Record<Trailer, Record<'count' | 'control' | 'missing', IngestIssueCode>>;

export type TokenIssue = Omit<IngestIssue, 'file' | 'code'> & {
  code: IngestIssueCode;
  /**
   * The excerpt in `value` is not known to end where its segment does (a damaged ISA, the
   * unterminated tail of a file, an overlong segment, data outside an interchange): a masked
   * run shows its structure only (ingest/index.ts). Never kept in the run's issues.
   */
  excerptEndUnknown?: true;
};

export interface TokenizerSink {
  segment(segment: Segment): void;
  issue(issue: TokenIssue): void;
}

export interface TokenizerOptions {
  /** A segment longer than this is reported and skipped (memory stays bounded). */
  maxSegmentBytes?: number;
  /** Where the input starts in its file (a part of a split file starts at an interchange): byte offsets are the file's. */
  byteOffset?: number;
  /**
   * A transaction sent without its ISA/GS envelope (some payer portals export 835s so), read with
   * these delimiters (inferred by the caller, who reports it): no issue for the missing envelope.
   */
  headerless?: Delimiters;
}

const DEFAULT_MAX_SEGMENT = 1 << 20;
/** How much of a GS or ST is read to judge whether it runs on into further segments. */
const RUN_ON_WINDOW = 4096;
/** A real ISA is 106 bytes; allow generous slack for padded or damaged ones before giving up. */
const MAX_ISA_BYTES = 512;
/** ISA01..ISA15 widths required by X12 (ISA16 is one character by construction). */
const ISA_WIDTHS = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1];

/** 2-3 characters, a capital letter then capitals or digits. */
function isSegmentId(id: string): boolean {
  const n = id.length;
  if (n < 2 || n > 3) return false;
  const first = id.charCodeAt(0);
  if (first < 65 || first > 90) return false;
  for (let i = 1; i < n; i++) {
    const c = id.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57))) return false;
  }
  return true;
}

const CR = 13;
const LF = 10;
const SPACE = 32;
const TAB = 9;

function isAlphanumeric(ch: string): boolean {
  return /^[A-Za-z0-9]$/.test(ch);
}

function snippet(text: string): string {
  const oneLine = text.replace(/[\r\n]+/g, ' ');
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine;
}

const escapeClass = (ch: string) => ch.replace(/[\\\]^-]/g, '\\$&');

/** How much of a segment's text segmentRunOn looks at. */
const RUN_ON_SCAN = 512;


/** Punctuation that data elements carry (names, ids, amounts, dates): never taken for a terminator when judging a segment. */
const DATA_PUNCTUATION = ".,-/&()#'+_@%$";

/**
 * Where a text read as one segment seems to run on into the next: the first character that
 * could be a segment terminator (not a letter, digit or space, nor a delimiter the interchange
 * declares) followed by what looks like a segment id and then a separator. A damaged or
 * wrongly declared terminator makes the tokenizer read several segments as one.
 *  - `quote` (cutting an excerpt): any such character and any id-shaped word count, so an
 *    excerpt never quotes a value of another segment (an NM1's name after a GS); a false cut
 *    only shortens it.
 *  - `judge` (deciding an interchange's terminator is wrong): data punctuation is not a
 *    terminator and the id must be one the 837/835 use, so a healthy GS02 like "ABC-ID" passes.
 * Used on the paths that quote or check envelopes only, never per segment of a healthy file.
 */
export function segmentRunOn(whole: string, delimiters: Pick<Delimiters, 'element' | 'component' | 'repetition'> | null, mode: 'quote' | 'judge' = 'quote'): number {
  // Only a segment's opening is looked at: an excerpt shows 80 characters and an envelope
  // segment is shorter than this. It also bounds the pattern's cost, which on a long run of line
  // ends grows with the square of the run (a 75 KB file with 69,000 of them took 7 s).
  const text = whole.length > RUN_ON_SCAN ? whole.slice(0, RUN_ON_SCAN) : whole;
  const declared = delimiters ? [delimiters.element, delimiters.component, delimiters.repetition ?? ''].join('') : '';
  const excluded = escapeClass(declared + (mode === 'judge' ? DATA_PUNCTUATION : ''));
  const pattern = new RegExp(`[^A-Za-z0-9 ${excluded}][\\r\\n]*([A-Z][A-Z0-9]{1,2})(?=[^A-Za-z0-9\\r\\n]|$)`, 'g');
  // The segment's own id is not a boundary: start after it.
  pattern.lastIndex = Math.min(3, text.length);
  for (let found = pattern.exec(text); found; found = pattern.exec(text)) {
    if (mode === 'quote' || X12_SEGMENT_IDS.has(found[1]!)) return found.index;
    pattern.lastIndex = found.index + 1;
  }
  return -1;
}

type Excerpt = { value: string; excerptEndUnknown?: true };

/**
 * What an issue quotes of the input: one segment at most, cut where it seems to run on into
 * another. `endKnown`: the text ends at its segment's terminator (else, and when it had to be
 * cut, a masked run shows only its structure).
 */
function excerpt(text: string, delimiters: Pick<Delimiters, 'element' | 'component' | 'repetition'> | null, endKnown: boolean): Excerpt {
  const at = segmentRunOn(text, delimiters);
  const value = snippet(at === -1 ? text : text.slice(0, at));
  return endKnown && at === -1 ? { value } : { value, excerptEndUnknown: true };
}

function describeChar(ch: string): string {
  if (ch === '\n') return 'LF';
  if (ch === '\r') return 'CR';
  if (ch === ' ') return 'space';
  return `'${ch}'`;
}

interface OpenEnvelope {
  control: string;
  segmentIndex: number;
  byteOffset: number;
  /** ISA: groups seen; GS: transactions seen; ST: segments seen (ST included). */
  count: number;
  label: string;
}

type IsaResult =
  | { kind: 'need-more' }
  | { kind: 'invalid'; reason: string; excerpt: Excerpt }
  | { kind: 'ok'; delimiters: Delimiters; elements: string[]; end: number; widthErrors: string[] };

/**
 * Push bytes with write(), finish with end(). Segments and issues go to the sink as soon as
 * they are complete; only the unfinished tail of the input is held.
 */
export class X12Tokenizer {
  private buf = '';
  private pos = 0;
  /** Absolute byte offset of buf[0]. */
  private base = 0;
  private started = false;
  private delimiters: Delimiters | null = null;
  /** The delimiters of the last interchange read (to cut what an issue quotes after it). */
  private lastDelimiters: Delimiters | null = null;
  private segmentIndex = 0;
  private interchangeIndex = -1;
  /** Discarding an overlong segment up to its terminator. */
  private skippingLongSegment = false;
  /** Garbage before an ISA was already reported; look for the next ISA quietly. */
  private garbageReported = false;
  private isa: OpenEnvelope | null = null;
  private gs: OpenEnvelope | null = null;
  private st: OpenEnvelope | null = null;
  private readonly maxSegmentBytes: number;
  /** Counts for the summary. */
  readonly counts = { segments: 0, interchanges: 0, groups: 0, transactions: 0 };

  private readonly headerless: boolean;

  constructor(private readonly sink: TokenizerSink, options: TokenizerOptions = {}) {
    this.maxSegmentBytes = options.maxSegmentBytes ?? DEFAULT_MAX_SEGMENT;
    this.base = options.byteOffset ?? 0;
    this.headerless = options.headerless !== undefined;
    if (options.headerless) {
      // An envelope taken as open: its transactions are read as if an ISA and a GS had come first.
      this.delimiters = options.headerless;
      this.lastDelimiters = options.headerless;
      this.interchangeIndex = 0;
      this.isa = { control: '', segmentIndex: 0, byteOffset: 0, count: 1, label: 'the missing ISA' };
      this.gs = { control: '', segmentIndex: 0, byteOffset: 0, count: 0, label: 'the missing GS' };
    }
  }

  /** Segments and interchanges seen so far, counted as positions are (garbage and damaged headers included). */
  get seen(): { segments: number; interchanges: number } {
    return { segments: this.segmentIndex, interchanges: this.interchangeIndex + 1 };
  }

  write(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    if (this.pos > 0) {
      this.base += this.pos;
      this.buf = this.buf.slice(this.pos);
      this.pos = 0;
    }
    this.buf = this.buf.length === 0 ? text : this.buf + text;
    this.scan(false);
  }

  end(): void {
    this.scan(true);
    const rest = this.buf.slice(this.pos);
    const restOffset = this.base + this.pos;
    if (this.counts.interchanges === 0 && !this.garbageReported && !this.headerless) {
      this.issue('error', 'empty-input', 'the input is empty or only whitespace: no ISA interchange header', { byteOffset: 0 });
    } else if (this.skippingLongSegment) {
      this.issue('error', 'truncated-segment', 'the input ends inside an overlong segment', { byteOffset: restOffset });
    } else if (this.delimiters && rest.trim().length > 0 && this.closesInterchange(rest.trim(), this.delimiters)) {
      // A complete IEA whose terminator is missing: nothing was lost, so a warning, not truncation.
      const start = this.pos + (rest.length - rest.trimStart().length);
      this.issue('warning', 'terminator-missing-at-end', `the last segment (IEA) has no ${describeChar(this.delimiters.segment)} terminator; it was read as complete`, {
        byteOffset: this.base + start,
        segmentIndex: this.segmentIndex,
      });
      this.emit(this.buf, start, start + rest.trim().length, this.delimiters);
    } else if (this.delimiters && rest.trim().length > 0) {
      this.issue(
        'error',
        'truncated-segment',
        `the input ends in the middle of a segment (no ${describeChar(this.delimiters.segment)} terminator): the file looks truncated`,
        { byteOffset: restOffset, segmentIndex: this.segmentIndex, ...excerpt(rest.trimStart(), this.delimiters, false) },
      );
    }
    this.closeAllAtEnd(this.base + this.buf.length);
    this.buf = '';
    this.pos = 0;
  }

  /**
   * Whether an unterminated final segment is a whole IEA: the right id, and the control
   * number of the open ISA (a cut-off control number would not match).
   */
  private closesInterchange(text: string, delimiters: Delimiters): boolean {
    if (!this.isa || !text.startsWith(`IEA${delimiters.element}`)) return false;
    const elements = text.split(delimiters.element);
    return elements.length === 3 && /^\d+$/.test(elements[1]!) && elements[2] === this.isa.control;
  }

  private scan(final: boolean): void {
    const buf = this.buf;
    const len = buf.length;
    let pos = this.pos;

    if (!this.started) {
      if (len < 3 && !final) return;
      if (buf.charCodeAt(0) === 0xef && buf.charCodeAt(1) === 0xbb && buf.charCodeAt(2) === 0xbf) pos = 3;
      this.started = true;
    }

    for (;;) {
      if (this.skippingLongSegment) {
        const term = this.delimiters ? buf.indexOf(this.delimiters.segment, pos) : -1;
        if (term === -1) {
          pos = len;
          break;
        }
        this.skippingLongSegment = false;
        pos = term + 1;
        continue;
      }

      // Noise between segments: whitespace, and CR/LF that are not the terminator.
      while (pos < len) {
        const c = buf.charCodeAt(pos);
        if (c === SPACE || c === TAB || c === CR || c === LF) pos++;
        else break;
      }
      if (pos >= len) break;

      const atIsa = buf.startsWith('ISA', pos) && (len - pos < 4 || !isAlphanumeric(buf[pos + 3]!));
      if (atIsa || this.delimiters === null) {
        if (len - pos < 4 && !final) break;
        if (atIsa && len - pos >= 4) {
          const result = this.readIsa(buf, pos, final);
          if (result.kind === 'need-more') break;
          if (result.kind === 'invalid') {
            this.issue('error', 'isa-invalid', `the ISA interchange header cannot be read: ${result.reason}`, {
              byteOffset: this.base + pos,
              segmentIndex: this.segmentIndex,
              ...result.excerpt,
            });
            this.segmentIndex++;
            this.closeEnvelopesBeforeIsa(this.base + pos);
            this.delimiters = null;
            this.garbageReported = true;
            const next = this.seekIsa(buf, pos + 3);
            if (next === -1) {
              pos = Math.max(pos + 3, len - 2);
              break;
            }
            pos = next;
            continue;
          }
          this.acceptIsa(result, pos);
          pos = result.end;
          continue;
        }
        // Not at an ISA and no delimiters known: the input does not start an interchange here.
        if (!this.garbageReported) {
          const lineEnd = buf.indexOf('\n', pos);
          const preview = buf.slice(pos, lineEnd === -1 ? Math.min(len, pos + 80) : Math.min(lineEnd, pos + 80));
          this.issue(
            'error',
            'missing-isa',
            this.interchangeIndex < 0
              ? 'no ISA interchange header: X12 input must start with ISA (after an optional BOM or whitespace)'
              : 'data after the end of an interchange that does not start with ISA',
            { byteOffset: this.base + pos, ...excerpt(preview, this.lastDelimiters, false) },
          );
          this.garbageReported = true;
        }
        const next = this.seekIsa(buf, pos + 1);
        if (next === -1) {
          // Keep two characters in case "ISA" straddles the chunk boundary.
          pos = Math.max(pos, len - 2);
          break;
        }
        pos = next;
        continue;
      }

      const delimiters = this.delimiters;
      const term = buf.indexOf(delimiters.segment, pos);
      // A GS or ST that runs on into further segments: the interchange's declared terminator is
      // not the one its segments end with (or it never comes), and nothing in it can be read
      // as intended. Judged on the envelope headers only: one comparison per other segment.
      const head = buf.charCodeAt(pos);
      if ((head === 71 || head === 83) && (buf.startsWith('GS', pos) || buf.startsWith('ST', pos)) && buf[pos + 2] === delimiters.element) {
        const end = term === -1 ? Math.min(len, pos + RUN_ON_WINDOW) : term;
        if (term === -1 && !final && end - pos < RUN_ON_WINDOW) break;
        const text = buf.slice(pos, end);
        if (segmentRunOn(text, delimiters, 'judge') !== -1) {
          this.abandonInterchange(text, this.base + pos, delimiters);
          // On to the next ISA, which may lie inside the text just judged.
          pos++;
          continue;
        }
      }
      if (term === -1) {
        if (len - pos > this.maxSegmentBytes) {
          this.issue('error', 'segment-too-long', `a segment is longer than ${this.maxSegmentBytes} bytes; it was skipped`, {
            byteOffset: this.base + pos,
            segmentIndex: this.segmentIndex,
            ...excerpt(buf.slice(pos, pos + 80), delimiters, false),
          });
          this.segmentIndex++;
          this.countInTransaction();
          this.skippingLongSegment = true;
          pos = len;
        }
        break;
      }
      let contentEnd = term;
      // With LF as the terminator, a CR before it is line-ending noise.
      if (delimiters.segment === '\n' && contentEnd > pos && buf.charCodeAt(contentEnd - 1) === CR) contentEnd--;
      this.emit(buf, pos, contentEnd, delimiters);
      pos = term + 1;
    }
    this.pos = pos;
  }

  /** Index of the next "ISA" followed by a non-alphanumeric character at or after `from`, or -1. */
  private seekIsa(buf: string, from: number): number {
    let i = buf.indexOf('ISA', from);
    while (i !== -1) {
      const next = buf[i + 3];
      if (next === undefined || !isAlphanumeric(next)) return i;
      i = buf.indexOf('ISA', i + 1);
    }
    return -1;
  }

  private readIsa(buf: string, start: number, final: boolean): IsaResult {
    const element = buf[start + 3]!;
    // The ISA's end is not known: one segment at most, cut where it runs on into the next.
    const preview = () => excerpt(buf.slice(start, start + 110), { element, component: '', repetition: null }, false);
    if (element === '\r' || element === '\n' || element === ' ') {
      return { kind: 'invalid', reason: `the element separator after ISA is ${describeChar(element)}`, excerpt: preview() };
    }
    const elements = ['ISA'];
    let q = start + 4;
    for (let n = 1; n <= 15; n++) {
      const next = buf.indexOf(element, q);
      if (next === -1 || next - start > MAX_ISA_BYTES) {
        if (next === -1 && !final && buf.length - start < MAX_ISA_BYTES) return { kind: 'need-more' };
        return {
          kind: 'invalid',
          reason: `found ${n - 1} of the 16 ISA elements separated by ${describeChar(element)}`,
          excerpt: preview(),
        };
      }
      elements.push(buf.slice(q, next));
      q = next + 1;
    }
    if (q + 1 >= buf.length) {
      if (!final) return { kind: 'need-more' };
      return { kind: 'invalid', reason: 'the input ends inside the ISA segment', excerpt: preview() };
    }
    const component = buf[q]!;
    const segment = buf[q + 1]!;
    elements.push(component);
    const isa11 = elements[11] ?? '';
    const isa12 = elements[12] ?? '';
    const repetition = isa11.length === 1 && !isAlphanumeric(isa11) && isa12 >= '00402' ? isa11 : null;
    if (isAlphanumeric(component) || component === element) {
      return { kind: 'invalid', reason: `ISA16 (component separator) is ${describeChar(component)}`, excerpt: preview() };
    }
    if (isAlphanumeric(segment) || segment === ' ' || segment === element || segment === component || segment === repetition) {
      return {
        kind: 'invalid',
        reason: `the character after ISA16 should be the segment terminator but is ${describeChar(segment)}`,
        excerpt: preview(),
      };
    }
    const widthErrors: string[] = [];
    ISA_WIDTHS.forEach((width, i) => {
      const value = elements[i + 1] ?? '';
      if (value.length !== width) {
        widthErrors.push(`ISA${String(i + 1).padStart(2, '0')} is ${value.length} characters, X12 requires ${width}`);
      }
    });
    return { kind: 'ok', delimiters: { element, component, repetition, segment }, elements, end: q + 2, widthErrors };
  }

  private acceptIsa(result: Extract<IsaResult, { kind: 'ok' }>, pos: number): void {
    const byteOffset = this.base + pos;
    this.closeEnvelopesBeforeIsa(byteOffset);
    this.interchangeIndex++;
    this.counts.interchanges++;
    this.delimiters = result.delimiters;
    this.lastDelimiters = result.delimiters;
    this.garbageReported = false;
    if (result.widthErrors.length > 0) {
      this.issue(
        'error',
        'isa-field-width',
        `the ISA header is not fixed-width (${result.widthErrors.join('; ')}); delimiters were read by walking its elements, but a receiver may reject this interchange`,
        { byteOffset, segmentIndex: this.segmentIndex, ...excerpt(result.elements.join(result.delimiters.element), result.delimiters, true) },
      );
    }
    this.isa = {
      control: (result.elements[13] ?? '').trim(),
      segmentIndex: this.segmentIndex,
      byteOffset,
      count: 0,
      label: `ISA ${(result.elements[13] ?? '').trim()}`,
    };
    const segment = new Segment(
      'ISA',
      result.elements.join(result.delimiters.element),
      this.segmentIndex++,
      byteOffset,
      this.interchangeIndex,
      result.delimiters,
      result.elements,
    );
    this.counts.segments++;
    this.sink.segment(segment);
  }

  private emit(buf: string, start: number, end: number, delimiters: Delimiters): void {
    const byteOffset = this.base + start;
    const separator = buf.indexOf(delimiters.element, start);
    const id = buf.slice(start, separator === -1 || separator > end ? end : separator);
    const segmentIndex = this.segmentIndex++;
    if (!isSegmentId(id)) {
      this.issue('error', 'segment-id-invalid', 'not an X12 segment: its id is not 2-3 capital letters or digits', {
        byteOffset,
        segmentIndex,
        ...excerpt(buf.slice(start, end), delimiters, true),
      });
      this.countInTransaction();
      return;
    }
    const segment = new Segment(id, buf.slice(start, end), segmentIndex, byteOffset, this.interchangeIndex, delimiters);
    if (!this.checkEnvelope(segment)) return;
    this.counts.segments++;
    this.sink.segment(segment);
  }

  /** Skips the rest of an interchange whose segments its declared terminator does not end, to the next ISA. */
  private abandonInterchange(text: string, byteOffset: number, delimiters: Delimiters): void {
    const found = text.charAt(segmentRunOn(text, delimiters, 'judge'));
    this.issue(
      'error',
      'segment-terminator-wrong',
      `the ${text.slice(0, 2)} segment runs on into further segments: the ISA declares ${describeChar(delimiters.segment)} as the segment terminator, but the segments seem to end with ${describeChar(found)}; the interchange was skipped to the next ISA`,
      { byteOffset, segmentIndex: this.segmentIndex++, ...excerpt(text, delimiters, false) },
    );
    // Its envelopes are not "missing" their trailers: the interchange as a whole is unreadable.
    this.st = null;
    this.gs = null;
    this.isa = null;
    this.delimiters = null;
    this.garbageReported = true;
  }

  private countInTransaction(): void {
    if (this.st) this.st.count++;
  }

  /** Envelope pairing, counts and control numbers. Returns false for a segment to drop. */
  private checkEnvelope(seg: Segment): boolean {
    const at = { byteOffset: seg.byteOffset, segmentIndex: seg.segmentIndex };
    switch (seg.id) {
      case 'GS': {
        if (!this.isa) this.issue('error', 'gs-outside-interchange', 'GS functional group header outside an ISA interchange', at);
        if (this.st) this.missingClose(this.st, 'SE', seg);
        if (this.gs) this.missingClose(this.gs, 'GE', seg);
        this.st = null;
        const control = seg.element(6) ?? '';
        this.gs = { control, segmentIndex: seg.segmentIndex, byteOffset: seg.byteOffset, count: 0, label: `GS ${control}` };
        if (this.isa) this.isa.count++;
        this.counts.groups++;
        return true;
      }
      case 'ST': {
        if (!this.gs) this.issue('error', 'st-outside-group', 'ST transaction header outside a GS functional group', at);
        if (this.st) this.missingClose(this.st, 'SE', seg);
        const control = seg.element(2) ?? '';
        this.st = {
          control,
          segmentIndex: seg.segmentIndex,
          byteOffset: seg.byteOffset,
          count: 1,
          label: `ST*${seg.element(1) ?? ''}*${control}`,
        };
        if (this.gs) this.gs.count++;
        this.counts.transactions++;
        return true;
      }
      case 'SE': {
        if (!this.st) {
          this.issue('error', 'se-without-st', 'SE transaction trailer without an open ST', at);
          return true;
        }
        this.st.count++;
        this.checkTrailer(seg, this.st, 'SE01', 'segments', '(ST to SE inclusive)', 'SE02', 'ST02');
        this.st = null;
        return true;
      }
      case 'GE': {
        if (this.st) this.missingClose(this.st, 'SE', seg);
        this.st = null;
        if (!this.gs) {
          this.issue('error', 'ge-without-gs', 'GE group trailer without an open GS', at);
          return true;
        }
        this.checkTrailer(seg, this.gs, 'GE01', 'transactions', '', 'GE02', 'GS06');
        this.gs = null;
        return true;
      }
      case 'IEA': {
        if (this.st) this.missingClose(this.st, 'SE', seg);
        if (this.gs) this.missingClose(this.gs, 'GE', seg);
        this.st = null;
        this.gs = null;
        if (!this.isa) {
          this.issue('error', 'iea-without-isa', 'IEA interchange trailer without an open ISA', at);
          return true;
        }
        this.checkTrailer(seg, this.isa, 'IEA01', 'groups', '', 'IEA02', 'ISA13');
        this.isa = null;
        return true;
      }
      default:
        if (this.st) {
          this.st.count++;
          return true;
        }
        this.issue('error', 'segment-outside-transaction', `${seg.id} segment outside an ST/SE transaction`, at);
        return false;
    }
  }

  /** A trailer's count (element 1) and control number (element 2) against its header. */
  private checkTrailer(seg: Segment, open: OpenEnvelope, countName: string, counted: string, note: string, controlName: string, headerControlName: string): void {
    const at = { byteOffset: seg.byteOffset, segmentIndex: seg.segmentIndex };
    const codes = TRAILER_ISSUES[seg.id as Trailer];
    const declared = seg.element(1) ?? '';
    if (declared.trim() === '' || Number(declared) !== open.count) {
      this.issue('warning', codes.count, `${countName} says ${JSON.stringify(declared)} ${counted} but ${open.label} has ${open.count}${note ? ` ${note}` : ''}`, { ...at, value: declared });
    }
    const control = (seg.element(2) ?? '').trim();
    if (control !== open.control) {
      this.issue('warning', codes.control, `${controlName} ${JSON.stringify(control)} does not match ${headerControlName} ${JSON.stringify(open.control)}`, { ...at, value: control });
    }
  }

  private missingClose(open: OpenEnvelope, trailer: Trailer, at: Segment): void {
    this.issue('error', TRAILER_ISSUES[trailer].missing, `${open.label} (segment ${open.segmentIndex}) has no ${trailer} trailer before ${at.id}`, {
      byteOffset: at.byteOffset,
      segmentIndex: at.segmentIndex,
    });
  }

  private closeEnvelopesBeforeIsa(byteOffset: number): void {
    const at = { byteOffset, segmentIndex: this.segmentIndex };
    for (const [open, trailer] of [[this.st, 'SE'], [this.gs, 'GE'], [this.isa, 'IEA']] as const) {
      if (open) {
        this.issue('error', TRAILER_ISSUES[trailer].missing, `${open.label} (segment ${open.segmentIndex}) has no ${trailer} trailer before the next ISA`, at);
      }
    }
    this.st = null;
    this.gs = null;
    this.isa = null;
  }

  private closeAllAtEnd(byteOffset: number): void {
    if (this.headerless && this.isa?.control === '') {
      // The envelope that was never sent is not missing its trailers.
      if (this.gs?.control === '') this.gs = null;
      this.isa = null;
    }
    const open = [this.st, this.gs, this.isa].filter((e): e is OpenEnvelope => e !== null);
    if (open.length > 0) {
      this.issue(
        'error',
        'truncated',
        `the input ends inside ${open.map((e) => `${e.label} (segment ${e.segmentIndex})`).join(', ')}: no ${[this.st && 'SE', this.gs && 'GE', this.isa && 'IEA'].filter(Boolean).join('/')}; the file looks truncated`,
        { byteOffset },
      );
    }
    this.st = null;
    this.gs = null;
    this.isa = null;
  }

  private issue(
    severity: TokenIssue['severity'],
    code: IngestIssueCode,
    message: string,
    where: { byteOffset?: number; segmentIndex?: number; value?: string; excerptEndUnknown?: true },
  ): void {
    const issue: TokenIssue = { severity, code, message };
    if (where.segmentIndex !== undefined) issue.segmentIndex = where.segmentIndex;
    if (where.byteOffset !== undefined) issue.byteOffset = where.byteOffset;
    if (this.interchangeIndex >= 0) issue.interchangeIndex = this.interchangeIndex;
    if (where.value !== undefined) issue.value = where.value;
    if (where.excerptEndUnknown) issue.excerptEndUnknown = true;
    this.sink.issue(issue);
  }
}

/** Splits a composite element by the interchange's component separator. */
export function components(segment: Segment, n: number): string[] {
  const value = segment.element(n);
  if (value === undefined || value === '') return [];
  return value.split(segment.delimiters.component);
}
