// Parquet files read back by an independent reader: DuckDB (its Node package ships its binary in
// npm; a devDependency). Tests use it to check what a data tool sees: the column types and values.
import { DuckDBInstance } from '@duckdb/node-api';

export interface ParquetTable {
  /** Column name → DuckDB's type name (DECIMAL(18,2), DATE, INTEGER, DOUBLE, VARCHAR…). */
  types: Record<string, string>;
  /** The rows as JSON values (decimals and dates as strings). */
  rows: Record<string, unknown>[];
}

const quote = (path: string) => `'${path.replaceAll("'", "''")}'`;

export async function readParquet(path: string): Promise<ParquetTable> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${quote(path)})`);
    const types = Object.fromEntries(described.getRowObjectsJson().map((r) => [String(r['column_name']), String(r['column_type'])]));
    const read = await connection.runAndReadAll(`SELECT * FROM read_parquet(${quote(path)})`);
    return { types, rows: read.getRowObjectsJson() };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Every value of the file as text, for scans. */
export async function parquetText(path: string): Promise<string> {
  return JSON.stringify((await readParquet(path)).rows);
}
