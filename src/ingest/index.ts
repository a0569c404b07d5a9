// File-level ingest: open (gunzip when .gz), hash, detect the format, stream through the
// X12 tokenizer and 837 assembler, and hand each claim to the caller as it completes.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { Claim, IngestIssue } from '../model/index.js';
import { Claim837Assembler, type SkippedTransaction, type UnparseableClaim } from './x12/claim837.js';
import { X12Tokenizer, type TokenIssue } from './x12/tokenizer.js';

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
  issues: IngestIssue[];
  /** Issues beyond the per-file cap, counted but not kept. */
  issuesOmitted: number;
  /** True when the file could not be opened or read to its end. */
  readFailed: boolean;
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

function openStream(path: string): Readable {
  return createReadStream(path, { highWaterMark: READ_CHUNK });
}

/**
 * Reads one file and hands each claim to `onClaim` as it completes. `onRead` is told of every
 * chunk read from disk (compressed bytes for .gz), for progress.
 */
export async function ingestFile(path: string, displayName: string, onClaim: (claim: Claim) => void, onRead?: (bytes: number) => void): Promise<FileIngestStats> {
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
  const addIssue = (issue: TokenIssue) => {
    if (stats.issues.length >= MAX_ISSUES_PER_FILE) {
      stats.issuesOmitted++;
      return;
    }
    const { severity, code, message, ...where } = issue;
    stats.issues.push({ severity, code, message, file: displayName, ...where });
  };

  const hash = createHash('sha256');
  const raw = openStream(path);
  const gz = path.toLowerCase().endsWith('.gz');
  let source: Readable = raw;
  if (gz) {
    // The raw stream is piped (flowing), so a data listener sees every compressed byte.
    raw.on('data', (chunk: Buffer) => {
      stats.bytes += chunk.length;
      hash.update(chunk);
      onRead?.(chunk.length);
    });
    source = raw.pipe(createGunzip());
    raw.on('error', (error) => source.destroy(error));
  }

  const assembler = new Claim837Assembler(displayName, {
    claim: onClaim,
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
  const tokenizer = new X12Tokenizer({ segment: (s) => assembler.segment(s), issue: addIssue });

  try {
    for await (const chunk of source) {
      const buffer = chunk as Buffer;
      if (!gz) {
        stats.bytes += buffer.length;
        hash.update(buffer);
        onRead?.(buffer.length);
      }
      if (stats.decodedBytes === 0 && buffer.length > 0) stats.format = detectFormat(buffer.subarray(0, 4096));
      stats.decodedBytes += buffer.length;
      if (stats.format === 'x12') tokenizer.write(buffer);
    }
    if (stats.decodedBytes === 0 && stats.format === 'unknown') stats.format = 'x12';
  } catch (error) {
    stats.readFailed = true;
    const err = error as NodeJS.ErrnoException;
    addIssue({
      severity: 'error',
      code: err.code === 'ENOENT' ? 'file-missing' : gz && !err.code?.startsWith('E') ? 'gzip-invalid' : 'file-unreadable',
      message: `cannot read the file${stats.decodedBytes > 0 ? ` past byte ${stats.decodedBytes}` : ''}: ${err.message}`,
      byteOffset: stats.decodedBytes,
    });
  }

  if (stats.format === 'x12') {
    if (!stats.readFailed) tokenizer.end();
    assembler.end();
  } else if (!stats.readFailed) {
    addIssue({
      severity: 'error',
      code: stats.format === 'csv' ? 'csv-not-supported' : 'format-unknown',
      message:
        stats.format === 'csv'
          ? 'this looks like a CSV claim export; CSV ingest is not available yet, only X12 837 (ISA…)'
          : 'not an X12 837 file (no ISA interchange header) and not recognisable as CSV',
      byteOffset: 0,
    });
  }

  stats.sha256 = stats.readFailed ? '' : hash.digest('hex');
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
