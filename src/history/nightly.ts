// A run with history, from the audit's side: the run it is compared with, tonight's statuses as
// the ranked findings go by, the claims tonight audited (read back from lines.ndjson), and the
// run's folder written beside the reports, under the same lock.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, WorkNote } from '../model/index.js';
import { lineageKey, type LineageEntry } from '../rules/lineage.js';
import { readLineBytes, TextWriter } from '../store/ndjson.js';
import { ENDED_STATUSES, FINDING_STATUSES, lineDollarsOnce, StatusTracker } from './status.js';
import { listRuns, pickBase, pruneRuns, readOpen, removeStaleRuns, runId, stageRun, type OpenEntry, type RunFiles, type RunRecord } from './store.js';
import type { Suppressor } from '../suppressions/suppressions.js';
import type { AuditedDrugLine, LineOutcome } from './remits.js';
import { readTrends, type AgingBucket, type Amount, type TrendPoint } from './trends.js';

/** An open or ended finding of the history, as the reports list it. */
export type HistoryItem = Pick<OpenEntry, 'id' | 'ruleId' | 'claimId' | 'lineNumber' | 'code' | 'serviceDate' | 'severity' | 'owner' | 'message' | 'dollarsAtRisk' | 'dollarCategory' | 'firstSeen' | 'lastSeen' | 'sourceFile'> & { status?: 'resolved' | 'voided' };

export interface HistoryView {
  /** This run's id (its folder in the history). */
  run: string;
  /** The run compared with, or null on the first night. */
  since: string | null;
  /** Tonight's findings by status, and the earlier findings that ended tonight; dollars summed per finding. */
  byStatus: Record<'new' | 'unchanged' | 'updated' | 'resolved' | 'voided', { findings: number; dollars: number }>;
  /** Open findings of earlier runs whose claims were not in tonight's input: still open. */
  carried: { findings: number; dollars: number; top: HistoryItem[] };
  /** The earlier findings that ended tonight (the first HISTORY_TOP by dollars). */
  ended: HistoryItem[];
}

/** Carried and ended findings listed in the reports (the rest are in the history folder). */
export const HISTORY_TOP = 100;

export interface HistoryOptions {
  dir: string;
  /** last, a run id or a date (pickBase). */
  since: string;
  /** Runs kept (null: all). */
  keep: number | null;
}

export class NightlyRun {
  readonly id: string;
  readonly base: string | null;
  private readonly tracker: StatusTracker;
  private readonly inputs: Array<{ file: string; sha256: string }>;

  constructor(
    private readonly options: HistoryOptions,
    private readonly startedAt: Date,
    private readonly date: string,
    inputs: ReadonlyArray<{ file: string; sha256: string }>,
    lineage: readonly LineageEntry[],
  ) {
    removeStaleRuns(options.dir);
    this.id = runId(startedAt, inputs, new Set(listRuns(options.dir)));
    this.base = pickBase(options.dir, options.since);
    this.inputs = inputs.map(({ file, sha256 }) => ({ file, sha256 }));
    this.tracker = new StatusTracker(this.base === null ? new Map() : readOpen(options.dir, this.base), { id: this.id, date }, lineage);
  }

  /** Writes the settled run's folder, with tonight's findings.ndjson as the reports have it. */
  /** The run's folder, written whole under a temporary name, for the audit to commit with the reports. */
  stage(findingsFile: string | null, reportFile: string | null = null): { temp: string; target: string } {
    if (this.pending === null) throw new Error('stage() before settle()');
    return stageRun(this.options.dir, { ...this.pending, findings: findingsFile, report: reportFile, ...(this.outcomes.length > 0 ? { outcomes: this.outcomes } : {}) });
  }

  /** After the commit: the newest --keep-runs runs kept. */
  prune(): void {
    pruneRuns(this.options.dir, this.options.keep);
  }

  /** The status stage, each ranked finding as it goes by: suppressed ones leave the worklist as they are, the others come back with their status and first night. */
  see(f: Finding): Finding {
    if (f.suppression) {
      this.tracker.suppressed(f);
      return f;
    }
    return this.tracker.classify(f);
  }

  private pending: Omit<RunFiles, 'findings'> | null = null;

  /**
   * After the findings: the claims tonight audited (from lines.ndjson), what ended and what is
   * carried; the view's part. stage() writes the run's folder for the audit to commit with the reports.
   */
  /**
   * After settle() and the worklist: tonight's point of the trends (kept in the run's record) and
   * the nights before it, oldest first.
   */
  trend(open: { lines: number; dollars: number; byStatus: Record<'new', Amount> | null; aging: Record<AgingBucket, Amount> | null }, owners: ReadonlyArray<{ owner: string; lines: number; dollars: number }>): TrendPoint[] {
    if (this.pending === null) throw new Error('trend() before settle()');
    const c = this.pending.record.counts;
    const point: TrendPoint = {
      run: this.id,
      date: this.date,
      open: { lines: open.lines, dollars: open.dollars },
      new: open.byStatus?.new ?? { lines: 0, dollars: 0 },
      resolved: { findings: (c.resolved?.findings ?? 0) + (c.voided?.findings ?? 0), dollars: Math.round(((c.resolved?.dollars ?? 0) + (c.voided?.dollars ?? 0)) * 100) / 100 },
      aging: open.aging,
      owners: Object.fromEntries(owners.map((q) => [q.owner, { lines: q.lines, dollars: q.dollars }])),
    };
    this.pending = { ...this.pending, record: { ...this.pending.record, trend: point } };
    return [...readTrends(this.options.dir).filter((p) => p.run !== this.id), point];
  }

  /** Carried findings suppressed, by entry key. */
  readonly suppressedCarried = new Map<string, number>();

  /** After settle(): the open findings of earlier runs still open (claims not in tonight's input, not suppressed), for the worklist. */
  carried: OpenEntry[] = [];

  private notes: ReadonlyMap<string, WorkNote> = new Map();
  private outcomes: readonly LineOutcome[] = [];

  /** The remittances read with the run (--remits), matched to the history's lines: kept in the run's outcomes.ndjson. */
  keepOutcomes(outcomes: readonly LineOutcome[]): void {
    this.outcomes = outcomes;
  }

  /**
   * The team's notes by finding id: those kept in the history (the run compared with), then
   * those read from an edited worklist (`edited`, which win). Kept with the findings' entries in
   * open.ndjson and ended.ndjson, so a note outlives its finding.
   */
  useNotes(edited: ReadonlyMap<string, WorkNote>): ReadonlyMap<string, WorkNote> {
    const notes = new Map<string, WorkNote>();
    for (const entry of this.tracker.baseEntries()) if (entry.work) notes.set(entry.id, entry.work);
    for (const [id, note] of edited) notes.set(id, note);
    this.notes = notes;
    return notes;
  }

  settle(linesFile: string | null, finishedAt: Date, suppressor: Suppressor | null = null): HistoryView {
    const wanted = this.tracker.baseClaims();
    const audited = new Set<string>();
    // Each claim audited, with its line keys, written as lines.ndjson is read (a claim's lines are together).
    mkdirSync(this.options.dir, { recursive: true });
    const auditedFile = join(this.options.dir, `.${this.id}.audited.tmp`);
    // Each audited drug line, as the remittances are matched to (history/remits.ts).
    const drugLinesFile = join(this.options.dir, `.${this.id}.drug-lines.tmp`);
    const out = new TextWriter(auditedFile);
    const drug = new TextWriter(drugLinesFile);
    try {
      let claim: string | null = null;
      let lines: string[] = [];
      const flush = () => {
        if (claim !== null) out.write(`${JSON.stringify({ claim, lines })}\n`);
      };
      if (linesFile !== null && existsSync(linesFile)) {
        for (const bytes of readLineBytes(linesFile)) {
          const l = JSON.parse(bytes.toString('utf8')) as { billingNpi: string | null; claimId: string; lineKey: string; lineNumber: number; hcpcs: string | null; modifiers: string[]; units: number | null; charge: number | null; serviceDate: string | null; payerName: string | null; payerClass: string; findingIds: string[] };
          const key = lineageKey(l);
          if (wanted.has(key)) audited.add(key);
          if (key !== claim) {
            flush();
            claim = key;
            lines = [];
          }
          lines.push(l.lineKey);
          const record: AuditedDrugLine = { claimKey: key, claimId: l.claimId, billingNpi: l.billingNpi, lineKey: l.lineKey, lineNumber: l.lineNumber, code: l.hcpcs, modifiers: l.modifiers, units: l.units, charge: l.charge, serviceDate: l.serviceDate, payerName: l.payerName, payerClass: l.payerClass, findingIds: l.findingIds };
          drug.write(`${JSON.stringify(record)}\n`);
        }
      }
      flush();
    } finally {
      out.close();
      drug.close();
    }
    const { ended, carried: open0, open } = this.tracker.finish(audited);
    // Carried findings a suppression entry now matches leave the worklist too (they stay in the
    // history's open set, to come back when the entry expires).
    const carried = suppressor === null ? open0 : open0.filter((e) => {
      const entry = suppressor.match(e);
      if (entry) this.suppressedCarried.set(entry.key, (this.suppressedCarried.get(entry.key) ?? 0) + 1);
      return entry === null;
    });
    const counts = Object.fromEntries(
      [...FINDING_STATUSES, ...ENDED_STATUSES].map((s) => {
        const t = this.tracker.counts.get(s) ?? { findings: 0, cents: 0 };
        return [s, { findings: t.findings, dollars: t.cents / 100 }];
      }),
    ) as HistoryView['byStatus'];
    const record: RunRecord = { id: this.id, startedAt: this.startedAt.toISOString(), finishedAt: finishedAt.toISOString(), date: this.date, since: this.base, inputs: this.inputs, counts };
    this.carried = carried;
    const noted = <T extends OpenEntry>(e: T): T => {
      const work = this.notes.get(e.id);
      if (!work) return e;
      // A row the team cleared clears the note.
      if (work.assignee === null && work.status === null && work.note === null) {
        const { work: _cleared, ...rest } = e;
        return rest as T;
      }
      return { ...e, work };
    };
    this.pending = { record, ended: ended.map(noted), audited: auditedFile, drugLines: drugLinesFile, open: open.map(noted) };
    const byDollars = (a: OpenEntry, b: OpenEntry) => b.dollarsAtRisk - a.dollarsAtRisk || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    // A line once, at its largest open amount, as the headline counts tonight's.
    const carriedCents = lineDollarsOnce(carried).reduce((n, d) => n + Math.round(d * 100), 0);
    return {
      run: this.id,
      since: this.base,
      byStatus: counts,
      carried: { findings: carried.length, dollars: carriedCents / 100, top: [...carried].sort(byDollars).slice(0, HISTORY_TOP).map(item) },
      ended: [...ended].sort(byDollars).slice(0, HISTORY_TOP).map((e) => ({ ...item(e), status: e.status })),
    };
  }
}

const item = (e: OpenEntry): HistoryItem => ({
  id: e.id,
  ruleId: e.ruleId,
  claimId: e.claimId,
  lineNumber: e.lineNumber,
  code: e.code,
  serviceDate: e.serviceDate,
  severity: e.severity,
  owner: e.owner,
  message: e.message,
  dollarsAtRisk: e.dollarsAtRisk,
  dollarCategory: e.dollarCategory,
  firstSeen: e.firstSeen,
  lastSeen: e.lastSeen,
  sourceFile: e.sourceFile,
});
