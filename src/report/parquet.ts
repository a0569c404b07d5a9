// worklist.parquet and findings.parquet: the CSVs' columns (columns.ts), typed for data tools.
// Money is DECIMAL(18,2) in US dollars (exact cents, the unit in the file's metadata), dates are
// DATE, counts INT32, units and NDC quantities DOUBLE, the rest UTF-8 strings; a missing value
// is null. Written in row groups as the rows come, so a large worklist is never held whole.
// hyparquet-writer is a maintained pure-JavaScript writer: no native build.
import { fileWriter, ParquetWriter, type SchemaElement } from 'hyparquet-writer';
import { Breather } from '../store/ndjson.js';
import { FINDINGS_COLUMNS, WORKLIST_COLUMNS, type Column, type ColumnKind } from './columns.js';

/** Rows a row group: small enough to hold, large enough to compress. */
const ROW_GROUP = 10_000;

const SCHEMA: Record<ColumnKind, Omit<SchemaElement, 'name'>> = {
  integer: { type: 'INT32', repetition_type: 'OPTIONAL' },
  number: { type: 'DOUBLE', repetition_type: 'OPTIONAL' },
  money: { type: 'INT64', converted_type: 'DECIMAL', precision: 18, scale: 2, repetition_type: 'OPTIONAL' },
  date: { type: 'INT32', converted_type: 'DATE', repetition_type: 'OPTIONAL' },
  text: { type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
};

/** A value as the column's Parquet type takes it: cents as a bigint, a date as a UTC Date. */
function typed(kind: ColumnKind, value: string | number | null): string | number | bigint | Date | null {
  if (value === null) return null;
  switch (kind) {
    case 'money':
      return BigInt(Math.round(Number(value) * 100));
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(String(value)) ? new Date(`${value}T00:00:00Z`) : null;
    case 'integer':
    case 'number':
      return typeof value === 'number' ? value : Number(value);
    case 'text':
      return String(value);
  }
}

const TABLES = { findings: FINDINGS_COLUMNS, worklist: WORKLIST_COLUMNS } as const;

/** Writes one table's rows to `path`, a row group at a time. */
export async function writeParquet<T extends keyof typeof TABLES>(path: string, table: T, rows: Iterable<Parameters<(typeof TABLES)[T][number]['value']>[0]>, signal?: AbortSignal): Promise<void> {
  const columns = TABLES[table] as readonly Column<unknown>[];
  const schema: SchemaElement[] = [{ name: 'root', num_children: columns.length }, ...columns.map((c) => ({ name: c.name, ...SCHEMA[c.kind] }) as SchemaElement)];
  const writer = new ParquetWriter({
    writer: fileWriter(path),
    schema,
    // The unit of the money columns, and where the columns are described.
    kvMetadata: [
      { key: 'claim-audit.table', value: table },
      { key: 'claim-audit.money', value: `${columns.filter((c) => c.kind === 'money').map((c) => c.name).join(',')}: US dollars, DECIMAL(18,2)` },
    ],
    createdBy: 'claim-audit',
  });
  const data: unknown[][] = columns.map(() => []);
  let count = 0;
  let written = 0;
  const flush = () => {
    writer.write({ columnData: columns.map((c, i) => ({ name: c.name, data: data[i]! as never })), rowGroupSize: ROW_GROUP });
    written += count;
    for (const column of data) column.length = 0;
    count = 0;
  };
  const breath = new Breather(signal);
  for (const row of rows) {
    if (breath.due()) await breath.turn();
    columns.forEach((c, i) => data[i]!.push(typed(c.kind, c.value(row))));
    if (++count === ROW_GROUP) flush();
  }
  // An empty table still has its schema (and one empty row group none: no rows at all).
  if (count > 0 || written === 0) flush();
  writer.finish();
}
