// The worklist: one row per claim line with findings, the way a revenue-cycle team works. Built
// from the ranked findings as they go by (a line's first finding in the ranking is its top one,
// so rows come out in rank order with a stable tie order): all its findings, most important
// first, the owner queue, its dollars once per category, its status against the last run, and
// the first step to fix it.
import { DOLLAR_CATEGORIES, type DollarCategory, type Finding, type WorkNote } from '../model/index.js';
import { compareFindings, type RankFields } from '../model/order.js';
import type { OpenEntry } from '../history/store.js';
import { findingLineKey, type LineOutcome } from '../history/remits.js';
import { AGING_BUCKETS, agingBucket, type AgingBucket, type Amount } from '../history/trend-point.js';
import { join } from 'node:path';
import { ExternalSorter, readLineBytes, SORT_RUN, TextWriter, type RecordCodec } from '../store/ndjson.js';
import { denialText, isFirm, sourcePosition } from './format.js';

export interface WorklistRow {
  rank: number;
  claimId: string;
  lineNumber: number;
  serviceDate: string | null;
  code: string | null;
  /** The code's short descriptor (the drug). */
  drug: string | null;
  modifiers: string[];
  units: number | null;
  /** The line's NDC (11 digits, as normalised) and charge as billed; what the payer is expected to pay and on what basis (the top finding's). */
  ndc: string | null;
  billedCharge: number | null;
  expectedPayment: number | null;
  dollarBasis: Finding['dollarBasis'];
  /** The top finding's denial: CARC with its group ("CO-16", "(unverified)" where payers' use is not confirmed), RARC. */
  carc: string | null;
  rarc: string | null;
  payerClass: Finding['payerClass'];
  payerName: string | null;
  billingNpi: string | null;
  billingName: string | null;
  memberId: string | null;
  setting: Finding['setting'];
  /** The line's dollars counted once: its largest amount (what the headline adds up). */
  dollars: number;
  /** Its largest amount in each category (0 where it has none). */
  byCategory: Record<DollarCategory, number>;
  /** The categories of its findings with money on them, or none at all (compliance), in DOLLAR_CATEGORIES order. */
  categories: DollarCategory[];
  /** The queue of its top finding, then the others' (each once). */
  owner: Finding['owner'];
  owners: Array<Finding['owner']>;
  severity: Finding['severity'];
  /**
   * new when any finding is, else updated when any is, else unchanged (open since firstSeen);
   * carried: open from an earlier run, its claim not in tonight's input; null without history.
   */
  status: WorklistStatus | null;
  firstSeen: string | null;
  /** The run that last reported its findings and that run's date (tonight's for tonight's rows); null without history. */
  lastSeen: { run: string; date: string } | null;
  /** Days from the night its findings were first seen to this run's (with --history), else null. */
  agingDays: number | null;
  /** Its findings, most important first: rule, title, message. */
  findings: Array<{ id: string; ruleId: string; title: string; severity: Finding['severity']; message: string }>;
  /** The top finding's remediation. */
  firstStep: string | null;
  sourceFile: string;
  sourcePosition: string;
  /** The line's key within its claim (REF*6R, else code, date, waste flag, occurrence): what remittances are matched by. */
  lineKey: string;
  /** What the payer did with the line, from a remittance matched to it (835), or null. */
  payer: { outcome: LineOutcome['outcome']; date: string | null; carcs: string[]; rarcs: string[]; adjusted: number; paid: number } | null;
  /** The team's work on the line (the work-tracking columns), carried by finding id from an edited worklist or the history. */
  assignee: string | null;
  workStatus: WorkNote['status'];
  note: string | null;
}

export type WorklistStatus = 'new' | 'updated' | 'unchanged' | 'carried';
export const WORKLIST_STATUSES: readonly WorklistStatus[] = ['new', 'updated', 'unchanged', 'carried'];

const STATUS_ORDER = { new: 0, updated: 1, unchanged: 2, carried: 3 } as const;

/** What a row is made from: a finding of tonight's, or an open finding carried from the history (see carriedRows). */
type RowFinding = Pick<
  Finding,
  'id' | 'ruleId' | 'claimId' | 'lineNumber' | 'lineKey' | 'serviceDate' | 'code' | 'modifiers' | 'units' | 'ndc' | 'billedCharge' | 'expectedPayment' | 'dollarBasis' | 'denial' | 'payerClass' | 'payerName' | 'billingNpi' | 'billingName' | 'memberId' | 'setting' | 'dollarsAtRisk' | 'dollarCategory' | 'owner' | 'severity' | 'firstSeen' | 'remediation' | 'sourceRef' | 'message'
> & { status?: WorklistStatus | undefined };

/** A line's key: its file, claim, line number and position. */
export const lineKeyOf = (f: Pick<Finding, 'sourceRef' | 'claimId' | 'lineNumber'>): string => `${f.sourceRef.file}\u0000${f.sourceRef.byteOffset}\u0000${f.claimId}\u0000${f.lineNumber}`;

type RowText = { titleOf: (ruleId: string) => string; describeCode: (code: string) => string | null; runDate: string | null; runId?: string | null };

/** Whole days from one YYYY-MM-DD to another. */
const daysBetween = (from: string, to: string) => Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000));

/** A line's row from its top finding (its first in the ranking). */
function newRow(f: RowFinding, rank: number, text: RowText): WorklistRow {
  return {
    rank,
    claimId: f.claimId,
    lineNumber: f.lineNumber,
    serviceDate: f.serviceDate,
    code: f.code,
    drug: f.code ? text.describeCode(f.code) : null,
    modifiers: f.modifiers,
    units: f.units,
    ndc: f.ndc,
    billedCharge: f.billedCharge,
    expectedPayment: f.expectedPayment,
    dollarBasis: f.dollarBasis,
    carc: denialText(f.denial, { rarc: false }) || null,
    rarc: f.denial.rarc,
    payerClass: f.payerClass,
    payerName: f.payerName,
    billingNpi: f.billingNpi,
    billingName: f.billingName,
    memberId: f.memberId,
    setting: f.setting,
    dollars: f.dollarsAtRisk,
    byCategory: Object.fromEntries(DOLLAR_CATEGORIES.map((c) => [c, 0])) as Record<DollarCategory, number>,
    categories: [],
    owner: f.owner,
    owners: [],
    severity: f.severity,
    status: f.status ?? null,
    firstSeen: f.firstSeen?.date ?? null,
    lastSeen: text.runId && text.runDate ? { run: text.runId, date: text.runDate } : null,
    agingDays: null,
    findings: [],
    firstStep: f.remediation,
    sourceFile: f.sourceRef.file,
    sourcePosition: sourcePosition(f.sourceRef, { byte: 'parentheses' }),
    lineKey: f.lineKey,
    payer: null,
    assignee: null,
    workStatus: null,
    note: null,
  };
}

/** One more of the line's findings (in rank order, the top one first) added to its row. */
function addToRow(row: WorklistRow, f: RowFinding, text: RowText): void {
  row.byCategory[f.dollarCategory] = Math.max(row.byCategory[f.dollarCategory], f.dollarsAtRisk);
  // A category with money on the row, or compliance (none by nature); a $0 denial does not name one.
  if ((f.dollarsAtRisk > 0 || f.dollarCategory === 'compliance') && !row.categories.includes(f.dollarCategory)) row.categories = DOLLAR_CATEGORIES.filter((c) => c === f.dollarCategory || row.categories.includes(c));
  if (!row.owners.includes(f.owner)) row.owners.push(f.owner);
  if (f.status && (row.status === null || STATUS_ORDER[f.status] < STATUS_ORDER[row.status])) row.status = f.status;
  if (f.firstSeen && (row.firstSeen === null || f.firstSeen.date < row.firstSeen)) row.firstSeen = f.firstSeen.date;
  row.agingDays = row.firstSeen !== null && text.runDate !== null ? daysBetween(row.firstSeen, text.runDate) : null;
  row.findings.push({ id: f.id, ruleId: f.ruleId, title: text.titleOf(f.ruleId), severity: f.severity, message: f.message });
}

/** A row with the ranking fields of its top finding, to merge with tonight's rows in rank order. */
export interface KeyedRow {
  key: RankFields;
  row: WorklistRow;
}

/** An open finding carried from the history, as a finding a row can be made from (a history written before lines were kept shows what it has). */
function carriedFinding(e: OpenEntry): RowFinding {
  const line = e.line;
  return {
    id: e.id,
    ruleId: e.ruleId,
    claimId: e.claimId,
    lineNumber: e.lineNumber,
    lineKey: e.lineKey,
    serviceDate: e.serviceDate,
    code: e.code,
    modifiers: line?.modifiers ?? [],
    units: line?.units ?? null,
    ndc: line?.ndc ?? null,
    billedCharge: line?.billedCharge ?? null,
    expectedPayment: line?.expectedPayment ?? null,
    dollarBasis: line?.dollarBasis ?? 'billed-charge',
    denial: line?.denial ?? { group: null, carc: null, rarc: null, verified: false },
    payerClass: e.payerClass,
    payerName: e.payerName,
    billingNpi: e.billingNpi,
    billingName: line?.billingName ?? null,
    memberId: line?.memberId ?? null,
    setting: line?.setting ?? 'other',
    dollarsAtRisk: e.dollarsAtRisk,
    dollarCategory: e.dollarCategory,
    owner: e.owner,
    severity: e.severity,
    firstSeen: e.firstSeen,
    remediation: line?.remediation ?? null,
    sourceRef: line?.sourceRef ?? { file: e.sourceFile, byteOffset: 0 },
    message: e.message,
    status: 'carried',
  };
}

/**
 * The worklist rows of open findings carried from earlier runs (their claims not in tonight's
 * input): a row a line, its findings most important first, in rank order, each with the ranking
 * fields of its top finding to merge with tonight's rows.
 */
export function carriedRows(entries: readonly OpenEntry[], text: RowText): KeyedRow[] {
  const byLine = new Map<string, Array<{ f: RowFinding; lastSeen: OpenEntry['lastSeen'] }>>();
  for (const e of entries) {
    const line = `${e.claimKey}\u0000${e.lineKey}`;
    const list = byLine.get(line);
    const item = { f: carriedFinding(e), lastSeen: e.lastSeen };
    if (list) list.push(item);
    else byLine.set(line, [item]);
  }
  const keyed: KeyedRow[] = [];
  for (const list of byLine.values()) {
    list.sort((a, b) => compareFindings(a.f, b.f));
    const top = list[0]!.f;
    const row = newRow(top, 0, text);
    for (const { f } of list) addToRow(row, f, text);
    // The latest run that reported any of its findings.
    row.lastSeen = list.reduce<OpenEntry['lastSeen'] | null>((latest, { lastSeen }) => (latest === null || lastSeen.run > latest.run ? lastSeen : latest), null);
    row.status = 'carried';
    keyed.push({ key: top, row });
  }
  return keyed.sort((a, b) => compareFindings(a.key, b.key));
}

/** What the payer did with a row's line, when a remittance was matched to it. */
function applyOutcome(row: WorklistRow, outcomes: ReadonlyMap<string, LineOutcome> | undefined): void {
  if (!outcomes || outcomes.size === 0) return;
  const o = outcomes.get(findingLineKey(row));
  if (o) row.payer = { outcome: o.outcome, date: o.date, carcs: o.carcs, rarcs: o.rarcs, adjusted: o.adjusted, paid: o.paid };
}

/** The team's work on a row: the note of its findings' ids, the top finding's first. */
function applyNote(row: WorklistRow, notes: ReadonlyMap<string, WorkNote> | undefined): void {
  if (!notes || notes.size === 0) return;
  for (const f of row.findings) {
    const note = notes.get(f.id);
    if (!note) continue;
    row.assignee = note.assignee;
    row.workStatus = note.status;
    row.note = note.note;
    return;
  }
}

/** The worklist's totals: every open line once, at its largest amount (the open-dollars headline). */
export interface WorklistTotals {
  lines: number;
  dollars: number;
  /** Lines whose top finding is an error priced at a CMS rate, and the rest (warnings, info, billed-charge-priced lines). */
  firm: number;
  toReview: number;
  /** With history: lines and dollars by row status (tonight's new, changed, unchanged; carried from earlier runs). */
  byStatus: Record<WorklistStatus, { lines: number; dollars: number }> | null;
  /** Each category's dollars over the rows (a row's largest amount in the category), and the rows with money in it. */
  byCategory: Record<DollarCategory, Amount>;
  /** With history: lines and dollars by days since first seen. */
  aging: Record<AgingBucket, Amount> | null;
  /** Findings on the worklist by severity (tonight's not suppressed, and the carried ones): what --fail-on counts. */
  findingsBySeverity: Record<Finding['severity'], number>;
  /** The first row: the line with the most money, and its share of the dollars. */
  largest: { claimId: string; lineNumber: number; ruleId: string; severity: Finding['severity']; dollarBasis: Finding['dollarBasis']; dollars: number; share: number; status: WorklistStatus | null } | null;
}

/** Totals counted row by row. */
class TotalsCounter {
  private lines = 0;
  private cents = 0;
  private firmCents = 0;
  private readonly status = new Map<WorklistStatus, { lines: number; cents: number }>();
  private history = false;
  private readonly severity = { error: 0, warning: 0, info: 0 };
  private readonly aging = new Map<AgingBucket, { lines: number; cents: number }>();
  private readonly categories = DOLLAR_CATEGORIES.map(() => ({ lines: 0, cents: 0 }));

  /** Rows in any order. */
  add(row: WorklistRow): void {
    const cents = Math.round(row.dollars * 100);
    this.lines++;
    this.cents += cents;
    if (isFirm(row)) this.firmCents += cents;
    if (row.status !== null) {
      this.history = true;
      const s = this.status.get(row.status) ?? { lines: 0, cents: 0 };
      s.lines++;
      s.cents += cents;
      this.status.set(row.status, s);
    }
    if (row.agingDays !== null) {
      const bucket = agingBucket(row.agingDays);
      const a = this.aging.get(bucket) ?? { lines: 0, cents: 0 };
      a.lines++;
      a.cents += cents;
      this.aging.set(bucket, a);
    }
    for (const f of row.findings) this.severity[f.severity]++;
    DOLLAR_CATEGORIES.forEach((c, i) => {
      if (!row.categories.includes(c)) return;
      this.categories[i]!.lines++;
      this.categories[i]!.cents += Math.round(row.byCategory[c] * 100);
    });
  }

  /** `first`: the first row in rank order (the largest). */
  totals(f: WorklistRow | null): WorklistTotals {
    return {
      lines: this.lines,
      dollars: this.cents / 100,
      firm: this.firmCents / 100,
      toReview: (this.cents - this.firmCents) / 100,
      byStatus: this.history ? (Object.fromEntries(WORKLIST_STATUSES.map((s) => [s, { lines: this.status.get(s)?.lines ?? 0, dollars: (this.status.get(s)?.cents ?? 0) / 100 }])) as WorklistTotals['byStatus']) : null,
      byCategory: Object.fromEntries(DOLLAR_CATEGORIES.map((c, i) => [c, { lines: this.categories[i]!.lines, dollars: this.categories[i]!.cents / 100 }])) as Record<DollarCategory, Amount>,
      aging: this.history ? (Object.fromEntries(AGING_BUCKETS.map((b) => [b, { lines: this.aging.get(b)?.lines ?? 0, dollars: (this.aging.get(b)?.cents ?? 0) / 100 }])) as Record<AgingBucket, Amount>) : null,
      findingsBySeverity: { ...this.severity },
      largest:
        f === null || this.cents === 0
          ? null
          : { claimId: f.claimId, lineNumber: f.lineNumber, ruleId: f.findings[0]!.ruleId, severity: f.severity, dollarBasis: f.dollarBasis, dollars: f.dollars, share: Math.round((Math.round(f.dollars * 100) / this.cents) * 1000) / 1000, status: f.status },
    };
  }
}

/** Rows from findings in rank order, every row in memory (the tests' views; a run spools them: WorklistSpool). */
export class WorklistBuilder {
  private readonly rows = new Map<string, WorklistRow>();

  constructor(
    readonly titleOf: (ruleId: string) => string,
    readonly describeCode: (code: string) => string | null,
    /** The run's date (with --history), for the rows' aging. */
    readonly runDate: string | null = null,
  ) {}

  /** One finding (not suppressed), in rank order: true when it is its line's first (top) finding. */
  add(f: Finding): boolean {
    const key = lineKeyOf(f);
    let row = this.rows.get(key);
    const first = row === undefined;
    if (!row) this.rows.set(key, (row = newRow(f, this.rows.size + 1, this)));
    addToRow(row, f, this);
    return first;
  }

  /** Every row, ranked. */
  all(): WorklistRow[] {
    return [...this.rows.values()];
  }

  get size(): number {
    return this.rows.size;
  }
}

/** A finding as the spool keeps it: its line, its place in the ranking, the finding itself. */
interface Contribution {
  line: string;
  at: number;
  finding: string;
}

/** A row waiting for its rank: where its top finding ranked, that finding's ranking fields (JSON), and the row's JSON (rank 0). */
interface RankedRow {
  at: number;
  key: string;
  row: string;
}

/**
 * The spool's records as `at`, a tab, then JSON, so a finding's or a row's JSON is written as it
 * is instead of escaped again inside another JSON string (and parsed twice). JSON text holds no
 * raw tab or newline (JSON.stringify escapes both), so the first tabs are the separators.
 */
const CONTRIBUTION_CODEC: RecordCodec<Contribution> = {
  encode: (c) => `${c.at}\t${JSON.stringify(c.line)}\t${c.finding}`,
  decode: (text) => {
    const a = text.indexOf('\t');
    const b = text.indexOf('\t', a + 1);
    return { at: Number(text.slice(0, a)), line: JSON.parse(text.slice(a + 1, b)) as string, finding: text.slice(b + 1) };
  },
};
const RANKED_ROW_CODEC: RecordCodec<RankedRow> = {
  encode: (r) => `${r.at}\t${r.key}\t${r.row}`,
  decode: (text) => {
    const a = text.indexOf('\t');
    const b = text.indexOf('\t', a + 1);
    return { at: Number(text.slice(0, a)), key: text.slice(a + 1, b), row: text.slice(b + 1) };
  },
};

/** A finding's ranking fields, as a ranked row keeps them. */
const rankKey = (f: Finding): string => JSON.stringify([f.dollarsAtRisk, f.severity, f.claimId, f.lineNumber, f.ruleId, f.id, f.sourceRef.file, f.sourceRef.byteOffset]);
function parseRankKey(text: string): RankFields {
  const [dollarsAtRisk, severity, claimId, lineNumber, ruleId, id, file, byteOffset] = JSON.parse(text) as [number, Finding['severity'], string, number, string, string, string, number];
  return { dollarsAtRisk, severity, claimId, lineNumber, ruleId, id, sourceRef: { file, byteOffset } };
}

/** A row's JSON (made by newRow: rank 0, first) with its rank, without parsing it again. */
const UNRANKED = '{"rank":0,';
function withRank(json: string, rank: number): string {
  if (json.startsWith(UNRANKED)) return `{"rank":${rank},${json.slice(UNRANKED.length)}`;
  return JSON.stringify({ ...(JSON.parse(json) as WorklistRow), rank });
}

/** One owner queue's share of the worklist: the lines whose top finding it owns. */
export interface OwnerQueue {
  owner: Finding['owner'];
  lines: number;
  /** The lines' dollars, each once (these add up to the headline). */
  dollars: number;
  findings: number;
  /** With --history: its lines with a finding new tonight, and the night its oldest open line was first seen; else null. */
  newTonight: number | null;
  oldestOpen: string | null;
}

/** Owner queues counted row by row (rows in any order); queues() in dollars order. */
export class OwnerQueues {
  private readonly byOwner = new Map<Finding['owner'], { lines: number; cents: number; findings: number; fresh: number; oldest: string | null; history: boolean }>();

  add(row: WorklistRow): void {
    let q = this.byOwner.get(row.owner);
    if (!q) this.byOwner.set(row.owner, (q = { lines: 0, cents: 0, findings: 0, fresh: 0, oldest: null, history: false }));
    q.lines++;
    q.cents += Math.round(row.dollars * 100);
    q.findings += row.findings.length;
    if (row.status !== null) {
      q.history = true;
      if (row.status === 'new') q.fresh++;
      if (row.firstSeen !== null && (q.oldest === null || row.firstSeen < q.oldest)) q.oldest = row.firstSeen;
    }
  }

  queues(): OwnerQueue[] {
    return [...this.byOwner]
      .map(([owner, q]) => ({ owner, lines: q.lines, dollars: q.cents / 100, findings: q.findings, newTonight: q.history ? q.fresh : null, oldestOpen: q.history ? q.oldest : null }))
      .sort((a, b) => b.dollars - a.dollars || b.lines - a.lines || (a.owner < b.owner ? -1 : 1));
  }
}

/** The worklist as a run builds it: spooled in sorted runs on disk, so memory does not grow with the lines that have findings. */
export interface SpooledWorklist {
  /** The first `top` rows, for the view. */
  top: WorklistRow[];
  count: number;
  /** The roll-up by owner queue (the top finding's owner), every row counted. */
  byOwner: OwnerQueue[];
  /** Every row counted: the open dollars, firm and to review, by status, findings by severity. */
  totals: WorklistTotals;
  /** Every row in rank order, read from the spool's file (any number of times). */
  rows(): Iterable<WorklistRow>;
}

/**
 * Rows from findings in rank order, with bounded memory: each finding is put in a sorted run by
 * its line (then its place in the ranking); at the end each line's findings come together, its
 * row is made and sorted again by where its top finding ranked, and the rows are written to a
 * file in rank order. The same rows, in the same order, as WorklistBuilder.
 */
export class WorklistSpool {
  private readonly byLine: ExternalSorter<Contribution>;
  private at = 0;

  constructor(
    private readonly temp: string,
    readonly titleOf: (ruleId: string) => string,
    readonly describeCode: (code: string) => string | null,
    private readonly runSize = SORT_RUN,
    /** The run's date (with --history), for the rows' aging. */
    readonly runDate: string | null = null,
    /** The run's id in the history (the rows' lastSeen). */
    readonly runId: string | null = null,
  ) {
    this.byLine = new ExternalSorter<Contribution>((a, b) => (a.line < b.line ? -1 : a.line > b.line ? 1 : a.at - b.at), (n) => join(temp, `worklist-lines-${n}.ndjson`), runSize, CONTRIBUTION_CODEC);
  }

  add(f: Finding): void {
    this.byLine.add({ line: lineKeyOf(f), at: this.at++, finding: JSON.stringify(f) });
  }

  /**
   * The rows in rank order: tonight's lines, and the lines carried from earlier runs (already
   * ranked, see carriedRows) merged in by their top finding's place in the ranking; the team's
   * notes put on each row by its findings' ids.
   */
  finish(top: number, extra: { carried?: readonly KeyedRow[]; notes?: ReadonlyMap<string, WorkNote>; outcomes?: ReadonlyMap<string, LineOutcome> } = {}): SpooledWorklist {
    const byRank = new ExternalSorter<RankedRow>((a, b) => a.at - b.at, (n) => join(this.temp, `worklist-rows-${n}.ndjson`), this.runSize, RANKED_ROW_CODEC);
    let row: WorklistRow | null = null;
    let line: string | null = null;
    let first = 0;
    let key = '';
    const carried = extra.carried ?? [];
    const owners = new OwnerQueues();
    const totals = new TotalsCounter();
    const flush = () => {
      if (!row) return;
      applyNote(row, extra.notes);
      applyOutcome(row, extra.outcomes);
      owners.add(row);
      totals.add(row);
      byRank.add({ at: first, key, row: JSON.stringify(row) });
    };
    for (const c of this.byLine.sorted()) {
      const f = JSON.parse(c.finding) as Finding;
      if (c.line !== line) {
        flush();
        line = c.line;
        first = c.at;
        // The top finding's ranking fields, to merge the carried rows by: only when there are some (a run without history never reads them).
        if (carried.length > 0) key = rankKey(f);
        row = newRow(f, 0, this);
      }
      addToRow(row!, f, this);
    }
    flush();
    for (const { row: r } of carried) {
      applyNote(r, extra.notes);
      applyOutcome(r, extra.outcomes);
      owners.add(r);
      totals.add(r);
    }
    const path = join(this.temp, 'worklist-rows.ndjson');
    const out = new TextWriter(path);
    const kept: WorklistRow[] = [];
    let count = 0;
    let next = 0;
    // A row ranked: kept for the view while there is room, written with its rank.
    const put = (text: string | null, parsed: WorklistRow | null) => {
      const rank = ++count;
      const ranked = parsed ? { ...parsed, rank } : null;
      if (kept.length < top) kept.push(ranked ?? { ...(JSON.parse(text!) as WorklistRow), rank });
      out.write(`${ranked ? JSON.stringify(ranked) : withRank(text!, rank)}\n`);
    };
    try {
      for (const r of byRank.sorted()) {
        // Carried rows that rank before this one first.
        if (next < carried.length) {
          const k = parseRankKey(r.key);
          while (next < carried.length && compareFindings(carried[next]!.key, k) < 0) put(null, carried[next++]!.row);
        }
        put(r.row, null);
      }
      while (next < carried.length) put(null, carried[next++]!.row);
    } finally {
      out.close();
    }
    return {
      top: kept,
      count,
      byOwner: owners.queues(),
      totals: totals.totals(kept[0] ?? null),
      *rows() {
        for (const bytes of readLineBytes(path)) yield JSON.parse(bytes.toString('utf8')) as WorklistRow;
      },
    };
  }
}
