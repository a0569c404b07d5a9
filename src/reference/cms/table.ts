// What every CMS file kind shares: reading cells, counting rejected rows with their reasons,
// finding the header row, and the descriptor a kind is (reference/cms/<kind>.ts): how it is
// recognised by its header (never by its name) and how its rows are read.
import { HCPCS_CODE } from '../../model/index.js';
import type { CmsFile, FileReport } from './types.js';

export const clean = (cell: string | undefined) => (cell ?? '').replace(/\u00a0/g, ' ').trim();

export const number = (cell: string | undefined): number | null => {
  const text = clean(cell).replace(/[$,]/g, '');
  if (text === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
};

export class Rejections {
  readonly counts: Record<string, number> = {};
  count = 0;
  add(reason: string): void {
    this.counts[reason] = (this.counts[reason] ?? 0) + 1;
    this.count++;
  }
}

/** The first row (of 40) whose cells pass the test (cells compared trimmed, lower case). */
export function headerRow(rows: string[][], test: (cells: string[]) => boolean): number {
  for (let i = 0; i < Math.min(rows.length, 40); i++) if (test(rows[i]!.map((c) => clean(c).toLowerCase()))) return i;
  return -1;
}

/** The column whose lower-case name is one of `names` (the first found), or -1. */
export function columnOf(header: readonly string[], ...names: string[]): number {
  for (const name of names) {
    const at = header.indexOf(name);
    if (at !== -1) return at;
  }
  return -1;
}

/**
 * The data rows after a header: blank rows skipped, each one counted as read, and a row whose
 * code column holds no HCPCS code rejected as such; yields the others with their code.
 */
export function* dataRows(rows: string[][], at: number, codeColumn: number, rep: FileReport, rejected: Rejections): Generator<{ row: string[]; hcpcs: string }> {
  for (const row of rows.slice(at + 1)) {
    if (row.every((c) => clean(c) === '')) continue;
    rep.rowsRead++;
    const hcpcs = clean(row[codeColumn]).toUpperCase();
    if (HCPCS_CODE.test(hcpcs)) yield { row, hcpcs };
    else rejected.add('not a HCPCS code');
  }
}

/** Every non-blank data row after a header, counted as read. */
export function* allRows(rows: string[][], at: number, rep: FileReport): Generator<string[]> {
  for (const row of rows.slice(at + 1)) {
    if (row.every((c) => clean(c) === '')) continue;
    rep.rowsRead++;
    yield row;
  }
}

/** The counts of a file read: rows used, rejected and why. */
export function counted<F extends { report: FileReport }>(file: F, used: number, rejected: Rejections): F {
  file.report.rowsUsed = used;
  file.report.rowsRejected = rejected.count;
  file.report.rejected = rejected.counts;
  return file;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** The first date a text names: "June 20, 2025", "2025-06-20", "06/20/2025"; null when none. */
export function dateIn(text: string): string | null {
  const named = /\b(january|february|march|april|may|june|july|august|september|october|november|december)\s+(\d{1,2}),?\s+(\d{4})\b/i.exec(text);
  if (named) return `${named[3]}-${String(MONTHS.indexOf(named[1]!.toLowerCase()) + 1).padStart(2, '0')}-${named[2]!.padStart(2, '0')}`;
  const iso = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(text);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const us = /\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/.exec(text);
  if (us) return `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}`;
  return null;
}

/** A date cell as YYYY-MM-DD: ISO, US (MM/DD/YYYY) or CCYYMMDD; null otherwise. */
export function dateCell(cell: string | undefined): string | null {
  const text = clean(cell);
  if (/^\d{8}$/.test(text)) return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
  return /^\d{4}-\d{2}-\d{2}/.test(text) || /^\d{1,2}\/\d{1,2}\/\d{4}/.test(text) ? dateIn(text) : null;
}

/**
 * A CMS file kind: recognised by its header (and title lines, where the header alone could be
 * another file's), then read. `detect` gives the header row's index, or -1.
 */
export interface CmsTable {
  /** The kinds it reads (one descriptor may read several tables of one export). */
  readonly kinds: readonly string[];
  /** How the kind is named in the note of a file no kind recognises. */
  readonly name: string;
  detect(rows: string[][], title: string): number;
  parse(rows: string[][], at: number, title: string, report: FileReport): CmsFile;
}
