// File-level ingest: open (gunzip when .gz), hash, detect the format, stream through the
// X12 tokenizer and 837 assembler or the CSV reader, and hand each claim to the caller as it
// completes.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Claim } from '../model/index.js';
import { guardSegmentSnippet, valueShape, type PhiMode } from '../model/phi.js';
import type { CsvProfile } from './csv/mapping.js';
import { readCsv, type CsvIssue, type CsvReport, type CsvResult, type SkippedClaim } from './csv/read.js';
import { Claim837Assembler, type SkippedTransaction, type UnparseableClaim } from './x12/claim837.js';
import { X12Tokenizer, type TokenIssue } from './x12/tokenizer.js';
import { nextInterchange } from './x12/boundary.js';
import type { CataloguedIssue } from './issues.js';

export type InputFormat = 'x12' | 'csv' | 'unknown';

export interface FileIngestStats {
  file: string;
  format: InputFormat;
  /** Bytes read from disk. */
  bytes: number;
  /** Bytes after decompression (equal to bytes for plain files). */
  decodedBytes: number;
  sha256: string;
  interchanges: number;
  groups: number;
  transactions: number;
  segments: number;
  claims: { read: number; audited: number; skipped: number; unparseable: number };
  /** Service lines in audited claims. */
  lines: number;
  skippedTransactions: SkippedTransaction[];
  unparseableClaims: UnparseableClaim[];
  issues: CataloguedIssue[];
  /** Issues beyond the per-file cap, counted but not kept. */
  issuesOmitted: number;
  /** True when the file could not be opened or read to its end. */
  readFailed: boolean;
  /** CSV inputs: the layout, mapping and row counts. */
  csv?: CsvReport;
  /** CSV claims skipped (CCLF cancel records), with why. */
  skippedClaims?: SkippedClaim[];
  /**
   * A part of a split file (the sharded executor's map): the bytes it read, and the segments and
   * interchanges it counted from 0, for merge to put the parts' positions back in the file's.
   */
  part?: { start: number; end: number; segmentsSeen: number; interchangesSeen: number };
}

/** Per-file cap on kept issues: a file of garbage must not grow memory without bound. */
export const MAX_ISSUES_PER_FILE = 1000;

/**
 * 64 KiB reads: each chunk becomes a latin1 string, and strings this size live in V8's young
 * generation. Megabyte chunks land in large-object space, freed only by full collections, and
 * peak RSS then grows with the input.
 */
export const READ_CHUNK = 64 * 1024;

/** X12 if, after a BOM and whitespace, the data starts with ISA or an X12-looking segment id. */
export function detectFormat(head: Buffer): InputFormat {
  let text = head.toString('latin1');
  if (text.startsWith('\xef\xbb\xbf')) text = text.slice(3);
  text = text.replace(/^\s+/, '');
  if (text === '') return 'x12';
  if (/^ISA[^A-Za-z0-9]/.test(text)) return 'x12';
  // An envelope or transaction segment without its ISA is still X12 (and gets a clear issue).
  if (/^(GS|ST|BHT)[^A-Za-z0-9\s,;\t"]/.test(text)) return 'x12';
  if (/^[^\n]*[,;|\t][^\n]*(\r?\n|$)/.test(text)) return 'csv';
  return 'unknown';
}

export interface IngestHooks {
  /** Each claim, as it completes. */
  onClaim: (claim: Claim) => void;
  /** Every chunk read from disk (compressed bytes for .gz), for progress. */
  onRead?: (bytes: number) => void;
  /** --csv-profile. */
  csvProfile?: CsvProfile | null;
  /** What issues may quote of the input (default masked: no cell value, no PHI segment). */
  phi?: PhiMode;
  /** Stops the reading (SIGINT/SIGTERM): the abort error is thrown, not reported as an issue. */
  signal?: AbortSignal;
  /** A part of a large X12 file (inputs.ts InputFile.range): read from the interchange at or after its start to the one at or after its end. */
  range?: { start: number; end: number; part: number; parts: number } | undefined;
}

/** Reads one file and hands each claim to `hooks.onClaim` as it completes. */
export async function ingestFile(path: string, displayName: string, hooks: IngestHooks): Promise<FileIngestStats> {
  const stats: FileIngestStats = {
    file: displayName,
    format: 'unknown',
    bytes: 0,
    decodedBytes: 0,
    sha256: '',
    interchanges: 0,
    groups: 0,
    transactions: 0,
    segments: 0,
    claims: { read: 0, audited: 0, skipped: 0, unparseable: 0 },
    lines: 0,
    skippedTransactions: [],
    unparseableClaims: [],
    issues: [],
    issuesOmitted: 0,
    readFailed: false,
  };
  const phi = hooks.phi ?? 'masked';
  const addIssue = (issue: TokenIssue | CsvIssue) => {
    if (stats.issues.length >= MAX_ISSUES_PER_FILE) {
      stats.issuesOmitted++;
      return;
    }
    const { severity, code, message, ...where } = issue;
    stats.issues.push({ severity, code, message, file: displayName, ...where });
  };

  const gz = path.toLowerCase().endsWith('.gz');
  // A part of a split file: its bytes, from an interchange to the next part's (part 0 from the file's start, the last to its end).
  let range: { from: number; to: number; size: number; first: boolean } | null = null;
  if (hooks.range && !gz) {
    const { start, end, part, parts } = hooks.range;
    try {
      const size = (await stat(path)).size;
      range = { from: part === 0 ? 0 : nextInterchange(path, start), to: part === parts - 1 ? size : nextInterchange(path, end), size, first: part === 0 };
    } catch {
      // Unreadable: the reading below says so.
    }
  }
  /**
   * One reading of the file. The first is read to its end (its bytes and checksum are the
   * file's); a CSV is read again to be parsed (after a scan, csv/grouping.ts). Progress counts
   * the bytes of the reading that parses, past what was counted already.
   */
  interface Reading {
    bytes: number;
    decodedBytes: number;
    hash: ReturnType<typeof createHash>;
    raw: Readable;
    progress: boolean;
  }
  const readings: Reading[] = [];
  let progressed = 0;
  /** The file from its first byte, decompressed. */
  const open = (progress = true): AsyncIterable<Buffer> => {
    const reading: Reading = {
      bytes: 0,
      decodedBytes: 0,
      hash: createHash('sha256'),
      raw: range ? (range.from < range.to ? createReadStream(path, { highWaterMark: READ_CHUNK, start: range.from, end: range.to - 1 }) : Readable.from([])) : createReadStream(path, { highWaterMark: READ_CHUNK }),
      progress,
    };
    const first = readings.length === 0;
    readings.push(reading);
    const counted = (async function* () {
      for await (const chunk of reading.raw as AsyncIterable<Buffer>) {
        hooks.signal?.throwIfAborted();
        reading.bytes += chunk.length;
        if (first) {
          reading.hash.update(chunk);
          stats.bytes = reading.bytes;
        }
        if (reading.progress && reading.bytes > progressed) {
          hooks.onRead?.(reading.bytes - progressed);
          progressed = reading.bytes;
        }
        yield chunk;
      }
    })();
    const decoded = gz ? pipeline(Readable.from(counted), createGunzip(), () => {}) : counted;
    return (async function* () {
      for await (const chunk of decoded as AsyncIterable<Buffer>) {
        reading.decodedBytes += chunk.length;
        if (first) stats.decodedBytes = reading.decodedBytes;
        yield chunk;
      }
    })();
  };

  const assembler = new Claim837Assembler(displayName, {
    claim: hooks.onClaim,
    issue: addIssue,
    skipped: (t) => stats.skippedTransactions.push(t),
    unparseable: (c) => {
      stats.unparseableClaims.push(c);
      addIssue({
        severity: 'error',
        code: 'claim-unparseable',
        message: `claim ${JSON.stringify(c.claimId)}: ${c.reason}`,
        segmentIndex: c.segmentIndex,
        byteOffset: c.byteOffset,
      });
    },
  });
  // The tokenizer quotes raw segments (any segment: a name, an address), the CSV reader cells:
  // both guarded here. The 837 assembler quotes elements of code segments only (a charge, a
  // date, a line number), which are shown as they are.
  const tokenizer = new X12Tokenizer(
    {
      segment: (s) => assembler.segment(s),
      issue: ({ excerptEndUnknown, ...issue }) => addIssue(issue.value === undefined ? issue : { ...issue, value: guardSegmentSnippet(issue.value, phi, !excerptEndUnknown) }),
    },
    { byteOffset: range?.from ?? 0 },
  );
  let csv: CsvResult | null = null;

  try {
    const chunks = open()[Symbol.asyncIterator]();
    const first = await chunks.next();
    stats.format = first.done || first.value.length === 0 || range ? 'x12' : detectFormat(first.value.subarray(0, 4096));
    if (stats.format === 'x12') {
      if (!first.done) tokenizer.write(first.value);
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) tokenizer.write(next.value);
    } else if (stats.format === 'csv') {
      const whole = (async function* () {
        if (!first.done) yield first.value;
        for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
      })();
      const size = (await stat(path).catch(() => null))?.size ?? 0;
      // The first reading is a scan from here: progress comes with the reading that parses.
      readings[0]!.progress = false;
      csv = await readCsv(
        whole,
        open,
        {
          claim: hooks.onClaim,
          issue: (issue) => addIssue(issue.value === undefined || phi === 'full' ? issue : { ...issue, value: valueShape(issue.value) }),
        },
        { file: displayName, profile: hooks.csvProfile ?? null, sizeHint: gz ? size * 6 : size, phi },
      );
    }
  } catch (error) {
    if (hooks.signal?.aborted) throw error;
    stats.readFailed = true;
    const err = error as NodeJS.ErrnoException;
    addIssue({
      severity: 'error',
      code: err.code === 'ENOENT' ? 'file-missing' : gz && !err.code?.startsWith('E') ? 'gzip-invalid' : 'file-unreadable',
      message: `cannot read the file${stats.decodedBytes > 0 ? ` past byte ${stats.decodedBytes}` : ''}: ${err.message}`,
      byteOffset: stats.decodedBytes,
    });
  }

  // Whatever stopped the reading (an error, a layout refused part-way), the file is closed.
  for (const reading of readings) reading.raw.destroy();
  const emptyPart = range !== null && range.from >= range.to;
  if (stats.format === 'x12' && !emptyPart) {
    if (!stats.readFailed) tokenizer.end();
    assembler.end();
  } else if (stats.format === 'unknown' && !stats.readFailed) {
    addIssue({ severity: 'error', code: 'format-unknown', message: 'not an X12 837 file (no ISA interchange header) and not recognisable as CSV', byteOffset: 0 });
  }

  if (range && !stats.readFailed) {
    // Part 0 hashes the whole file (the rest after its own bytes); the other parts none.
    if (range.first && range.to < range.size) {
      try {
        for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20, start: range.to }) as AsyncIterable<Buffer>) readings[0]!.hash.update(chunk);
      } catch (error) {
        stats.readFailed = true;
        addIssue({ severity: 'error', code: 'file-unreadable', message: `cannot read the file to its end to take its checksum: ${(error as Error).message}`, byteOffset: range.to });
      }
    }
    stats.part = { start: range.from, end: range.to, segmentsSeen: tokenizer.seen.segments, interchangesSeen: tokenizer.seen.interchanges };
  }
  stats.sha256 = stats.readFailed || readings.length === 0 || (range !== null && !range.first) ? '' : readings[0]!.hash.digest('hex');
  if (csv) {
    stats.claims = csv.claims;
    stats.lines = csv.lines;
    stats.csv = csv.report;
    stats.skippedClaims = csv.skippedClaims;
    for (const c of csv.unparseableClaims) stats.unparseableClaims.push({ claimId: c.claimId, reason: c.reason, segmentIndex: 0, byteOffset: c.byteOffset, row: c.row });
    return stats;
  }
  stats.interchanges = tokenizer.counts.interchanges;
  stats.groups = tokenizer.counts.groups;
  stats.transactions = tokenizer.counts.transactions;
  stats.segments = tokenizer.counts.segments;
  stats.claims = {
    read: assembler.counts.claimsRead,
    audited: assembler.counts.claimsAssembled,
    skipped: assembler.counts.claimsSkipped,
    unparseable: assembler.counts.claimsUnparseable,
  };
  stats.lines = assembler.counts.lines;
  return stats;
}
