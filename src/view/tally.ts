// The view's counts, line by line: each audited line (in input order, with all its findings as
// triage left them) is counted for the report's coverage, totals and groups. It reads findings,
// never writes them. Counts are plain data, so parts of a run counted apart (files, workers,
// shards) are added together in input order.
import type { Finding, LineRecord, MissingFact, NotCheckedEntry } from '../model/index.js';
import { compareText } from '../model/order.js';
import type { Reference } from '../reference/index.js';
import { ruleDocs } from '../rules/docs.js';
import { declaredReason } from '../rules/index.js';
import { reasonSummary } from '../rules/template.js';
import type { ClaimRunLog, Overcount } from './claim-runs.js';
import { verdictOf } from './lines.js';
import { ReportAggregator, type AggregatorState, type Coverage, type NotCheckedReason, type ReportView } from './view.js';

/** --fail-on: exit 1 when a finding at or above this severity exists; none: never (job runners that retry a non-zero exit). */
export type FailOn = 'error' | 'warning' | 'none';

/** Coverage counts as plain data. */
export interface CoverageState {
  passed: number;
  failed: number;
  notChecked: number;
  awaitingData: number;
  reasons: NotCheckedReason[];
  /** Lines a missing fact kept at least one rule from checking, by fact. */
  limitedBy: Partial<Record<MissingFact, number>>;
}

/** Coverage counted line by line. */

export class CoverageCounter {
  private passed = 0;
  private failed = 0;
  private notChecked = 0;
  private awaitingData = 0;
  private readonly limitedBy: Partial<Record<MissingFact, number>> = {};
  /** rule → key → its count. */
  private readonly reasons = new Map<string, Map<string, NotCheckedReason>>();

  add(line: { verdict: LineRecord['verdict']; notChecked: readonly NotCheckedEntry[] }): void {
    if (line.verdict === 'pass') this.passed++;
    else if (line.verdict === 'fail') this.failed++;
    else {
      this.notChecked++;
      // Waiting for data: every reason is one the user can remove by loading data (the rule's declaration says so).
      if (line.notChecked.every((n) => this.declared(n.ruleId, n.key).loadable)) this.awaitingData++;
    }
    // Each fact once a line, however many rules it kept from checking.
    let seen = '';
    for (const { fact } of line.notChecked) {
      if (fact === undefined || seen.includes(`|${fact}|`)) continue;
      seen += `|${fact}|`;
      this.limitedBy[fact] = (this.limitedBy[fact] ?? 0) + 1;
    }
    // Counted by the rule and the key of its reason: one row a reason, however its lines' particulars differ.
    for (const { ruleId, key } of line.notChecked) this.reason(ruleId, key).lines++;
  }

  /** A reason's declaration (the rule's, or the engine's); one the rules no longer declare (an older part's) counts as not loadable. */
  private declared(ruleId: string, key: string): { loadable: boolean; message: string; summary?: string } {
    return declaredReason(ruleId, key) ?? { loadable: false, message: key };
  }

  private reason(ruleId: string, key: string): NotCheckedReason {
    let byKey = this.reasons.get(ruleId);
    if (!byKey) this.reasons.set(ruleId, (byKey = new Map()));
    let entry = byKey.get(key);
    if (!entry) {
      entry = { ruleId, key, reason: reasonSummary(ruleId, key, this.declared(ruleId, key)), lines: 0 };
      byKey.set(key, entry);
    }
    return entry;
  }

  state(): CoverageState {
    return { passed: this.passed, failed: this.failed, notChecked: this.notChecked, awaitingData: this.awaitingData, reasons: this.allReasons().map((r) => ({ ...r })), limitedBy: { ...this.limitedBy } };
  }

  private allReasons(): NotCheckedReason[] {
    return [...this.reasons.values()].flatMap((byKey) => [...byKey.values()]);
  }

  /** Adds another part's counts. */
  absorb(part: CoverageState): void {
    this.passed += part.passed;
    this.failed += part.failed;
    this.notChecked += part.notChecked;
    this.awaitingData += part.awaitingData;
    for (const { ruleId, key, lines } of part.reasons) this.reason(ruleId, key).lines += lines;
    for (const [fact, lines] of Object.entries(part.limitedBy) as Array<[MissingFact, number]>) this.limitedBy[fact] = (this.limitedBy[fact] ?? 0) + lines;
  }

  coverage(): Coverage {
    return {
      linesAudited: this.passed + this.failed + this.notChecked,
      passed: this.passed,
      failed: this.failed,
      notChecked: this.notChecked,
      awaitingData: this.awaitingData,
      notCheckedReasons: this.allReasons().sort((a, b) => compareText(a.ruleId, b.ruleId) || compareText(a.reason, b.reason) || compareText(a.key, b.key)),
      limitedBy: Object.fromEntries(Object.entries(this.limitedBy).sort(([a], [b]) => compareText(a, b))),
    };
  }
}

/** A tally as plain data, to cross from a worker thread or a shard. */
export interface TallyState {
  coverage: CoverageState;
  report: AggregatorState;
  /** Findings at or above --fail-on (suppressed ones aside). */
  failing: boolean;
  /** Findings a suppression entry took out of the totals: how many, their dollars in cents, and by entry. */
  suppressed: { findings: number; cents: number; byEntry: Array<[string, number]> };
}

/** The report's counts of a run, or of a part of one. */
export class LineTally {
  private readonly coverage = new CoverageCounter();
  private readonly report: ReportAggregator;
  private failing = false;
  private readonly suppressed = { findings: 0, cents: 0, byEntry: new Map<string, number>() };

  constructor(
    reference: Reference,
    private readonly failOn: FailOn,
    /** Where the claim runs wait for the exact count of claims (default: memory), and how many claims to expect. */
    claimRuns?: { log: ClaimRunLog; expected: number },
  ) {
    this.report = new ReportAggregator(ruleDocs(), (code) => reference.pack.codes[code]?.shortDescriptor.value ?? null, claimRuns?.log, claimRuns?.expected);
  }

  /**
   * One line, with all its findings as triage left them: a finding a suppression entry matched
   * is left out of the totals (the line's verdict stays what the rules said).
   */
  add(line: { findings: readonly Finding[]; notChecked: readonly NotCheckedEntry[] }): void {
    let counted: readonly Finding[] = line.findings;
    if (line.findings.some((f) => f.suppression !== undefined)) {
      counted = [];
      for (const f of line.findings) {
        if (f.suppression === undefined) {
          (counted as Finding[]).push(f);
          continue;
        }
        const key = f.suppression.entry;
        this.suppressed.findings++;
        this.suppressed.cents += Math.round(f.dollarsAtRisk * 100);
        this.suppressed.byEntry.set(key, (this.suppressed.byEntry.get(key) ?? 0) + 1);
      }
    }
    for (const f of counted) if (atOrAbove(f, this.failOn)) this.failing = true;
    this.coverage.add({ verdict: verdictOf(line.findings.length, line.notChecked.length), notChecked: line.notChecked });
    this.report.addLine(counted);
  }

  state(): TallyState {
    return { coverage: this.coverage.state(), report: this.report.state(), failing: this.failing, suppressed: { findings: this.suppressed.findings, cents: this.suppressed.cents, byEntry: [...this.suppressed.byEntry] } };
  }

  /** Each group number of the claim runs this tally logged, as a reference another tally understands (ReportAggregator.groupRefs). */
  groupRefs(): string[] {
    return this.report.groupRefs();
  }

  /** Claims that parts of a split file counted more than once, taken off the absorbed counts. */
  uncount(over: Overcount): void {
    this.report.uncount(over);
  }

  /** Adds a part counted apart (parts come in input order). */
  absorb(part: TallyState): void {
    this.coverage.absorb(part.coverage);
    this.report.absorb(part.report);
    this.failing ||= part.failing;
    this.suppressed.findings += part.suppressed.findings;
    this.suppressed.cents += part.suppressed.cents;
    for (const [key, n] of part.suppressed.byEntry) this.suppressed.byEntry.set(key, (this.suppressed.byEntry.get(key) ?? 0) + n);
  }

  /** What suppression entries took out of the totals. */
  suppressedTotals(): { findings: number; dollars: number; byEntry: Map<string, number> } {
    return { findings: this.suppressed.findings, dollars: this.suppressed.cents / 100, byEntry: new Map(this.suppressed.byEntry) };
  }

  get isFailing(): boolean {
    return this.failing;
  }

  /** What the report view takes of the counts. */
  view(): Pick<ReportView, 'coverage' | 'findingTotals' | 'groups'> {
    return { coverage: this.coverage.coverage(), ...this.report.totals() };
  }
}

/** Of findings counted by severity, how many are at or above --fail-on. */
export const atOrAboveCount = (bySeverity: Record<Finding['severity'], number>, failOn: FailOn): number => (failOn === 'none' ? 0 : bySeverity.error + (failOn === 'warning' ? bySeverity.warning : 0));

/** A finding at or above --fail-on. */
const atOrAbove = (f: Pick<Finding, 'severity'>, failOn: FailOn) => failOn !== 'none' && (f.severity === 'error' || (failOn === 'warning' && f.severity === 'warning'));
