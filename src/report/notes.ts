// The team's work-tracking columns read back from a worklist it edited: worklist.csv, or the
// Worklist sheet (and the owner queue sheets) of findings.xlsx, saved by Excel, LibreOffice or
// anything else that keeps the header row. Each row's assignee, work status and note are keyed by
// its finding ids (the finding_ids column), so they find their line again the next night whatever
// its rank. A row with the three cells empty clears what was there.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { WORK_STATUSES, type WorkNote, type WorkStatus } from '../model/index.js';
import { WORKLIST_COLUMNS } from './columns.js';

/** A worklist file that could not be read as one: one line, the file named. */
export class NotesError extends Error {}

/** The most a notes file may be (a worklist of a million rows is well under it). */
const MAX_NOTES_BYTES = 512 * 1024 * 1024;

/** The columns read, by CSV name and by the workbook's title. */
const WANTED = ['finding_ids', 'assignee', 'work_status', 'note'] as const;
const TITLES = new Map(WORKLIST_COLUMNS.filter((c) => (WANTED as readonly string[]).includes(c.name)).map((c) => [c.title.toLowerCase(), c.name]));

/** Text as typed: the apostrophe the reports put before formula-like text taken off, blanks as none. */
function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  let text = typeof value === 'object' && value !== null && 'text' in value ? String((value as { text: unknown }).text) : typeof value === 'object' && value !== null && 'richText' in value ? (value as { richText: Array<{ text: string }> }).richText.map((r) => r.text).join('') : String(value);
  if (/^'[ ]*[=+\-@\t\r]/.test(text)) text = text.slice(1);
  text = text.trim();
  return text === '' ? null : text;
}

/** A work status as typed, in any case, with or without its apostrophe ("wont fix", "Won't Fix"). */
export function workStatusOf(text: string | null): WorkStatus | null | undefined {
  if (text === null) return null;
  const plain = text.toLowerCase().replace(/[’`]/g, "'").replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim();
  const found = WORK_STATUSES.find((s) => s === plain || s.replace("'", '') === plain);
  return found ?? undefined;
}

export interface NotesRead {
  notes: Map<string, WorkNote>;
  /** Rows whose work status is none of WORK_STATUSES (kept as a note), at most a few named. */
  problems: string[];
}

const BLANK: WorkNote = Object.freeze({ assignee: null, status: null, note: null });

/** One row's cells: its note under each of its finding ids (`blankKeeps`: an empty row leaves a note read before as it is). */
function take(read: NotesRead, where: string, cells: Partial<Record<(typeof WANTED)[number], unknown>>, blankKeeps = false): void {
  const ids = cellText(cells.finding_ids)?.split(/[\s,;]+/).filter((id) => /^[0-9a-f]{16}$/.test(id)) ?? [];
  if (ids.length === 0) return;
  const statusText = cellText(cells.work_status);
  let status = workStatusOf(statusText);
  let note = cellText(cells.note);
  if (status === undefined) {
    if (read.problems.length < 5) read.problems.push(`${where}: work status ${JSON.stringify(statusText)} is not one of ${WORK_STATUSES.join(', ')}; kept in the note`);
    note = note === null ? `[${statusText}]` : `[${statusText}] ${note}`;
    status = null;
  }
  const assignee = cellText(cells.assignee);
  const blank = assignee === null && status === null && note === null;
  // Blank rows (most of a worklist) share one value: memory grows with the notes typed, not the rows.
  const work: WorkNote = blank ? BLANK : { assignee, status, note };
  for (const id of ids) if (!(blank && blankKeeps && read.notes.has(id))) read.notes.set(id, work);
}

/** A worklist.csv, streamed (a year's worklist is never held whole). */
async function readCsv(file: string, read: NotesRead): Promise<void> {
  const parser = createReadStream(file).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true }));
  let at: Record<string, number> | null = null;
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      if (at === null) {
        const header = record.map((h) => h.trim().toLowerCase());
        at = Object.fromEntries(WANTED.map((name) => [name, header.indexOf(name)]));
        if (at.finding_ids! < 0) throw new NotesError(`${file}: no finding_ids column: not a worklist.csv`);
        continue;
      }
      const columns = at;
      take(read, `${file}, row ${row}`, Object.fromEntries(WANTED.map((name) => [name, columns[name]! < 0 ? null : record[columns[name]!]])));
    }
  } catch (error) {
    if (error instanceof NotesError) throw error;
    // csv-parse's message may quote the row: only where it is said.
    throw new NotesError(`${file}: not a CSV file that can be read (record ${row + 1})`);
  } finally {
    parser.destroy();
  }
}

async function readXlsx(file: string, read: NotesRead): Promise<void> {
  // exceljs reads what Excel and LibreOffice save (shared strings, styles, rich text).
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(file);
  } catch {
    throw new NotesError(`${file}: not a workbook that can be read (.xlsx)`);
  }
  let sheets = 0;
  // The Worklist sheet first, then the owner queues' sheets, where a queue's own typing (a row not
  // blank) wins over the Worklist's copy of the same line: each line is on both.
  const ordered = [...workbook.worksheets].sort((a, b) => Number(b.name === 'Worklist') - Number(a.name === 'Worklist'));
  ordered.forEach((sheet) => {
    if (sheet.name !== 'Worklist' && !sheet.name.startsWith('Queue ')) return;
    const header = new Map<string, number>();
    sheet.getRow(1).eachCell((cell, col) => {
      const name = TITLES.get(String(cellText(cell.value) ?? '').toLowerCase());
      if (name) header.set(name, col);
    });
    if (!header.has('finding_ids')) return;
    sheets++;
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      take(read, `${file}, sheet ${sheet.name}, row ${n}`, Object.fromEntries(WANTED.map((name) => [name, header.has(name) ? row.getCell(header.get(name)!).value : null])), sheet.name !== 'Worklist');
    });
  });
  if (sheets === 0) throw new NotesError(`${file}: no Worklist sheet with a Finding ids column: not a claim-audit workbook`);
}

/** Notes from a worklist.csv or findings.xlsx the team edited. */
export async function readWorkNotes(file: string): Promise<NotesRead> {
  if (!existsSync(file)) throw new NotesError(`${file}: no such file`);
  const stat = statSync(file);
  if (!stat.isFile()) throw new NotesError(`${file}: not a regular file`);
  if (stat.size > MAX_NOTES_BYTES) throw new NotesError(`${file}: ${stat.size} bytes, more than a worklist can be`);
  const read: NotesRead = { notes: new Map(), problems: [] };
  if (/\.xlsx$/i.test(file)) await readXlsx(file, read);
  else await readCsv(file, read);
  return read;
}

/**
 * The notes files a run reads when --worklist-notes is not given: the output folder's previous
 * worklist.csv (which carries the notes it was written with), and findings.xlsx as well when it
 * was saved after the run that wrote it (the team typed into the workbook). The later-saved file
 * wins where both hold a row.
 */
export function defaultNotesFiles(outDir: string): string[] {
  const csv = join(outDir, 'worklist.csv');
  const xlsx = join(outDir, 'findings.xlsx');
  const files: Array<{ file: string; mtime: number }> = [];
  let finished: number | null = null;
  try {
    const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')) as { manifest?: { run?: { finishedAt?: string } } };
    const at = Date.parse(summary.manifest?.run?.finishedAt ?? '');
    finished = Number.isNaN(at) ? null : at;
  } catch {
    finished = null;
  }
  const edited = (file: string) => existsSync(file) && statSync(file).isFile() && (finished === null || statSync(file).mtimeMs > finished + 2000);
  if (existsSync(csv) && statSync(csv).isFile()) files.push({ file: csv, mtime: statSync(csv).mtimeMs });
  if (edited(xlsx)) files.push({ file: xlsx, mtime: statSync(xlsx).mtimeMs });
  return files.sort((a, b) => a.mtime - b.mtime).map((f) => f.file);
}

/** Notes from files in order, a later file's rows winning. */
export async function readNotesFiles(files: readonly string[]): Promise<NotesRead> {
  const all: NotesRead = { notes: new Map(), problems: [] };
  for (const file of files) {
    const read = await readWorkNotes(file);
    for (const [id, note] of read.notes) all.notes.set(id, note);
    all.problems.push(...read.problems);
  }
  return all;
}
