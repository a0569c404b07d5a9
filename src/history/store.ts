// Run history (--history DIR): each run with history is kept as a folder named by its start time
// and a short hash, written once under a temporary name and renamed into place, never rewritten:
//   run.json        the run: id, start and end, the run it was compared with, inputs, counts
//   findings.ndjson tonight's findings, with their status and firstSeen
//   ended.ndjson    the open findings of earlier runs that ended tonight (resolved or voided)
//   audited.ndjson  the claims it audited, each with its line keys
//   drug-lines.ndjson each audited drug line (code, date, units, modifiers, charge, its findings' ids):
//                   what remittances are matched to
//   outcomes.ndjson with --remits: the remittances read with the run, matched to the history's lines
//   open.ndjson     the open worklist after the run: tonight's findings and those carried from
//                   earlier runs whose claims were not in tonight's input
//   report.html     the night's report, as it was written (when the run wrote one)
// A later run compares itself with one of these (--since), reading only that run's open.ndjson.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, WorkNote } from '../model/index.js';
import { TextWriter } from '../store/ndjson.js';
import type { TrendPoint } from './trend-point.js';

/** An open finding as the history keeps it: enough to match it tonight and to list it in a report. */
export interface OpenEntry {
  id: string;
  /** The billing NPI and CLM01 of its claim (rules/lineage.ts lineageKey). */
  claimKey: string;
  lineKey: string;
  ruleId: string;
  claimId: string;
  lineNumber: number;
  billingNpi: string | null;
  payerClass: Finding['payerClass'];
  payerName: string | null;
  code: string | null;
  serviceDate: string | null;
  severity: Finding['severity'];
  owner: Finding['owner'];
  message: string;
  dollarsAtRisk: number;
  dollarCategory: Finding['dollarCategory'];
  /** A hash of what may change while the finding stays the same one (units, dollars, message): updated when it differs. */
  content: string;
  firstSeen: { run: string; date: string };
  /** The run that last reported it. */
  lastSeen: { run: string; date: string };
  sourceFile: string;
  /** What the worklist shows of its line (absent in histories written before it was kept). */
  line?: CarriedLine;
  /** The team's work on it (--worklist-notes), kept from night to night and in the ended list. */
  work?: WorkNote;
}

/** The line's facts a worklist row shows, kept so a line carried from an earlier run is shown whole. */
export type CarriedLine = Pick<Finding, 'modifiers' | 'units' | 'ndc' | 'billedCharge' | 'expectedPayment' | 'dollarBasis' | 'denial' | 'billingName' | 'memberId' | 'setting' | 'remediation' | 'sourceRef'>;

export type EndedEntry = OpenEntry & { status: 'resolved' | 'voided'; endedIn: string };

export interface RunRecord {
  id: string;
  startedAt: string;
  finishedAt: string;
  /** The local date the run is filed under (firstSeen dates). */
  date: string;
  /** The run it was compared with, or null (the first run). */
  since: string | null;
  inputs: Array<{ file: string; sha256: string }>;
  counts: Record<string, { findings: number; dollars: number }>;
  /** The night as the trends show it (runs recorded before it was kept: absent, rebuilt from their files). */
  trend?: TrendPoint;
}

/** The run folder name: start time (UTC, sortable) and a short hash of the start and inputs. */
export function runId(startedAt: Date, inputs: ReadonlyArray<{ sha256: string }>, taken: ReadonlySet<string> = new Set()): string {
  const stamp = startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  // Two runs of the same inputs in the same second (a script, a retry) get two folders: the second hash counts the runs before it.
  for (let n = 0; ; n++) {
    const hash = createHash('sha256').update(startedAt.toISOString());
    for (const i of inputs) hash.update(i.sha256);
    if (n > 0) hash.update(String(n));
    const id = `${stamp}-${hash.digest('hex').slice(0, 6)}`;
    if (!taken.has(id)) return id;
  }
}

const RUN_NAME = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/;

/** The runs kept, oldest first. */
export function listRuns(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && RUN_NAME.test(d.name) && existsSync(join(dir, d.name, 'run.json')))
    .map((d) => d.name)
    .sort();
}

export function readRun(dir: string, id: string): RunRecord {
  return JSON.parse(readFileSync(join(dir, id, 'run.json'), 'utf8')) as RunRecord;
}

/** Thrown for a --since that names no run: a configuration error. */
export class HistoryError extends Error {}

/**
 * The run to compare with: `last` (the newest), a run id, or a date (the newest run filed on or
 * before it). Null when the history holds no such run yet (the first night: everything is new),
 * except for a run id or date that matches nothing, which is an error.
 */
export function pickBase(dir: string, since: string): string | null {
  const runs = listRuns(dir);
  if (since === 'last') return runs.at(-1) ?? null;
  if (RUN_NAME.test(since)) {
    if (!runs.includes(since)) throw new HistoryError(`--since ${since}: no such run in ${dir}`);
    return since;
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(since)) {
    const found = [...runs].reverse().find((id) => readRun(dir, id).date <= since);
    if (!found) throw new HistoryError(`--since ${since}: no run in ${dir} on or before that date`);
    return found;
  }
  throw new HistoryError(`--since expects last, a run id (like 20261202T020000Z-1a2b3c) or a date (YYYY-MM-DD); got ${JSON.stringify(since)}`);
}

function* readLines(path: string): Generator<string> {
  if (!existsSync(path)) return;
  for (const line of readFileSync(path, 'utf8').split('\n')) if (line !== '') yield line;
}

/** A run's open worklist, by finding id. */
export function readOpen(dir: string, id: string): Map<string, OpenEntry> {
  const open = new Map<string, OpenEntry>();
  for (const line of readLines(join(dir, id, 'open.ndjson'))) {
    const entry = JSON.parse(line) as OpenEntry;
    open.set(entry.id, entry);
  }
  return open;
}

/** What a run writes to its folder. */
export interface RunFiles {
  record: RunRecord;
  /** Tonight's findings.ndjson as the reports have it (null: none written). */
  findings: string | null;
  /** Tonight's report.html, kept with the run so any night's report can be opened again (null: none written). */
  report?: string | null;
  ended: Iterable<EndedEntry>;
  /** audited.ndjson, already written (moved into the run's folder). */
  audited: string;
  /** drug-lines.ndjson (each audited drug line, for matching remittances), already written. */
  drugLines?: string;
  /** outcomes.ndjson: the remittances read with the run (--remits), matched to the history's lines. */
  outcomes?: Iterable<unknown>;
  open: Iterable<OpenEntry>;
}

/**
 * Writes the run's folder whole under a temporary name; the audit renames it into place with the
 * reports, in one commit (output/atomic.ts), so that a reader sees the whole run or none of it.
 */
export function stageRun(dir: string, files: RunFiles): { temp: string; target: string } {
  mkdirSync(dir, { recursive: true });
  const final = join(dir, files.record.id);
  const temp = join(dir, `.${files.record.id}.tmp`);
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp);
  try {
    const write = (name: string, lines: Iterable<string>) => {
      const out = new TextWriter(join(temp, name));
      try {
        for (const line of lines) out.write(`${line}\n`);
      } finally {
        out.close();
      }
    };
    if (files.findings !== null && existsSync(files.findings)) copyFileSync(files.findings, join(temp, 'findings.ndjson'));
    else write('findings.ndjson', []);
    if (files.report && existsSync(files.report)) copyFileSync(files.report, join(temp, 'report.html'));
    write('ended.ndjson', map(files.ended, (e) => JSON.stringify(e)));
    renameSync(files.audited, join(temp, 'audited.ndjson'));
    if (files.drugLines && existsSync(files.drugLines)) renameSync(files.drugLines, join(temp, 'drug-lines.ndjson'));
    if (files.outcomes) write('outcomes.ndjson', map(files.outcomes, (o) => JSON.stringify(o)));
    write('open.ndjson', map(files.open, (e) => JSON.stringify(e)));
    // run.json last: a folder without it is not a run.
    write('run.json', [JSON.stringify(files.record, null, 2)]);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  return { temp, target: final };
}

/** Keeps the newest `keep` runs (all when null). */
export function pruneRuns(dir: string, keep: number | null): void {
  if (keep === null) return;
  const runs = listRuns(dir);
  for (const old of runs.slice(0, Math.max(0, runs.length - keep))) rmSync(join(dir, old), { recursive: true, force: true });
}

function* map<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}

/** Temporary run folders and files a killed run left behind (runs hold the output folder's lock, so none is another's); how many. */
export function removeStaleRuns(dir: string): number {
  if (!existsSync(dir)) return 0;
  let removed = 0;
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (!/^\..*\.tmp$/.test(d.name)) continue;
    rmSync(join(dir, d.name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}
