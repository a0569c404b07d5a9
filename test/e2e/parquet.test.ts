// findings.parquet and worklist.parquet read back by DuckDB: the CSVs' rows and values, with
// money as DECIMAL(18,2), dates as DATE, counts as integers and ids as strings.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { FINDINGS_COLUMNS, WORKLIST_COLUMNS, type ColumnKind } from '../../src/report/columns.js';
import { outputFiles, REPORT_FORMATS } from '../../src/report/write.js';
import { readParquet, type ParquetTable } from '../support/parquet.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const DUCKDB_TYPE: Record<ColumnKind, string> = { integer: 'INTEGER', number: 'DOUBLE', money: 'DECIMAL(18,2)', date: 'DATE', text: 'VARCHAR' };

let out: string;
const csv = (name: string) => parse(readFileSync(join(out, name), 'utf8'), { columns: true }) as Record<string, string>[];

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'claim-audit-parquet-'));
  await runCli(['samples', '--out', out, '--format', REPORT_FORMATS.join(','), '--fail-on', 'none'], { stdout: () => {}, stderr: () => {}, cwd: root });
}, 60_000);

/** A Parquet value as the CSV writes it: a decimal to the cent, a date as YYYY-MM-DD, null as empty. */
function asCsv(kind: ColumnKind, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (kind === 'money') return Number(value).toFixed(2);
  return String(value);
}

function sameAsCsv(table: ParquetTable, rows: Record<string, string>[], columns: readonly { name: string; kind: ColumnKind }[]) {
  expect(table.rows).toHaveLength(rows.length);
  rows.forEach((row, i) => {
    for (const column of columns) expect(asCsv(column.kind, table.rows[i]![column.name]), `${column.name}, row ${i + 1}`).toBe(row[column.name]);
  });
}

describe('--format with every format', () => {
  it('writes every file of the registry', () => {
    expect(readdirSync(out).sort()).toEqual(outputFiles(REPORT_FORMATS).sort());
  });
});

describe.each([
  ['findings', FINDINGS_COLUMNS],
  ['worklist', WORKLIST_COLUMNS],
] as const)('%s.parquet read by DuckDB', (name, columns) => {
  it('declares each column with its type, in the CSV\'s order', async () => {
    const table = await readParquet(join(out, `${name}.parquet`));
    expect(Object.keys(table.types)).toEqual(columns.map((c) => c.name));
    for (const column of columns) expect(table.types[column.name], column.name).toBe(DUCKDB_TYPE[column.kind]);
    // The kinds the issue names are there: money, dates, ids as text.
    expect(table.types['rank']).toBe('INTEGER');
    expect(table.types['service_date']).toBe('DATE');
    expect(table.types['claim_id']).toBe('VARCHAR');
    expect(table.types['billing_npi']).toBe('VARCHAR');
  });

  it('holds the CSV\'s rows, value for value', async () => {
    const rows = csv(`${name}.csv`);
    expect(rows.length).toBeGreaterThan(20);
    sameAsCsv(await readParquet(join(out, `${name}.parquet`)), rows, columns);
  });
});

describe('money and dates computed by a data tool', () => {
  it('sums findings.parquet\'s dollars_at_risk (a line once) to the cent, as the summary totals them', async () => {
    const table = await readParquet(join(out, 'findings.parquet'));
    const cents = table.rows.reduce((sum, r) => sum + Math.round(Number(r['dollars_at_risk'] ?? 0) * 100), 0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { findingTotals: { dollarsAtRisk: number } };
    expect(cents / 100).toBeCloseTo(summary.findingTotals.dollarsAtRisk, 2);
  });

  it('an empty run writes the tables with their columns and no rows', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'claim-audit-parquet-empty-'));
    await runCli(['samples/837p-medicaid-commercial-advantage.edi', '--out', empty, '--format', 'parquet', '--codes', 'J0000', '--fail-on', 'none'], { stdout: () => {}, stderr: () => {}, cwd: root });
    const table = await readParquet(join(empty, 'findings.parquet'));
    expect(table.rows).toHaveLength(0);
    expect(table.types['dollars_at_risk']).toBe('DECIMAL(18,2)');
  });
});
