// Reading 835 remittance files: each file streamed through the project's tokenizer (the same
// delimiter detection, envelope checks, positions and PHI guard on what an issue quotes) into the
// 835 reader. A .gz is read through gunzip. Problems are issues with the file and position.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import type { IngestIssue } from '../model/index.js';
import { guardSegmentSnippet, type PhiMode } from '../model/phi.js';
import type { RemitClaim } from '../model/remittance.js';
import { MAX_ISSUES_PER_FILE, READ_CHUNK, detectFormat } from './index.js';
import { Remit835Reader } from './x12/remit835.js';
import { resolveInputs } from './inputs.js';
import { X12Tokenizer, type Delimiters, type Segment, type TokenIssue } from './x12/tokenizer.js';

/**
 * The delimiters of an 835 sent without its envelope (it starts with ST): the element separator
 * after ST, the segment terminator before the next segment (BPR), the component separator after
 * the first service line's qualifier; null when the text does not start so.
 */
export function headerlessDelimiters(head: string): Delimiters | null {
  const text = head.replace(/^\uFEFF|^\xEF\xBB\xBF/, '').replace(/^\s+/, '');
  const st = /^ST([^A-Za-z0-9\s])835\1[A-Za-z0-9]*([^A-Za-z0-9\s])\s*BPR\1/.exec(text);
  if (!st) return null;
  const element = st[1]!;
  const segment = st[2]!;
  if (segment === element) return null;
  const svc = new RegExp(`${escapeRegExp(segment)}\\s*SVC${escapeRegExp(element)}[A-Z]{2}([^A-Za-z0-9\\s])`).exec(text);
  const component = svc && svc[1] !== element && svc[1] !== segment ? svc[1]! : ':';
  return { element, segment, component, repetition: null };
}

const escapeRegExp = (ch: string) => ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface RemitFileStats {
  file: string;
  bytes: number;
  sha256: string;
  interchanges: number;
  transactions: number;
  /** Transactions that are not 835s (an 837 given as a remittance). */
  transactionsSkipped: number;
  claims: number;
  lines: number;
  issues: IngestIssue[];
  issuesOmitted: number;
}

/** Reads one 835 file, handing each claim to `onClaim` in file order. */
export async function readRemitFile(path: string, displayName: string, options: { onClaim: (claim: RemitClaim) => void; phi?: PhiMode; signal?: AbortSignal; onRead?: (bytes: number) => void }): Promise<RemitFileStats> {
  const phi = options.phi ?? 'masked';
  const stats: RemitFileStats = { file: displayName, bytes: 0, sha256: '', interchanges: 0, transactions: 0, transactionsSkipped: 0, claims: 0, lines: 0, issues: [], issuesOmitted: 0 };
  const addIssue = (issue: Omit<IngestIssue, 'file'>) => {
    if (stats.issues.length >= MAX_ISSUES_PER_FILE) {
      stats.issuesOmitted++;
      return;
    }
    stats.issues.push({ ...issue, file: displayName });
  };
  const reader = new Remit835Reader(displayName, { claim: options.onClaim, issue: ({ excerptEndUnknown: _, ...issue }) => addIssue(issue) });
  const sink = {
    segment: (s: Segment) => reader.segment(s),
    issue: ({ excerptEndUnknown, ...issue }: TokenIssue) => addIssue(issue.value === undefined ? issue : { ...issue, value: guardSegmentSnippet(issue.value, phi, !excerptEndUnknown) }),
  };
  let tokenizer = new X12Tokenizer(sink);
  const hash = createHash('sha256');
  const raw = createReadStream(path, { highWaterMark: READ_CHUNK });
  let first = true;
  let failed = false;
  try {
    const counted = (async function* () {
      for await (const chunk of raw as AsyncIterable<Buffer>) {
        options.signal?.throwIfAborted();
        stats.bytes += chunk.length;
        hash.update(chunk);
        options.onRead?.(chunk.length);
        yield chunk;
      }
    })();
    const decoded: AsyncIterable<Buffer> = path.toLowerCase().endsWith('.gz') ? (Readable.from(counted).pipe(createGunzip()) as unknown as AsyncIterable<Buffer>) : counted;
    for await (const chunk of decoded) {
      if (first) {
        first = false;
        const headerless = headerlessDelimiters(chunk.subarray(0, 65536).toString('latin1'));
        if (headerless) {
          addIssue({ severity: 'warning', code: 'envelope-missing', message: `no ISA/GS envelope: the transaction was read with the delimiters its segments use (elements ${JSON.stringify(headerless.element)}, segments ${JSON.stringify(headerless.segment)}, components ${JSON.stringify(headerless.component)})`, byteOffset: 0 });
          tokenizer = new X12Tokenizer(sink, { headerless });
        } else if (detectFormat(chunk.subarray(0, 4096)) !== 'x12') {
          addIssue({ severity: 'error', code: 'format-unknown', message: 'not an X12 835 remittance (no ISA interchange header)', byteOffset: 0 });
          failed = true;
          break;
        }
      }
      tokenizer.write(chunk);
    }
  } catch (error) {
    if (options.signal?.aborted) throw error;
    failed = true;
    const err = error as NodeJS.ErrnoException;
    addIssue({ severity: 'error', code: err.code === 'ENOENT' ? 'file-missing' : err.code?.startsWith('E') ? 'file-unreadable' : 'gzip-invalid', message: `cannot read the file: ${err.message}`, byteOffset: stats.bytes });
  } finally {
    raw.destroy();
  }
  if (!failed) tokenizer.end();
  reader.end();
  stats.sha256 = failed ? '' : hash.digest('hex');
  stats.interchanges = tokenizer.counts.interchanges;
  stats.transactions = reader.counts.transactions;
  stats.transactionsSkipped = reader.counts.transactionsSkipped;
  stats.claims = reader.counts.claims;
  stats.lines = reader.counts.lines;
  return stats;
}


/** The 835 files, folders and globs given, read in order: every claim, each file's stats, the problems finding them. */
export async function readRemittances(inputs: readonly string[], cwd: string, options: { phi?: PhiMode; signal?: AbortSignal } = {}): Promise<{ claims: RemitClaim[]; files: RemitFileStats[]; issues: IngestIssue[] }> {
  const { files, issues } = await resolveInputs(inputs, cwd);
  const claims: RemitClaim[] = [];
  const stats: RemitFileStats[] = [];
  for (const file of files) stats.push(await readRemitFile(file.path, file.display, { onClaim: (c) => claims.push(c), ...(options.phi ? { phi: options.phi } : {}), ...(options.signal ? { signal: options.signal } : {}) }));
  return { claims, files: stats, issues };
}
