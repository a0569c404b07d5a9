// The one report view model: ranking, totals, groups and coverage, built once from the run's
// findings and line verdicts. The CSV, HTML and JSON writers only render it.
import { DOLLAR_CATEGORIES, type DollarCategory, type Finding, type IngestIssue, type MissingFact, type PayerClass } from '../model/index.js';
import { compareFindings, compareText, SEVERITY_RANK, type RankFields } from '../model/order.js';
import type { HistoryView } from '../history/nightly.js';
import type { SuppressionView } from '../suppressions/suppressions.js';
// The history's and the suppressions' parts of the view are theirs (the view depends on them, never the reverse).
export { HISTORY_TOP, type HistoryItem, type HistoryView } from '../history/nightly.js';
import type { TrendPoint } from '../history/trend-point.js';
import type { Calibration } from './calibration.js';
export type { TrendPoint } from '../history/trend-point.js';
export type { SuppressionView } from '../suppressions/suppressions.js';
import type { RuleDoc } from '../rules/docs.js';
import type { OwnerQueue, WorklistRow, WorklistTotals } from './worklist.js';
import { denialText, isFirm } from './format.js';
import { Excess, MemoryRunLog, type ClaimRunLog, type Overcount } from './claim-runs.js';
import { SeenIds } from '../store/seen.js';

/** What the audit knows of the run beyond its findings (built by audit.ts). */
export interface Manifest {
  tool: { name: string; version: string };
  run: { startedAt: string; finishedAt: string };
  phi: 'masked' | 'full';
  reference: {
    pack: { version: string; sha256: string; file: string | null; codes: number };
    sourceFiles: Array<{ file: string; kind: string; quarter: string | null; sha256: string }>;
    /** The MUE tables given, one a setting. */
    mue: Array<{ file: string; kind: string; codes: number; rowsRejected: number }>;
    ndcCrosswalk: { file: string; codes: number; rowsRejected: number } | null;
    profile: string | null;
  };
  options: Record<string, unknown>;
  inputs: ManifestInput[];
}

export interface ManifestInput {
  file: string;
  format: string;
  bytes: number;
  sha256: string;
  claims: { read: number; audited: number; skipped: number; unparseable: number };
  lines: number;
  drugLines: number;
  ingestIssues: { errors: number; warnings: number; omitted: number };
  [more: string]: unknown;
}

/** What was read: the accounting of claims, lines and input problems. */
export interface IngestTotals {
  files: number;
  filesWithErrors: number;
  interchanges: number;
  transactions: number;
  claims: { read: number; audited: number; skipped: number; unparseable: number };
  lines: number;
  drugLines: number;
  ingestIssues: { errors: number; warnings: number };
}

/** A rule's not-checked reason, counted: the key it declares, its summary, the lines it kept. */
export interface NotCheckedReason {
  ruleId: string;
  key: string;
  reason: string;
  lines: number;
}

export interface Coverage {
  linesAudited: number;
  passed: number;
  failed: number;
  notChecked: number;
  /** Of the not-checked lines, those that passed every rule that could run and wait only for data the user can load (each reason's declared `loadable`). */
  awaitingData: number;
  /** Lines a rule could not check, by rule and reason (a line may appear under several). */
  notCheckedReasons: NotCheckedReason[];
  /** Lines a missing fact kept at least one rule from checking, by fact (a line may appear under several). */
  limitedBy: Partial<Record<MissingFact, number>>;
}

/** One row of a group table: each line's dollars counted once within the row. */
export interface Group {
  key: string;
  label: string;
  /** A second label (the payer class, the code's descriptor, the rule's title). */
  detail: string | null;
  findings: number;
  claims: number;
  lines: number;
  /** Each line's largest amount among its findings in the row, whatever their category. */
  dollarsAtRisk: number;
  /** Each line's largest amount in each category, counted once a category. */
  byCategory: Record<DollarCategory, number>;
}

/** A category's total: each line's largest amount of the category, counted once. */
export interface CategoryTotal {
  dollars: number;
  /** Lines with a finding of the category. */
  lines: number;
  findings: number;
  /** Its findings by severity (what the card says it holds). */
  bySeverity?: Record<Finding['severity'], number>;
  /** Compliance only (no dollars at risk): the payment of its lines, exposed on audit, each line once. */
  exposure?: number;
}

/** A line's payment, as the exposure of a compliance finding on it. */
const exposureCents = (f: Finding) => toCents(Math.max(0, f.expectedPayment ?? f.billedCharge ?? 0));
const COMPLIANCE = DOLLAR_CATEGORIES.indexOf('compliance');

export interface RuleGroup extends Group {
  severity: Finding['severity'];
  denial: string;
  /**
   * Dollars of the lines whose top-ranked finding is this rule's: every line counted under one
   * rule only, so these add up to the run's total (the Pareto chart's bars).
   */
  attributedDollars: number;
}

export interface ReportView {
  manifest: Manifest;
  exitCode: number;
  /**
   * The top of the ranking (dollars at risk, then severity, claim id, line number, rule id,
   * finding id): at most TOP_FINDINGS; findingTotals.findings says how many there are in all.
   */
  findings: Finding[];
  totals: IngestTotals;
  findingTotals: {
    findings: number;
    bySeverity: Record<Finding['severity'], number>;
    /** Each line's dollars counted once: the largest amount at risk among its findings, whatever its category. */
    dollarsAtRisk: number;
    /** Of them: firm (lines whose top finding is an error priced at a CMS rate) and to review (warnings, info, and lines priced at the billed charge). */
    firm: number;
    toReview: number;
    /** The line with the most money, its share of the headline (0–1) and why it is priced so. */
    largestLine: { claimId: string; lineNumber: number; ruleId: string; severity: Finding['severity']; dollarBasis: Finding['dollarBasis']; dollars: number; share: number } | null;
    /** Denied, returned (delayed), underbilled and overpaid money apart, each line once a category. */
    byCategory: Record<DollarCategory, CategoryTotal>;
    /** Each line's dollars under its top finding's severity: how much rides on errors, warnings, info. */
    dollarsBySeverity: Record<Finding['severity'], number>;
    claimsAffected: number;
    linesAffected: number;
  };
  coverage: Coverage;
  groups: {
    rule: RuleGroup[];
    payer: Group[];
    code: Group[];
    provider: Group[];
    month: Group[];
  };
  ingestIssues: IngestIssue[];
  rules: RuleDoc[];
  /** The worklist's first WORKLIST_TOP rows (one per claim line with findings, ranked) and how many there are. */
  worklist: { rows: WorklistRow[]; total: number };
  /**
   * Everything open: the worklist's rows (tonight's lines and, with --history, the lines still
   * open from earlier runs), each counted once; the open-dollars headline. Absent in views built
   * without a run (then the findings' totals are the open ones).
   */
  open?: WorklistTotals;
  /** The worklist by owner queue (each line under its top finding's owner); absent in views built without a run. */
  owners?: OwnerQueue[];
  /** A run with --history: tonight against the run it is compared with. */
  history?: HistoryView;
  /** With remittances in the history (--remits, claim-audit remits): every rule against what payers did. */
  calibration?: Calibration;
  /** A run with --history: a point a night, oldest first, tonight's last. */
  trends?: TrendPoint[];
  /** Suppressions: the file, what it took out of the totals, and its entries' problems. */
  suppressions?: SuppressionView;
}

/** Worklist rows the report shows (worklist.csv and findings.xlsx have all). */
export const WORKLIST_TOP = 500;

/** The most findings a view holds; findings.csv and findings.ndjson have them all. */
export const TOP_FINDINGS = 500;

/** Money is summed in whole cents: no float drift across thousands of findings. */
const toCents = (dollars: number) => Math.round(dollars * 100);
const fromCents = (cents: number) => cents / 100;

/** Cents by category, in DOLLAR_CATEGORIES order. */
type CategoryCents = number[];
const noCents = (): CategoryCents => DOLLAR_CATEGORIES.map(() => 0);
const CATEGORY_INDEX = new Map(DOLLAR_CATEGORIES.map((c, i) => [c, i]));

/** Each category's largest amount among the findings of one line (none of it: -1, not counted). */
function categoryCents(findings: readonly Finding[]): CategoryCents {
  const cents = DOLLAR_CATEGORIES.map(() => -1);
  for (const f of findings) {
    const i = CATEGORY_INDEX.get(f.dollarCategory)!;
    cents[i] = Math.max(cents[i]!, toCents(f.dollarsAtRisk));
  }
  return cents;
}

const byCategoryOf = (cents: CategoryCents): Record<DollarCategory, number> => Object.fromEntries(DOLLAR_CATEGORIES.map((c, i) => [c, fromCents(cents[i]!)])) as Record<DollarCategory, number>;

/** A claim of the run: the same claim id in two files is two claims (e.g. a resubmission). */
const claimKey = (f: Finding) => `${f.sourceRef.file}\u0000${f.claimId}`;

class GroupCounter {
  findings = 0;
  cents = 0;
  categories: CategoryCents = noCents();
  claims = 0;
  lines = 0;
  /** The last run of a claim's lines this group counted (ReportAggregator numbers the runs). */
  private lastRun = -1;
  constructor(
    readonly key: string,
    readonly label: string,
    readonly detail: string | null,
    /** Its place among the aggregator's counters. */
    readonly index: number,
  ) {}

  /**
   * One line's findings in this group; `cents` is the line's largest amount in the group,
   * `categories` its largest in each category; `run` the run of the claim's lines it is in.
   * True when this line counted the claim in the group.
   */
  addLine(findings: number, cents: number, categories: CategoryCents, run: number): boolean {
    this.findings += findings;
    this.lines++;
    this.cents += cents;
    categories.forEach((c, i) => {
      if (c > 0) this.categories[i]! += c;
    });
    if (this.lastRun === run) return false;
    this.lastRun = run;
    this.claims++;
    return true;
  }

  /** A claim counted more than once (met again later in its file, or in two parts of a split file): counted once. */
  uncount(times: number): void {
    this.claims -= times;
  }

  /** A detail (a provider's name) for a row first seen without one. */
  nameIfNone(name: string | null): void {
    if (this.detail === null && name !== null) (this as { detail: string | null }).detail = name;
  }

  toGroup(): Group {
    return { key: this.key, label: this.label, detail: this.detail, findings: this.findings, claims: this.claims, lines: this.lines, dollarsAtRisk: fromCents(this.cents), byCategory: byCategoryOf(this.categories) };
  }

  /** Another part's counts for the same group (a claim two parts of a file share is taken off by uncount). */
  absorb(other: GroupCounterState): void {
    this.findings += other.findings;
    this.cents += other.cents;
    other.categories.forEach((c, i) => (this.categories[i]! += c));
    this.claims += other.claims;
    this.lines += other.lines;
  }
}

/** A group counter as plain data, to cross from a worker thread. */
export type GroupCounterState = Pick<GroupCounter, 'key' | 'label' | 'detail' | 'findings' | 'cents' | 'categories' | 'claims' | 'lines'>;

/** Claims expected in one aggregator, for sizing its filter of claims already counted. */
const EXPECTED_CLAIMS = 100_000;

/** What a ReportAggregator has counted, as plain data: files counted in worker threads are merged with it. */
export interface AggregatorState {
  rules: GroupCounterState[];
  payers: GroupCounterState[];
  codes: GroupCounterState[];
  providers: GroupCounterState[];
  months: GroupCounterState[];
  attributed: Array<[string, number]>;
  worst: Array<[string, Finding['severity']]>;
  bySeverity: Record<Finding['severity'], number>;
  severityCents: Record<Finding['severity'], number>;
  findings: number;
  totalCents: number;
  /** Lines whose top finding is an error priced at a CMS rate: firm money (the rest is to review). */
  firmCents: number;
  /** The line with the most money, by the ranking's order. */
  largest: LargestLine | null;
  /** Per category (DOLLAR_CATEGORIES order): its findings by severity. */
  categorySeverities: Array<Record<Finding['severity'], number>>;
  /** Per category (DOLLAR_CATEGORIES order): cents, lines, findings. */
  /** Per category (DOLLAR_CATEGORIES order): cents, lines, findings, exposure cents (compliance). */
  categories: Array<[number, number, number, number]>;
  lines: number;
  claims: number;
}

/** The line with the most money: its top finding's ranking fields and what a reader needs to see why. */
export interface LargestLine {
  cents: number;
  key: RankFields;
  claimId: string;
  lineNumber: number;
  ruleId: string;
  severity: Finding['severity'];
  dollarBasis: Finding['dollarBasis'];
}


const largerLine = (a: LargestLine | null, b: LargestLine | null): LargestLine | null => (a === null ? b : b === null ? a : compareFindings(b.key, a.key) < 0 ? b : a);

const byDollars = (a: Group, b: Group) => b.dollarsAtRisk - a.dollarsAtRisk || b.findings - a.findings || compareText(a.key, b.key);

const PAYER_CLASS_LABEL: Record<PayerClass, string> = {
  medicare: 'Medicare',
  'medicare-advantage': 'Medicare Advantage',
  medicaid: 'Medicaid',
  commercial: 'Commercial',
  other: 'Other',
  unknown: 'Unknown class',
};


/**
 * The view's totals and groups, built one drug line at a time (lines of a claim together), so
 * a run of any size needs only the groups in memory. Each line's dollars count once: the
 * largest amount among its findings.
 */
export class ReportAggregator {
  private readonly rules = new Map<string, GroupCounter>();
  private readonly attributed = new Map<string, number>();
  private readonly worst = new Map<string, Finding['severity']>();
  private readonly payers = new Map<string, GroupCounter>();
  private readonly codes = new Map<string, GroupCounter>();
  private readonly providers = new Map<string, GroupCounter>();
  private readonly months = new Map<string, GroupCounter>();
  private readonly bySeverity: Record<Finding['severity'], number> = { error: 0, warning: 0, info: 0 };
  private readonly severityCents: Record<Finding['severity'], number> = { error: 0, warning: 0, info: 0 };
  private findings = 0;
  private totalCents = 0;
  private firmCents = 0;
  private largest: LargestLine | null = null;
  private readonly categorySeverities = DOLLAR_CATEGORIES.map(() => ({ error: 0, warning: 0, info: 0 }));
  private readonly categories: Array<[number, number, number, number]> = DOLLAR_CATEGORIES.map(() => [0, 0, 0, 0]);
  private lines = 0;
  private claims = 0;
  /**
   * Claims affected (file and claim id) are counted once, in the totals and in each group,
   * however their lines are spread, without a set of every claim: lines come claim by claim, so
   * a claim is counted where its run of lines first reaches a group. A claim met again after
   * other claims (a filter of the claims whose runs ended says which may be) is a suspect; at the
   * end the runs of suspects are read back from the log and each is counted once.
   */
  private readonly counters: GroupCounter[] = [];
  private claim: string | null = null;
  private run = -1;
  private runGroups: number[] = [];
  private ended: SeenIds | null = null;
  private readonly suspects = new Set<string>();
  private settled = false;

  constructor(
    private readonly ruleDocs: readonly RuleDoc[],
    private readonly describeCode: (code: string) => string | null,
    private readonly claimRuns: ClaimRunLog = new MemoryRunLog(),
    private readonly expectedClaims = EXPECTED_CLAIMS,
  ) {}

  private tally(counters: Map<string, GroupCounter>, key: string, label: string, detail: () => string | null): GroupCounter {
    let counter = counters.get(key);
    if (!counter) {
      counter = new GroupCounter(key, label, detail(), this.counters.length);
      this.counters.push(counter);
      counters.set(key, counter);
    }
    return counter;
  }

  /** Counts a line in a group, noting the group when it counted the line's claim there. */
  private count(counter: GroupCounter, findings: number, cents: number, categories: CategoryCents): void {
    if (counter.addLine(findings, cents, categories, this.run)) this.runGroups.push(counter.index);
  }

  private endRun(): void {
    if (this.claim === null) return;
    (this.ended ??= new SeenIds(this.expectedClaims)).add(this.claim);
    this.claimRuns.add(this.claim, this.runGroups);
    this.runGroups = [];
    this.claim = null;
  }

  /** The counts made final: suspects' runs read back, each claim counted once. No line may be added after. */
  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.endRun();
    if (this.suspects.size > 0) {
      const excess = new Excess<number>();
      for (const [claim, groups] of this.claimRuns.runs()) if (this.suspects.has(claim)) excess.add(claim, groups);
      const over = excess.result();
      this.claims -= over.claims;
      for (const [g, times] of over.groups) this.counters[g]!.uncount(times);
    }
    this.claimRuns.close();
  }

  /** One drug line's findings (none: nothing to count). */
  addLine(lineFindings: readonly Finding[]): void {
    if (lineFindings.length === 0) return;
    const ranked = [...lineFindings].sort(compareFindings);
    const top = ranked[0]!;
    if (this.settled) throw new Error('a line was counted after the counts were read');
    const claim = claimKey(top);
    if (claim !== this.claim) {
      this.endRun();
      this.claim = claim;
      this.run++;
      this.claims++;
      if (this.ended?.has(claim)) this.suspects.add(claim);
    }
    const cents = toCents(top.dollarsAtRisk);
    const lineCategories = categoryCents(ranked);
    this.findings += ranked.length;
    this.lines++;
    this.totalCents += cents;
    this.severityCents[top.severity] += cents;
    if (isFirm(top)) this.firmCents += cents;
    if (this.largest === null || compareFindings(top, this.largest.key) < 0) {
      const { dollarsAtRisk, severity, claimId, lineNumber, ruleId, id, sourceRef } = top;
      this.largest = { cents, key: { dollarsAtRisk, severity, claimId, lineNumber, ruleId, id, sourceRef: { file: sourceRef.file, byteOffset: sourceRef.byteOffset } }, claimId, lineNumber, ruleId, severity, dollarBasis: top.dollarBasis };
    }
    lineCategories.forEach((c, i) => {
      if (c < 0) return;
      const total = this.categories[i]!;
      total[0] += c;
      total[1]++;
    });
    const exposed = ranked.filter((f) => f.dollarCategory === 'compliance');
    if (exposed.length > 0) this.categories[COMPLIANCE]![3] += Math.max(...exposed.map(exposureCents));
    this.attributed.set(top.ruleId, (this.attributed.get(top.ruleId) ?? 0) + cents);
    const byRule = new Map<string, Finding[]>();
    for (const f of ranked) {
      this.bySeverity[f.severity]++;
      this.categories[CATEGORY_INDEX.get(f.dollarCategory)!]![2]++;
      this.categorySeverities[CATEGORY_INDEX.get(f.dollarCategory)!]![f.severity]++;
      const worst = this.worst.get(f.ruleId);
      if (worst === undefined || SEVERITY_RANK[f.severity] < SEVERITY_RANK[worst]) this.worst.set(f.ruleId, f.severity);
      const list = byRule.get(f.ruleId);
      if (list) list.push(f);
      else byRule.set(f.ruleId, [f]);
    }
    for (const [ruleId, list] of byRule) {
      // Ranked, so the rule's first finding on the line carries its largest amount.
      this.count(this.tally(this.rules, ruleId, ruleId, () => this.ruleDocs.find((r) => r.id === ruleId)?.title ?? null), list.length, toCents(list[0]!.dollarsAtRisk), categoryCents(list));
    }
    const payerName = top.payerName ?? '(no payer name)';
    this.count(this.tally(this.payers, `${top.payerClass}\u0000${payerName}`, payerName, () => PAYER_CLASS_LABEL[top.payerClass]), ranked.length, cents, lineCategories);
    const code = top.code ?? '(no code)';
    this.count(this.tally(this.codes, code, code, () => (top.code ? this.describeCode(top.code) : null)), ranked.length, cents, lineCategories);
    // One row per NPI: a name from whichever line carries one.
    const npi = top.billingNpi ?? '(no NPI)';
    const provider = this.tally(this.providers, npi, npi, () => top.billingName);
    provider.nameIfNone(top.billingName);
    this.count(provider, ranked.length, cents, lineCategories);
    const month = top.serviceDate?.slice(0, 7) ?? '(no date)';
    this.count(this.tally(this.months, month, month, () => null), ranked.length, cents, lineCategories);
  }

  /** The counts so far, as plain data (a part of the run: the files one worker counted). */
  state(): AggregatorState {
    this.settle();
    const plain = (counters: Map<string, GroupCounter>) => [...counters.values()].map(({ key, label, detail, findings, cents, categories, claims, lines }) => ({ key, label, detail, findings, cents, categories: [...categories], claims, lines }));
    return {
      rules: plain(this.rules),
      payers: plain(this.payers),
      codes: plain(this.codes),
      providers: plain(this.providers),
      months: plain(this.months),
      attributed: [...this.attributed],
      worst: [...this.worst],
      bySeverity: { ...this.bySeverity },
      severityCents: { ...this.severityCents },
      findings: this.findings,
      totalCents: this.totalCents,
      firmCents: this.firmCents,
      largest: this.largest,
      categorySeverities: this.categorySeverities.map((s) => ({ ...s })),
      categories: this.categories.map((c) => [...c] as [number, number, number, number]),
      lines: this.lines,
      claims: this.claims,
    };
  }

  /** The tables of groups, each by the name a group reference (groupRefs) starts with. */
  private tables(): ReadonlyArray<readonly [string, Map<string, GroupCounter>]> {
    return [
      ['rule', this.rules],
      ['payer', this.payers],
      ['code', this.codes],
      ['provider', this.providers],
      ['month', this.months],
    ];
  }

  /** Each group number of this aggregator's claim runs (ClaimRunLog) as a reference that holds in another aggregator: its table and key. */
  groupRefs(): string[] {
    const refs: string[] = [];
    for (const [name, counters] of this.tables()) for (const counter of counters.values()) refs[counter.index] = `${name}\u0000${counter.key}`;
    return refs;
  }

  /** Claims counted more than once by parts of a file counted apart, and absorbed here: counted once. */
  uncount(over: Overcount): void {
    this.claims -= over.claims;
    for (const [ref, times] of over.groups) {
      const cut = ref.indexOf('\u0000');
      const counter = this.tables().find(([name]) => name === ref.slice(0, cut))?.[1].get(ref.slice(cut + 1));
      if (!counter) throw new Error(`no group ${JSON.stringify(ref)} to correct`);
      counter.uncount(times);
    }
  }

  /** Adds another part's counts (a file, or a part of a split one: a claim in two parts is corrected by uncount). */
  absorb(part: AggregatorState): void {
    const merge = (counters: Map<string, GroupCounter>, others: GroupCounterState[]) => {
      for (const other of others) {
        const counter = this.tally(counters, other.key, other.label, () => other.detail);
        counter.nameIfNone(other.detail);
        counter.absorb(other);
      }
    };
    merge(this.rules, part.rules);
    merge(this.payers, part.payers);
    merge(this.codes, part.codes);
    merge(this.providers, part.providers);
    merge(this.months, part.months);
    for (const [rule, cents] of part.attributed) this.attributed.set(rule, (this.attributed.get(rule) ?? 0) + cents);
    for (const [rule, severity] of part.worst) {
      const worst = this.worst.get(rule);
      if (worst === undefined || SEVERITY_RANK[severity] < SEVERITY_RANK[worst]) this.worst.set(rule, severity);
    }
    for (const severity of ['error', 'warning', 'info'] as const) {
      this.bySeverity[severity] += part.bySeverity[severity];
      this.severityCents[severity] += part.severityCents[severity];
    }
    this.findings += part.findings;
    this.totalCents += part.totalCents;
    this.firmCents += part.firmCents;
    this.largest = largerLine(this.largest, part.largest);
    part.categorySeverities.forEach((s, i) => {
      for (const severity of ['error', 'warning', 'info'] as const) this.categorySeverities[i]![severity] += s[severity];
    });
    part.categories.forEach((c, i) => {
      const total = this.categories[i]!;
      for (let k = 0; k < 4; k++) total[k]! += c[k] ?? 0;
    });
    this.lines += part.lines;
    this.claims += part.claims;
  }

  totals(): Pick<ReportView, 'findingTotals' | 'groups'> {
    this.settle();
    const docs = new Map(this.ruleDocs.map((r) => [r.id, r]));
    const rule: RuleGroup[] = [...this.rules.values()]
      .map((counter) => ({
        ...counter.toGroup(),
        severity: this.worst.get(counter.key) ?? docs.get(counter.key)?.severity ?? 'warning',
        denial: denialText(docs.get(counter.key)?.denial ?? null),
        attributedDollars: fromCents(this.attributed.get(counter.key) ?? 0),
      }))
      // By the dollars each line counts once (under its top-ranked finding's rule), the amount the report and the CLI show first.
      .sort((a, b) => b.attributedDollars - a.attributedDollars || byDollars(a, b));
    const groups = (counters: Map<string, GroupCounter>) => [...counters.values()].map((c) => c.toGroup()).sort(byDollars);
    return {
      findingTotals: {
        findings: this.findings,
        bySeverity: { ...this.bySeverity },
        dollarsAtRisk: fromCents(this.totalCents),
        firm: fromCents(this.firmCents),
        toReview: fromCents(this.totalCents - this.firmCents),
        largestLine:
          this.largest === null || this.totalCents === 0
            ? null
            : { claimId: this.largest.claimId, lineNumber: this.largest.lineNumber, ruleId: this.largest.ruleId, severity: this.largest.severity, dollarBasis: this.largest.dollarBasis, dollars: fromCents(this.largest.cents), share: Math.round((this.largest.cents / this.totalCents) * 1000) / 1000 },
        dollarsBySeverity: { error: fromCents(this.severityCents.error), warning: fromCents(this.severityCents.warning), info: fromCents(this.severityCents.info) },
        byCategory: Object.fromEntries(DOLLAR_CATEGORIES.map((c, i) => [c, { dollars: fromCents(this.categories[i]![0]), lines: this.categories[i]![1], findings: this.categories[i]![2], bySeverity: { ...this.categorySeverities[i]! }, ...(i === COMPLIANCE ? { exposure: fromCents(this.categories[i]![3]) } : {}) }])) as Record<DollarCategory, CategoryTotal>,
        claimsAffected: this.claims,
        linesAffected: this.lines,
      },
      groups: {
        rule,
        payer: groups(this.payers),
        code: groups(this.codes),
        provider: groups(this.providers),
        month: [...this.months.values()].map((c) => c.toGroup()).sort((a, b) => compareText(a.key, b.key)),
      },
    };
  }
}
