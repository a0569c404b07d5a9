// The worklist: one row per claim line with findings, the way a revenue-cycle team works. Built
// from the ranked findings as they go by (a line's first finding in the ranking is its top one,
// so rows come out in rank order with a stable tie order): all its findings, most important
// first, the owner queue, its dollars once per category, its status against the last run, and
// the first step to fix it.
import { DOLLAR_CATEGORIES, type DollarCategory, type Finding } from '../model/index.js';
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

/** Rows from findings in rank order; a line is its file, claim, line number and position. */
export class WorklistBuilder {
  private readonly rows = new Map<string, WorklistRow>();

  constructor(
    private readonly titleOf: (ruleId: string) => string,
    private readonly describeCode: (code: string) => string | null,
  ) {}

  static lineOf(f: Pick<Finding, 'sourceRef' | 'claimId' | 'lineNumber'>): string {
    return `${f.sourceRef.file}\u0000${f.sourceRef.byteOffset}\u0000${f.claimId}\u0000${f.lineNumber}`;
  }

  /** One finding (not suppressed), in rank order: true when it is its line's first (top) finding. */
  add(f: Finding): boolean {
    const key = WorklistBuilder.lineOf(f);
    let row = this.rows.get(key);
    const first = row === undefined;
    if (!row) {
      row = {
        rank: this.rows.size + 1,
        claimId: f.claimId,
        lineNumber: f.lineNumber,
        serviceDate: f.serviceDate,
        code: f.code,
        drug: f.code ? this.describeCode(f.code) : null,
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
      this.rows.set(key, row);
    }
    row.byCategory[f.dollarCategory] = Math.max(row.byCategory[f.dollarCategory], f.dollarsAtRisk);
    if (!row.owners.includes(f.owner)) row.owners.push(f.owner);
    if (f.status && (row.status === null || STATUS_ORDER[f.status] < STATUS_ORDER[row.status])) row.status = f.status;
    if (f.firstSeen && (row.firstSeen === null || f.firstSeen.date < row.firstSeen)) row.firstSeen = f.firstSeen.date;
    row.findings.push({ id: f.id, ruleId: f.ruleId, title: this.titleOf(f.ruleId), severity: f.severity, message: f.message });
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

/**
 * For findings in rank order: a line's dollars on its first (top) finding, null on its others.
 * So a column of them sums to the headline (findings.csv's line_dollars, the workbook's Line dollars).
 */
export function lineDollars(): (f: Finding) => number | null {
  const seen = new Set<string>();
  return (f) => {
    const line = WorklistBuilder.lineOf(f);
    if (seen.has(line)) return null;
    seen.add(line);
    return f.dollarsAtRisk;
  };
}
