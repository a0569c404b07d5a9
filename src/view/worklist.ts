// The worklist: one row per claim line with findings, the way a revenue-cycle team works. Built
// from the ranked findings as they go by (a line's first finding in the ranking is its top one,
// so rows come out in rank order with a stable tie order): all its findings, most important
// first, the owner queue, its dollars once per category, its status against the last run, and
// the first step to fix it.
import { DOLLAR_CATEGORIES, type DollarCategory, type Finding } from '../model/index.js';
import { join } from 'node:path';
import { ExternalSorter, readLineBytes, SORT_RUN, TextWriter, type RecordCodec } from '../store/ndjson.js';
import { denialText, sourcePosition } from './format.js';

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
  /** new when any finding is, else updated when any is, else unchanged; null without history. */
  status: 'new' | 'updated' | 'unchanged' | null;
  firstSeen: string | null;
  /** Days from the night its findings were first seen to this run's (with --history), else null. */
  agingDays: number | null;
  /** Its findings, most important first: rule, title, message. */
  findings: Array<{ id: string; ruleId: string; title: string; severity: Finding['severity']; message: string }>;
  /** The top finding's remediation. */
  firstStep: string | null;
  sourceFile: string;
  sourcePosition: string;
}

const STATUS_ORDER = { new: 0, updated: 1, unchanged: 2 } as const;

/** A line's key: its file, claim, line number and position. */
export const lineKeyOf = (f: Pick<Finding, 'sourceRef' | 'claimId' | 'lineNumber'>): string => `${f.sourceRef.file}\u0000${f.sourceRef.byteOffset}\u0000${f.claimId}\u0000${f.lineNumber}`;

type RowText = { titleOf: (ruleId: string) => string; describeCode: (code: string) => string | null; runDate: string | null };

/** Whole days from one YYYY-MM-DD to another. */
const daysBetween = (from: string, to: string) => Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000));

/** A line's row from its top finding (its first in the ranking). */
function newRow(f: Finding, rank: number, text: RowText): WorklistRow {
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
    agingDays: null,
    findings: [],
    firstStep: f.remediation,
    sourceFile: f.sourceRef.file,
    sourcePosition: sourcePosition(f.sourceRef, { byte: 'parentheses' }),
  };
}

/** One more of the line's findings (in rank order, the top one first) added to its row. */
function addToRow(row: WorklistRow, f: Finding, text: RowText): void {
  row.byCategory[f.dollarCategory] = Math.max(row.byCategory[f.dollarCategory], f.dollarsAtRisk);
  // A category with money on the row, or compliance (none by nature); a $0 denial does not name one.
  if ((f.dollarsAtRisk > 0 || f.dollarCategory === 'compliance') && !row.categories.includes(f.dollarCategory)) row.categories = DOLLAR_CATEGORIES.filter((c) => c === f.dollarCategory || row.categories.includes(c));
  if (!row.owners.includes(f.owner)) row.owners.push(f.owner);
  if (f.status && (row.status === null || STATUS_ORDER[f.status] < STATUS_ORDER[row.status])) row.status = f.status;
  if (f.firstSeen && (row.firstSeen === null || f.firstSeen.date < row.firstSeen)) row.firstSeen = f.firstSeen.date;
  row.agingDays = row.firstSeen !== null && text.runDate !== null ? daysBetween(row.firstSeen, text.runDate) : null;
  row.findings.push({ id: f.id, ruleId: f.ruleId, title: text.titleOf(f.ruleId), severity: f.severity, message: f.message });
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

/** A row waiting for its rank: where its top finding ranked, and its JSON (rank 0). */
interface RankedRow {
  at: number;
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
  encode: (r) => `${r.at}\t${r.row}`,
  decode: (text) => {
    const a = text.indexOf('\t');
    return { at: Number(text.slice(0, a)), row: text.slice(a + 1) };
  },
};

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
  ) {
    this.byLine = new ExternalSorter<Contribution>((a, b) => (a.line < b.line ? -1 : a.line > b.line ? 1 : a.at - b.at), (n) => join(temp, `worklist-lines-${n}.ndjson`), runSize, CONTRIBUTION_CODEC);
  }

  add(f: Finding): void {
    this.byLine.add({ line: lineKeyOf(f), at: this.at++, finding: JSON.stringify(f) });
  }

  finish(top: number): SpooledWorklist {
    const byRank = new ExternalSorter<RankedRow>((a, b) => a.at - b.at, (n) => join(this.temp, `worklist-rows-${n}.ndjson`), this.runSize, RANKED_ROW_CODEC);
    let row: WorklistRow | null = null;
    let line: string | null = null;
    let first = 0;
    const owners = new OwnerQueues();
    const flush = () => {
      if (!row) return;
      owners.add(row);
      byRank.add({ at: first, row: JSON.stringify(row) });
    };
    for (const c of this.byLine.sorted()) {
      const f = JSON.parse(c.finding) as Finding;
      if (c.line !== line) {
        flush();
        line = c.line;
        first = c.at;
        row = newRow(f, 0, this);
      }
      addToRow(row!, f, this);
    }
    flush();
    const path = join(this.temp, 'worklist-rows.ndjson');
    const out = new TextWriter(path);
    const kept: WorklistRow[] = [];
    let count = 0;
    try {
      for (const { row: text } of byRank.sorted()) {
        const rank = ++count;
        if (kept.length < top) kept.push({ ...(JSON.parse(text) as WorklistRow), rank });
        out.write(`${withRank(text, rank)}\n`);
      }
    } finally {
      out.close();
    }
    return {
      top: kept,
      count,
      byOwner: owners.queues(),
      *rows() {
        for (const bytes of readLineBytes(path)) yield JSON.parse(bytes.toString('utf8')) as WorklistRow;
      },
    };
  }
}
