// What every CMS file kind shares: reading cells, counting rejected rows with their reasons,
// finding the header row, and the descriptor a kind is (reference/cms/<kind>.ts): how it is
// recognised by its header (never by its name) and how its rows are read.
import { HCPCS_CODE } from '../../model/index.js';
import { quarterOf } from '../quarters.js';
import type { CmsFile, CmsFileKind, FileReport, NotUsedReason, PackInputs } from './types.js';

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
  readonly kinds: readonly CmsFileKind[];
  /** How the kind is named in the note of a file no kind recognises. */
  readonly name: string;
  detect(rows: string[][], title: string): number;
  parse(rows: string[][], at: number, title: string, report: FileReport): CmsFile;
  /**
   * What the pack builder takes of a file of its kind into the inputs it builds codes from (a
   * second file of one quarter is reported, not used). Absent for the kinds whose rows mean
   * something only joined with other files' (the MCD tables, the SAD lists, the MAC table:
   * reference/build-coverage.ts joins them).
   */
  gather?(file: CmsFile, inputs: PackInputs): void;
}

/** The builder leaves a file out: why (typed, for the code) and in words (for the user). */
export function notUsed(report: FileReport, reason: NotUsedReason, note: string): void {
  report.notUsed = reason;
  report.note = note;
}

/** "Effective January 1, 2026 through March 31, 2026" → 2026Q1 (the first quarter named). */
export function quarterFromTitle(title: string): string | null {
  const effective = /effective\s+(january|february|march|april|may|june|july|august|september|october|november|december)\s+\d{1,2},?\s+(\d{4})/i.exec(title);
  if (effective) return quarterOf(`${effective[2]}-${String(MONTHS.indexOf(effective[1]!.toLowerCase()) + 1).padStart(2, '0')}-01`);
  // Addendum B's web CSV: "… for January 2026" (a release month).
  const month = /\b(january|april|july|october)\s+(\d{4})\b/i.exec(title);
  if (month) return quarterOf(`${month[2]}-${String(MONTHS.indexOf(month[1]!.toLowerCase()) + 1).padStart(2, '0')}-01`);
  return null;
}

/** CCYYMMDD → YYYY-MM-DD (null for empty or malformed). */
export function ymd(value: string | undefined): string | null {
  const text = clean(value);
  return /^\d{8}$/.test(text) ? `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}` : null;
}

/** Counts, and the quarter from the title when the file has one. */
export function finish<F extends Extract<CmsFile, { kind: 'asp-pricing' | 'asp-crosswalk' | 'opps-addendum-b' | 'opps-addendum-b-history' | 'mue' }>>(file: F, rejected: Rejections, title: string): F {
  const rep = file.report;
  rep.rowsUsed = file.rows.length;
  rep.rowsRejected = rejected.count;
  rep.rejected = rejected.counts;
  if (rep.quarter === null && title !== '') {
    const quarter = quarterFromTitle(title);
    if (quarter) {
      rep.quarter = quarter;
      rep.quarterBasis = 'title';
    }
  }
  if (file.kind === 'opps-addendum-b' && rep.quarter !== null) {
    for (const row of file.rows) {
      row.quarter ||= rep.quarter;
      row.label ||= rep.quarter;
      row.source ||= `cms-opps-addb-${rep.quarter}`;
    }
  }
  return file;
}

