// CSV claim exports → Claim records, in file order: a scan decides whether the claims' rows are
// together (grouping.ts), then the file is parsed (encoding and delimiter sniffed from the first
// chunk, sniff.ts), its header mapped to a layout (mapping.ts), each record read into rows
// (rows.ts) and the rows assembled into claims (assemble.ts). A file the scan read plainly is
// parsed by the project's record scanner (records.ts), which reads such files exactly as
// csv-parse does at several times its speed; anything else (a stray quote, an overlong line,
// UTF-16) by csv-parse, whose recovery is reported record by record.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { parse, type CsvError, type Info } from 'csv-parse';
import { ClaimAssembler, reportCellIssues } from './assemble.js';
import { DATE_SAMPLE, DATE_SAMPLE_CELLS, decideDateOrders } from './date-orders.js';
import { planGrouping, Regrouper } from './grouping.js';
import { CsvScanner, Irregular, type ScanShape } from './records.js';
import { cutLongLines, MAX_LINE_BYTES } from './long-lines.js';
import { mapColumns, type ColumnMap } from './mapping.js';
import { RowReader, type CellIssue } from './rows.js';
import { describeDelimiter, sniffDelimiter, sniffEncoding, type Encoding } from './sniff.js';
import type { CsvReadOptions, CsvResult, CsvSink } from './types.js';

export type { CsvIssue, CsvReadOptions, CsvReport, CsvResult, CsvSink, SkippedClaim } from './types.js';

/** A record (quoted newlines joining lines) larger than this is an error, not memory. */
const MAX_RECORD_BYTES = 8 * 1024 * 1024;

/**
 * Reads a CSV export, handing over its claims once each, in file order. `source` is the file from
 * its first byte (read to its end here, for its checksum); `reopen` reads it again, with
 * progress (the reading that parses it) or without (a scan).
 */
export async function readCsv(source: AsyncIterable<Buffer>, reopen: (progress: boolean) => AsyncIterable<Buffer>, sink: CsvSink, options: CsvReadOptions): Promise<CsvResult> {
  const iterator = source[Symbol.asyncIterator]();
  // The scan may stop early; the reading goes on to the end below.
  const unclosable: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => ({ next: () => iterator.next() }) };
  let plan: { mode: 'stream' | 'regroup'; regular: boolean } = { mode: 'stream', regular: false };
  const first = await iterator.next();
  if (!first.done && first.value.length > 0) {
    const sniffed = sniffEncoding(first.value);
    if (!sniffed.problem) {
      const rest = (async function* () {
        yield first.value;
        yield* unclosable;
      })();
      const delimiter = sniffDelimiter(first.value.toString(sniffed.encoding).replace(/^\uFEFF/, ''));
      plan = await planGrouping(rest, () => reopen(false), {
        encoding: sniffed.encoding,
        delimiter,
        profile: options.profile,
        phi: options.phi ?? 'masked',
        maxLineBytes: MAX_LINE_BYTES,
        maxRecordBytes: MAX_RECORD_BYTES,
        sizeHint: options.sizeHint,
      });
    }
  }
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) void next;
  return await pass(reopen(true), sink, options, plan.mode, plan.regular);
}

async function pass(
  source: AsyncIterable<Buffer>,
  sink: CsvSink,
  options: CsvReadOptions,
  mode: 'stream' | 'regroup',
  /** The scan read the file plainly: our scanner reads it as csv-parse would, faster. */
  regular: boolean,
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
  let stop = () => {};
  let records: AsyncIterable<RawRecord[]>;
  if (regular && sniffed.encoding !== 'utf16le' && options.parser !== 'csv-parse') {
    records = scanRecords(rest, { encoding: sniffed.encoding, delimiter, maxLineBytes: MAX_LINE_BYTES, maxRecordBytes: MAX_RECORD_BYTES });
  } else {
    const parser = parse({
      ...csvParseOptions(delimiter, sniffed.encoding, MAX_RECORD_BYTES),
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
    stop = () => input.destroy();
    records = (async function* () {
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) yield [{ record, row: info.records, end: info.bytes, line: info.lines }];
    })();
  }

  let headers: string[] | null = null;
  let map: ColumnMap | null = null;
  let reader: RowReader | null = null;
  const sample: Array<{ record: string[]; row: number; byteOffset: number }> = [];
  let sampleCells = 0;

  let regroup: { dir: string; rows: Regrouper } | null = null;
  let claims: ClaimAssembler | null = null;
  let apart = false;
  const cellIssues: CellIssue[] = [];

  const handle = (record: string[], row: number, byteOffset: number) => {
    result.report.rows.read++;
    if (record.length === headers!.length + 1 && record[record.length - 1] === '') {
      record.pop();
      result.report.trailingDelimiter = true;
    } else if (record.length > headers!.length && record.slice(headers!.length).some((v) => v.trim() !== '')) {
      sink.issue({ severity: 'warning', code: 'csv-extra-fields', message: `${record.length} fields for ${headers!.length} columns: the extra fields are ignored`, row, byteOffset });
    }
    const { rows, rejected } = reader!.read(record, row, byteOffset, cellIssues);
    reportCellIssues(cellIssues, sink, row, byteOffset);
    if (rejected !== null) {
      result.report.rows.rejected++;
      sink.issue({ severity: 'error', code: 'csv-row-rejected', message: rejected, row, column: headers![map!.columns.claim_id!], value: record.slice(0, 4).join(delimiter).slice(0, 80), byteOffset });
      return;
    }
    result.report.rows.used++;
    claims!.add(rows);
  };

  const dateOrders = () => {
    const decided = decideDateOrders(RowReader.dateColumns(map!), headers!, sample, options.profile?.dateOrder);
    result.report.dateOrders = decided.reported;
    for (const issue of decided.issues) sink.issue(issue);
    return decided.orders;
  };

  try {
    for await (const batch of records)
    for (const { record, row, end, line } of batch) {
      const byteOffset = lastBytes;
      lastBytes = end;
      lastLine = line;
      if (headers === null) {
        headers = record.map((h) => h.trim());
        const mapped = mapColumns(headers, options.profile, options.phi ?? 'masked');
        if (!mapped.ok) {
          result.report.layout = mapped.layout;
          sink.issue({ severity: 'error', code: mapped.refused ? 'csv-layout-refused' : 'csv-layout-unknown', message: mapped.message, row: 1, byteOffset: 0 });
          stop();
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
        claims = new ClaimAssembler(map, file, result, sink, regroup?.rows ?? null);
        continue;
      }
      if (reader === null) {
        sample.push({ record, row, byteOffset });
        sampleCells += record.length;
        // Held whole until the orders are decided: a sample of so many cells at most (a file of
        // 100,000 columns decides from its first few rows, not from a gigabyte of held cells).
        if (sample.length < DATE_SAMPLE && sampleCells < DATE_SAMPLE_CELLS) continue;
        reader = new RowReader(map!, headers, dateOrders());
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
      reader = new RowReader(map, headers, dateOrders());
      for (const s of sample.splice(0)) handle(s.record, s.row, s.byteOffset);
    }
    apart = claims?.finish() ?? false;
  } catch (error) {
    if (!(error instanceof Irregular)) throw error;
    // Read plainly by the scan, otherwise now: the file changed between the two readings.
    sink.issue({ severity: 'error', code: 'csv-changed-while-read', message: `the file changed while it was read (${error.why} at byte ${error.byteOffset}, where the first reading found none): the rest of the file is not read; audit it again once it is complete`, byteOffset: error.byteOffset });
  } finally {
    stop();
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

/** What csv-parse is asked (the project's scanner reads plain files as csv-parse does with these; the tests compare them). */
export function csvParseOptions(delimiter: string, encoding: Encoding, maxRecordBytes: number) {
  return {
    delimiter,
    encoding,
    bom: true,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: maxRecordBytes,
  } as const;
}

/** A record with its number (the header is 1), the file byte after it and (csv-parse only) its last line. */
interface RawRecord {
  record: string[];
  row: number;
  end: number;
  line: number;
}

/** A regular file's records by the project's scanner (records.ts), a chunk's records at a time. */
async function* scanRecords(chunks: AsyncIterable<Buffer>, shape: ScanShape): AsyncGenerator<RawRecord[]> {
  let batch: RawRecord[] = [];
  let fields: string[] = [];
  const scanner = new CsvScanner(shape, {
    want: null,
    field: (_record, _field, text) => {
      fields.push(text);
    },
    record: (record, end) => {
      batch.push({ record: fields, row: record + 1, end, line: 0 });
      fields = [];
    },
  });
  for await (const chunk of chunks) {
    scanner.write(chunk);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  scanner.end();
  if (batch.length > 0) yield batch;
}
