// User-supplied CMS files: the MUE table (practitioner, outpatient hospital or DME) and the
// ASP NDC–HCPCS crosswalk. Title and copyright lines before the table are skipped; the header
// row is found by its column names. Bad rows are counted and the first few reported.
import { readBoundedFile } from '../model/files.js';
import { parse } from 'csv-parse/sync';
import { HCPCS_CODE } from '../model/index.js';
import { normaliseNdc } from '../model/ndc.js';
import { PackError } from './pack.js';
import type { Mue } from './schema.js';
import { readCmsFile } from './cms-files.js';

export interface MueTable {
  file: string;
  /** practitioner, outpatient-hospital, dme or unknown, from the value column's name. */
  kind: string;
  entries: Map<string, Mue>;
  rowsRejected: number;
  problems: string[];
}

export interface CrosswalkEntry {
  ndc: string;
  labeler: string | null;
  drugName: string | null;
  billUnitsPerPackage: number | null;
}

export interface Crosswalk {
  file: string;
  byCode: Map<string, Map<string, CrosswalkEntry>>;
  rowsRejected: number;
  problems: string[];
}

function readRows(path: string, what: string): string[][] {
  try {
    return parse(readBoundedFile(path, what), { relax_column_count: true, relax_quotes: true, bom: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (error) {
    throw new PackError(`${what} ${path}: cannot read as CSV: ${(error as Error).message}`);
  }
}

/** The first row (of 50) where each pattern matches a different cell: a title row naming the columns is not a header. */
function findHeader(rows: string[][], required: RegExp[]): number {
  return rows.findIndex((row, i) => {
    if (i >= 50) return false;
    const cells = required.map((pattern) => row.findIndex((cell) => pattern.test(cell)));
    return cells.every((c) => c !== -1) && new Set(cells).size === cells.length;
  });
}

const column = (header: string[], pattern: RegExp) => header.findIndex((cell) => pattern.test(cell));

/** A CMS MUE table given with --mue: read as pack build reads one (reference/cms-files.ts), named by its setting. */
export function loadMue(path: string): MueTable {
  const file = readCmsFile(path);
  if (file.kind === 'unknown' && file.report.lookedLike === 'mue') return { file: path, kind: 'unknown', entries: new Map(), rowsRejected: 0, problems: [file.report.note!] };
  if (file.kind !== 'mue') throw new PackError(`MUE file ${path}: not an MUE table (${file.report.note ?? file.kind}); it needs a header with "HCPCS/CPT Code" and "… MUE Values" columns in its first 40 rows`);
  const table: MueTable = { file: path, kind: file.setting, entries: new Map(), rowsRejected: file.report.rowsRejected, problems: Object.entries(file.report.rejected).map(([why, n]) => `${n} ${n === 1 ? 'row' : 'rows'}: ${why}`) };
  for (const row of file.rows) table.entries.set(row.hcpcs, { setting: file.setting, from: file.report.date ?? null, value: row.value, mai: row.mai, rationale: row.rationale, source: `mue:${file.setting}` });
  if (table.entries.size === 0) throw new PackError(`MUE file ${path}: no usable rows (${table.problems[0] ?? 'empty table'})`);
  return table;
}

export function loadCrosswalk(path: string): Crosswalk {
  const rows = readRows(path, 'NDC crosswalk');
  const at = findHeader(rows, [/hcpcs|^_?\d{4}_code$/i, /ndc/i]);
  if (at === -1) throw new PackError(`NDC crosswalk ${path}: no header row with HCPCS and NDC columns in the first 50 rows`);
  const header = rows[at]!;
  const codeCol = column(header, /^(hcpcs( code)?|_?\d{4}_code)$/i) === -1 ? column(header, /hcpcs|_code$/i) : column(header, /^(hcpcs( code)?|_?\d{4}_code)$/i);
  const ndcCol = column(header, /^ndc2?$/i) === -1 ? column(header, /ndc/i) : column(header, /^ndc2?$/i);
  const labelerCol = column(header, /labeler/i);
  const drugCol = column(header, /drug name/i);
  const unitsCol = column(header, /^billunitspkg$|bill units per (pkg|package)/i);
  const crosswalk: Crosswalk = { file: path, byCode: new Map(), rowsRejected: 0, problems: [] };
  rows.slice(at + 1).forEach((row, i) => {
    const line = at + i + 2;
    const code = (row[codeCol] ?? '').toUpperCase();
    const ndc = normaliseNdc(row[ndcCol]);
    if (!HCPCS_CODE.test(code) || !ndc.ok) {
      crosswalk.rowsRejected++;
      if (crosswalk.problems.length < 5) crosswalk.problems.push(`row ${line}: HCPCS ${JSON.stringify(row[codeCol] ?? '')}, NDC ${JSON.stringify(row[ndcCol] ?? '')}${ndc.ok ? '' : ` (${ndc.reason})`}`);
      return;
    }
    const units = unitsCol === -1 ? NaN : Number(row[unitsCol]);
    const entries = crosswalk.byCode.get(code) ?? new Map<string, CrosswalkEntry>();
    entries.set(ndc.ndc, { ndc: ndc.ndc, labeler: labelerCol === -1 ? null : row[labelerCol] || null, drugName: drugCol === -1 ? null : row[drugCol] || null, billUnitsPerPackage: Number.isFinite(units) ? units : null });
    crosswalk.byCode.set(code, entries);
  });
  if (crosswalk.byCode.size === 0) throw new PackError(`NDC crosswalk ${path}: no usable rows (${crosswalk.problems[0] ?? 'empty table'})`);
  return crosswalk;
}
