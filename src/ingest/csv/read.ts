// CSV claim exports → Claim records, streamed: encoding and delimiter sniffed from the first
// chunk, records parsed by csv-parse, rows grouped into claims as they arrive. Every layout we
// know keeps a claim's rows together; a file that does not is read again through a bounded
// spill (rows hashed by claim id into temporary bucket files, one bucket in memory at a time).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { parse, type CsvError, type Info } from 'csv-parse';
import type { Claim } from '../../model/index.js';
import { buildClaim } from './claims.js';
import type { PhiMode } from '../../model/phi.js';
import { mapColumns, type ColumnMap, type CsvProfile } from './mapping.js';
import { dateOrderEvidence, type DateOrder } from './normalise.js';
import { RowReader, type CanonicalRow, type CellIssue } from './rows.js';
import { planGrouping, Regrouper } from './grouping.js';
import { describeDelimiter, sniffDelimiter, sniffEncoding } from './sniff.js';

export interface CsvIssue {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  row?: number;
  column?: string;
  byteOffset?: number;
  value?: string;
}

export interface CsvSink {
  claim(claim: Claim): void;
  issue(issue: CsvIssue): void;
}

export interface SkippedClaim {
  claimId: string;
  reason: string;
  row: number;
  byteOffset: number;
}

/** What summary.json says of a CSV input. */
export interface CsvReport {
  layout: string | null;
  title: string | null;
  encoding: string;
  delimiter: string;
  columns: Record<string, string | string[]>;
  unmappedColumns: string[];
  /** Facts the layout cannot carry (their rules are not checked), with why. */
  unavailable: Record<string, string>;
  dateOrders: Record<string, DateOrder>;
  rows: { read: number; used: number; rejected: number; superseded: number };
  /** contiguous: claims streamed as read; spilled: regrouped on disk (rows of a claim were apart, or the file could not be scanned plainly). */
  grouping: 'contiguous' | 'spilled';
  chargeBasis: { line: number; claimRepeated: number; none: number };
  trailingDelimiter: boolean;
}

export interface CsvResult {
  claims: { read: number; audited: number; skipped: number; unparseable: number };
  lines: number;
  skippedClaims: SkippedClaim[];
  unparseableClaims: Array<{ claimId: string; reason: string; row: number; byteOffset: number }>;
  report: CsvReport;
}

/** Rows of one claim held at most (837I allows 999 lines): beyond it the claim is unparseable. */
export const MAX_CLAIM_ROWS = 10_000;
/** Records read before deciding each date column's day/month order. */
const DATE_SAMPLE = 1000;
/** A physical line longer than this is cut (csv-parse does not recover from its own limit). */
export const MAX_LINE_BYTES = 1024 * 1024;
/** A record (quoted newlines joining lines) larger than this is an error, not memory. */
const MAX_RECORD_BYTES = 8 * 1024 * 1024;

/**
 * Cuts physical lines longer than MAX_LINE_BYTES, so a line of garbage cannot grow memory or
 * derail the parser; each cut is reported once with its line and byte position.
 */
async function* cutLongLines(chunks: AsyncIterable<Buffer>, onCut: (line: number, byteOffset: number) => void): AsyncGenerator<Buffer> {
  let lineLength = 0;
  let line = 1;
  let offset = 0;
  let cutting = false;
  for await (const chunk of chunks) {
    let start = 0;
    const parts: Buffer[] = [];
    for (;;) {
      const lf = chunk.indexOf(0x0a, start);
      const end = lf === -1 ? chunk.length : lf + 1;
      const piece = end - start;
      if (!cutting && lineLength + piece > MAX_LINE_BYTES && (lf === -1 || lineLength + piece - 1 > MAX_LINE_BYTES)) {
        const keep = MAX_LINE_BYTES - lineLength;
        parts.push(chunk.subarray(start, start + keep));
        onCut(line, offset + start + keep);
        cutting = true;
      } else if (!cutting) parts.push(chunk.subarray(start, end));
      if (lf === -1) {
        lineLength += piece;
        break;
      }
      if (cutting) parts.push(Buffer.from('\n'));
      cutting = false;
      lineLength = 0;
      line++;
      start = end;
      if (start >= chunk.length) break;
    }
    offset += chunk.length;
    yield parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }
}

export interface CsvReadOptions {
  file: string;
  profile: CsvProfile | null;
  /** The file's size on disk, for sizing the spill. */
  sizeHint: number;
  /** masked: header cells are named only when they are known headers (the row may be data). */
  phi?: PhiMode;
}

/**
 * Reads a CSV export, handing over its claims once each, in file order. `source` is the file from
 * its first byte (read to its end here, for its checksum); `reopen` reads it again, with
 * progress (the reading that parses it) or without (a scan).
 */
export async function readCsv(source: AsyncIterable<Buffer>, reopen: (progress: boolean) => AsyncIterable<Buffer>, sink: CsvSink, options: CsvReadOptions): Promise<CsvResult> {
  const iterator = source[Symbol.asyncIterator]();
  // The scan may stop early; the reading goes on to the end below.
  const unclosable: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => ({ next: () => iterator.next() }) };
  let mode: 'stream' | 'regroup' = 'stream';
  const first = await iterator.next();
  if (!first.done && first.value.length > 0) {
    const sniffed = sniffEncoding(first.value);
    if (!sniffed.problem) {
      const rest = (async function* () {
        yield first.value;
        yield* unclosable;
      })();
      const delimiter = sniffDelimiter(first.value.toString(sniffed.encoding).replace(/^\uFEFF/, ''));
      mode = await planGrouping(rest, () => reopen(false), { encoding: sniffed.encoding, delimiter, profile: options.profile, phi: options.phi ?? 'masked', maxLineBytes: MAX_LINE_BYTES, sizeHint: options.sizeHint });
    }
  }
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) void next;
  return await pass(reopen(true), sink, options, mode);
}

async function pass(
  source: AsyncIterable<Buffer>,
  sink: CsvSink,
  options: CsvReadOptions,
  mode: 'stream' | 'regroup',
): Promise<CsvResult> {
  const result: CsvResult = {
    claims: { read: 0, audited: 0, skipped: 0, unparseable: 0 },
    lines: 0,
    skippedClaims: [],
    unparseableClaims: [],
    report: {
      layout: null,
      title: null,
      encoding: 'UTF-8',
      delimiter: 'comma',
      columns: {},
      unmappedColumns: [],
      unavailable: {},
      dateOrders: {},
      rows: { read: 0, used: 0, rejected: 0, superseded: 0 },
      grouping: mode === 'regroup' ? 'spilled' : 'contiguous',
      chargeBasis: { line: 0, claimRepeated: 0, none: 0 },
      trailingDelimiter: false,
    },
  };
  const { file } = options;
  const iterator = source[Symbol.asyncIterator]();
  const firstChunk = await iterator.next();
  if (firstChunk.done || firstChunk.value.length === 0) {
    sink.issue({ severity: 'error', code: 'empty-input', message: 'the file is empty', byteOffset: 0 });
    return result;
  }
  const head = firstChunk.value;
  const sniffed = sniffEncoding(head);
  result.report.encoding = sniffed.label;
  if (sniffed.problem) {
    sink.issue({ severity: 'error', code: 'csv-encoding-unsupported', message: sniffed.problem, byteOffset: 0 });
    return result;
  }
  if (sniffed.encoding === 'latin1') {
    sink.issue({ severity: 'warning', code: 'csv-encoding-assumed', message: 'not valid UTF-8: read as Latin-1 (Windows exports); accented names may differ', byteOffset: 0 });
  }
  const delimiter = sniffDelimiter(head.toString(sniffed.encoding).replace(/^\uFEFF/, ''));
  result.report.delimiter = describeDelimiter(delimiter);

  const rest = (async function* () {
    yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  })();

  let lastLine = 0;
  let lastBytes = 0;
  const parser = parse({
    delimiter,
    encoding: sniffed.encoding,
    bom: true,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_BYTES,
    on_skip: (error: CsvError | undefined) => {
      if (!error) return;
      result.report.rows.rejected++;
      const line = lastLine + 1;
      sink.issue({
        severity: 'error',
        code: 'csv-record-invalid',
        message: `the record starting on line ${line} cannot be read: ${error.message.replace(/^[^:]*: /, '')}${error.code === 'CSV_QUOTE_NOT_CLOSED' ? ' (a quote opened here is never closed, so the rest of the file is one field)' : ''}`,
        byteOffset: lastBytes,
      });
    },
  });
  const input = Readable.from(
    cutLongLines(rest, (line, byteOffset) => {
      sink.issue({ severity: 'error', code: 'csv-line-too-long', message: `line ${line} is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB: it is cut there, and the rest of the line is not read`, byteOffset });
    }),
  );
  pipeline(input, parser, () => {});

  let headers: string[] | null = null;
  let map: ColumnMap | null = null;
  let reader: RowReader | null = null;
  const sample: Array<{ record: string[]; row: number; byteOffset: number }> = [];

  // Grouping as rows come (stream) or on disk (regroup).
  let group: CanonicalRow[] = [];
  let groupId: string | null = null;
  let groupOverflow = 0;
  let regroup: { dir: string; rows: Regrouper } | null = null;
  let apart = false;

  const cellIssues: CellIssue[] = [];
  const flushCellIssues = (row: number, byteOffset: number) => {
    for (const issue of cellIssues) {
      sink.issue({ severity: 'warning', code: 'csv-value-invalid', message: `${issue.column}: ${issue.message}`, row, column: issue.column, value: issue.value.slice(0, 80), byteOffset });
    }
    cellIssues.length = 0;
  };

  const closeGroup = () => {
    if (groupId === null || !map) return;
    const rows = group;
    group = [];
    groupId = null;
    emitClaim(rows, groupOverflow);
    groupOverflow = 0;
  };

  const emitClaim = (rows: CanonicalRow[], overflow: number) => {
    const first = rows[0]!;
    result.claims.read++;
    if (overflow > 0) {
      result.claims.unparseable++;
      const reason = `claim ${JSON.stringify(first.claimId)} has more than ${MAX_CLAIM_ROWS.toLocaleString('en-US')} rows (${overflow} more): not audited`;
      result.unparseableClaims.push({ claimId: first.claimId, reason, row: first.row, byteOffset: first.byteOffset });
      sink.issue({ severity: 'error', code: 'claim-unparseable', message: reason, row: first.row, byteOffset: first.byteOffset });
      return;
    }
    const built = buildClaim(rows, map!, file, cellIssues);
    flushCellIssues(first.row, first.byteOffset);
    if (built.kind === 'skipped') {
      result.claims.skipped++;
      result.skippedClaims.push({ claimId: built.claimId, reason: built.reason, row: built.row, byteOffset: built.byteOffset });
      return;
    }
    result.claims.audited++;
    result.lines += built.claim.lines.length;
    result.report.rows.superseded += built.superseded;
    result.report.chargeBasis[built.chargeBasis === 'claim-repeated' ? 'claimRepeated' : built.chargeBasis]++;
    sink.claim(built.claim);
  };

  const addRows = (rows: CanonicalRow[]) => {
    for (const row of rows) {
      if (regroup) {
        regroup.rows.add(row);
        continue;
      }
      if (row.claimId !== groupId) {
        closeGroup();
        groupId = row.claimId;
      }
      if (group.length < MAX_CLAIM_ROWS) group.push(row);
      else groupOverflow++;
    }
  };

  const handle = (record: string[], row: number, byteOffset: number) => {
    result.report.rows.read++;
    if (record.length === headers!.length + 1 && record[record.length - 1] === '') {
      record.pop();
      result.report.trailingDelimiter = true;
    } else if (record.length > headers!.length && record.slice(headers!.length).some((v) => v.trim() !== '')) {
      sink.issue({ severity: 'warning', code: 'csv-extra-fields', message: `${record.length} fields for ${headers!.length} columns: the extra fields are ignored`, row, byteOffset });
    }
    const { rows, rejected } = reader!.read(record, row, byteOffset, cellIssues);
    flushCellIssues(row, byteOffset);
    if (rejected !== null) {
      result.report.rows.rejected++;
      sink.issue({ severity: 'error', code: 'csv-row-rejected', message: rejected, row, column: headers![map!.columns.claim_id!], value: record.slice(0, 4).join(delimiter).slice(0, 80), byteOffset });
      return;
    }
    result.report.rows.used++;
    addRows(rows);
  };

  const decideDateOrders = () => {
    const orders = new Map<number, DateOrder>();
    const forced = options.profile?.dateOrder;
    for (const column of RowReader.dateColumns(map!)) {
      let evidence: DateOrder | null = null;
      let conflict = false;
      let ambiguous = false;
      for (const { record } of sample) {
        const value = record[column] ?? '';
        const says = dateOrderEvidence(value);
        if (says !== null) {
          if (evidence !== null && evidence !== says) conflict = true;
          evidence ??= says;
        } else if (/^\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}/.test(value)) ambiguous = true;
      }
      const order = forced ?? evidence ?? 'MDY';
      orders.set(column, order);
      const name = headers![column]!;
      if (evidence !== null || ambiguous) result.report.dateOrders[name] = order;
      if (conflict) sink.issue({ severity: 'warning', code: 'csv-date-order-mixed', message: `${name}: some dates are day-first and some month-first; read as ${order === 'MDY' ? 'month-first' : 'day-first'} where a value allows both`, column: name });
      else if (!forced && evidence === null && ambiguous) {
        sink.issue({ severity: 'warning', code: 'csv-date-order-assumed', message: `${name}: no date in the first ${DATE_SAMPLE.toLocaleString('en-US')} rows tells day from month; read month-first (US), e.g. 03/04/2025 is March 4 (a mapping file's dateOrder changes it)`, column: name });
      }
    }
    return orders;
  };

  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      const row = info.records;
      const byteOffset = lastBytes;
      lastBytes = info.bytes;
      lastLine = info.lines;
      if (headers === null) {
        headers = record.map((h) => h.trim());
        const mapped = mapColumns(headers, options.profile, options.phi ?? 'masked');
        if (!mapped.ok) {
          result.report.layout = mapped.layout;
          sink.issue({ severity: 'error', code: mapped.refused ? 'csv-layout-refused' : 'csv-layout-unknown', message: mapped.message, row: 1, byteOffset: 0 });
          input.destroy();
          return result;
        }
        map = mapped.map;
        result.report.layout = map.layout.name;
        result.report.title = map.layout.title;
        result.report.columns = map.described;
        result.report.unmappedColumns = map.unmapped;
        result.report.unavailable = { ...map.unavailable } as Record<string, string>;
        if (mode === 'regroup') {
          const dir = await mkdtemp(join(tmpdir(), 'claim-audit-regroup-'));
          regroup = { dir, rows: new Regrouper(dir, options.sizeHint) };
        }
        continue;
      }
      if (reader === null) {
        sample.push({ record, row, byteOffset });
        if (sample.length < DATE_SAMPLE) continue;
        reader = new RowReader(map!, headers, decideDateOrders());
        for (const s of sample.splice(0)) handle(s.record, s.row, s.byteOffset);
        continue;
      }
      handle(record, row, byteOffset);
    }
    if (headers === null) {
      sink.issue({ severity: 'error', code: 'csv-no-header', message: 'no header row: nothing to map', byteOffset: 0 });
      return result;
    }
    if (reader === null && map !== null) {
      reader = new RowReader(map, headers, decideDateOrders());
      for (const s of sample.splice(0)) handle(s.record, s.row, s.byteOffset);
    }
    if (regroup) apart = regroup.rows.drain((rows) => emitClaim(rows.slice(0, MAX_CLAIM_ROWS), Math.max(0, rows.length - MAX_CLAIM_ROWS)));
    else closeGroup();
  } finally {
    input.destroy();
    if (regroup) {
      regroup.rows.close();
      await rm(regroup.dir, { recursive: true, force: true });
    }
  }
  if (apart) {
    sink.issue({
      severity: 'warning',
      code: 'csv-claims-not-contiguous',
      message: `the rows of some claims are not next to each other: the file was regrouped through ${regroup?.rows.bucketCount ?? 0} temporary bucket file(s), and its claims are reported in file order (each at its first row)`,
      byteOffset: 0,
    });
  }
  return result;
}
