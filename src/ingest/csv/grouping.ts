// Whether a CSV export keeps each claim's rows together, decided before any claim is handed
// over, and the regrouping in file order when it does not. Every layout we know keeps a claim's
// rows together, so the reader streams claims as it parses them; this module's light scan (the
// record scanner of records.ts, decoding the header and the claim id column only) reads the file
// first and says whether it may. A file whose claims are apart, or that the scan cannot read
// plainly (a quote out of place, a line over the limit), is regrouped on disk: rows hashed by claim id into
// bucket files, each bucket's claims gathered, and the claims handed over sorted by their first
// row. Either way claims reach the caller once each, in file order.
import { join } from 'node:path';
import type { PhiMode } from '../../model/phi.js';
import { bucketOf, ExternalSorter, NdjsonWriter, readNdjson } from '../../store/ndjson.js';
import { SeenIds } from '../../store/seen.js';
import { mapColumns, type CsvProfile } from './mapping.js';
import { isBlank } from './normalise.js';
import type { CanonicalRow } from './rows.js';
import type { Encoding } from './sniff.js';
import { CsvScanner, Irregular } from './records.js';

/** Suspects kept for the exact check; past this many the file is regrouped at once. */
const MAX_SUSPECTS = 100_000;

export interface ScanLayout {
  encoding: Encoding;
  delimiter: string;
  profile: CsvProfile | null;
  phi: PhiMode;
  /** Physical lines longer than this are cut by the reader: the scan cannot speak for them. */
  maxLineBytes: number;
  /** Records longer than this are rejected by csv-parse: the scan cannot speak for them either. */
  maxRecordBytes: number;
  /** The file's size, for sizing the filter. */
  sizeHint: number;
}

/** The scan could not read the file plainly: regroup, to be safe. */
class Unsure extends Error {}

/** A claim id as the reader takes it from its cell (null: the row is rejected). */
const claimIdOf = (cell: string) => (isBlank(cell) ? null : cell.trim());

/**
 * Walks a reading of the file, giving each data record's claim id (null: none) in order. False
 * when the header maps to no layout. Throws Irregular where csv-parse would read the file
 * otherwise than plainly (records.ts).
 */
async function walkIds(source: AsyncIterable<Buffer>, layout: ScanLayout, onId: (id: string | null) => void): Promise<boolean> {
  const headers: string[] = [];
  let idColumn: number | null | undefined;
  const utf16 = layout.encoding === 'utf16le' ? new TextDecoder('utf-16le') : null;
  const scanner = new CsvScanner(
    {
      // UTF-16 is scanned as the UTF-8 of its text (quotes, delimiters and line ends are the same
      // characters), its lines measured in UTF-8 bytes: a third of the limit is safe for any text.
      encoding: utf16 ? 'utf8' : layout.encoding,
      delimiter: layout.delimiter,
      maxLineBytes: utf16 ? Math.floor(layout.maxLineBytes / 3) : layout.maxLineBytes,
      maxRecordBytes: utf16 ? Math.floor(layout.maxRecordBytes / 3) : layout.maxRecordBytes,
    },
    {
      want: (record, field) => record === 0 || field === idColumn,
      field: (record, field, text) => {
        if (record === 0) headers[field] = text.trim();
        else onId(claimIdOf(text));
      },
      record: (record) => {
        if (record !== 0) return;
        // The header is complete: the claim id's column, from the same mapping the reader uses.
        const mapped = mapColumns(headers, layout.profile, layout.phi);
        idColumn = mapped.ok ? (mapped.map.columns.claim_id ?? null) : null;
      },
    },
  );
  for await (const chunk of source) {
    scanner.write(utf16 ? Buffer.from(utf16.decode(chunk, { stream: true }), 'utf8') : chunk);
    if (idColumn === null) return false;
  }
  if (utf16) scanner.write(Buffer.from(utf16.decode(), 'utf8'));
  scanner.end();
  return idColumn !== null;
}

/**
 * Reads the file once (the scan) and says how its claims can be read: 'stream' when every
 * claim's rows are together (or the header maps to no layout: the reader says why), 'regroup'
 * when some are apart or the scan cannot tell; and whether the scan read it to its end with
 * nothing csv-parse would read otherwise (then the project's scanner may parse it). `reopen`
 * reads the file again for the exact check of ids the filter flagged.
 */
export async function planGrouping(source: AsyncIterable<Buffer>, reopen: () => AsyncIterable<Buffer>, layout: ScanLayout): Promise<{ mode: 'stream' | 'regroup'; regular: boolean }> {
  const seen = new SeenIds(Math.ceil(layout.sizeHint / 250));
  const suspects = new Set<string>();
  let previous: string | null = null;
  let regular = false;
  try {
    const mapped = await walkIds(source, layout, (id) => {
      if (id === null || id === previous) return;
      if (previous !== null) seen.add(previous);
      // A claim id met again after other claims (or a false alarm of the filter): checked below.
      if (seen.has(id)) {
        suspects.add(id);
        if (suspects.size > MAX_SUSPECTS) throw new Unsure();
      }
      previous = id;
    });
    regular = mapped && layout.encoding !== 'utf16le';
    if (!mapped || suspects.size === 0) return { mode: 'stream', regular };
    // The exact check: each suspect's rows form one run, or the file is regrouped.
    const runs = new Map<string, number>();
    previous = null;
    await walkIds(reopen(), layout, (id) => {
      if (id === null || id === previous) return;
      previous = id;
      if (!suspects.has(id)) return;
      const n = (runs.get(id) ?? 0) + 1;
      runs.set(id, n);
      if (n > 1) throw new Unsure();
    });
    return { mode: 'stream', regular };
  } catch (error) {
    if (error instanceof Unsure || error instanceof Irregular) return { mode: 'regroup', regular };
    throw error;
  }
}

/** Regrouping buckets of about this many bytes of CSV each. */
const BUCKET_BYTES = 8 * 1024 * 1024;

/**
 * Rows regrouped by claim on disk, then handed over claim by claim in file order (by the first
 * row of each claim), with whether any claim's rows were in fact apart.
 */
export class Regrouper {
  private readonly buckets: Array<NdjsonWriter<CanonicalRow>>;

  constructor(
    private readonly dir: string,
    sizeHint: number,
  ) {
    const count = Math.max(1, Math.min(512, Math.ceil(sizeHint / BUCKET_BYTES)));
    this.buckets = Array.from({ length: count }, (_, i) => new NdjsonWriter<CanonicalRow>(join(dir, `bucket-${i}.ndjson`), { flushBytes: 1 << 16 }));
  }

  get bucketCount(): number {
    return this.buckets.length;
  }

  add(row: CanonicalRow): void {
    this.buckets[bucketOf(row.claimId, this.buckets.length)]!.writeRecord(row);
  }

  /** Each claim's rows (in input order), claims in the order of their first rows; true when some claim's rows were apart. */
  drain(emit: (rows: CanonicalRow[]) => void): boolean {
    this.close();
    const claims = new ExternalSorter<CanonicalRow[]>((a, b) => a[0]!.row - b[0]!.row, (n) => join(this.dir, `claims-${n}.ndjson`), 1_000);
    for (const bucket of this.buckets) {
      const byId = new Map<string, CanonicalRow[]>();
      for (const row of readNdjson<CanonicalRow>(bucket.path)) {
        const rows = byId.get(row.claimId);
        if (rows) rows.push(row);
        else byId.set(row.claimId, [row]);
      }
      for (const rows of byId.values()) claims.add(rows);
    }
    // In first-row order, a claim whose first row comes before an earlier claim's last is apart.
    let lastRow = 0;
    let apart = false;
    for (const rows of claims.sorted()) {
      if (rows[0]!.row < lastRow) apart = true;
      lastRow = Math.max(lastRow, rows[rows.length - 1]!.row);
      emit(rows);
    }
    return apart;
  }

  close(): void {
    for (const bucket of this.buckets) bucket.close();
  }
}
