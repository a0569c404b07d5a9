// The worklist: one row per claim line with findings, the way a revenue-cycle team works. Built
// from the ranked findings as they go by (a line's first finding in the ranking is its top one,
// so rows come out in rank order with a stable tie order): all its findings, most important
// first, the owner queue, its dollars once per category, its status against the last run, and
// the first step to fix it.
import { DOLLAR_CATEGORIES, type DollarCategory, type Finding } from '../model/index.js';
import { join } from 'node:path';
import { ExternalSorter, readLineBytes, SORT_RUN, TextWriter, type RecordCodec } from '../store/ndjson.js';
import { sourcePosition } from './format.js';

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

type RowText = { titleOf: (ruleId: string) => string; describeCode: (code: string) => string | null };

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
  row.findings.push({ id: f.id, ruleId: f.ruleId, title: text.titleOf(f.ruleId), severity: f.severity, message: f.message });
}

/** Rows from findings in rank order, every row in memory (the tests' views; a run spools them: WorklistSpool). */
export class WorklistBuilder {
  private readonly rows = new Map<string, WorklistRow>();

  constructor(
    readonly titleOf: (ruleId: string) => string,
    readonly describeCode: (code: string) => string | null,
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

/** The worklist as a run builds it: spooled in sorted runs on disk, so memory does not grow with the lines that have findings. */
export interface SpooledWorklist {
  /** The first `top` rows, for the view. */
  top: WorklistRow[];
  count: number;
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
    const flush = () => {
      if (row) byRank.add({ at: first, row: JSON.stringify(row) });
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
      *rows() {
        for (const bytes of readLineBytes(path)) yield JSON.parse(bytes.toString('utf8')) as WorklistRow;
      },
    };
  }
}
