// The one report view model: ranking, totals, groups and coverage, built once from the run's
// findings and line verdicts. The CSV, HTML and JSON writers only render it.
import type { Finding, IngestIssue, PayerClass } from '../model/index.js';
import { compareFindings, compareText } from '../model/order.js';
import type { RuleDoc } from '../rules/docs.js';

/** What the audit knows of the run beyond its findings (built by audit.ts). */
export interface Manifest {
  tool: { name: string; version: string };
  run: { startedAt: string; finishedAt: string };
  phi: 'masked' | 'full';
  reference: {
    pack: { version: string; sha256: string; file: string | null; codes: number };
    mue: { file: string; kind: string; codes: number; rowsRejected: number } | null;
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

export interface NotCheckedReason {
  ruleId: string;
  reason: string;
  lines: number;
}

export interface Coverage {
  linesAudited: number;
  passed: number;
  failed: number;
  notChecked: number;
  /** Lines a rule could not check, by rule and reason (a line may appear under several). */
  notCheckedReasons: NotCheckedReason[];
}

export interface ViewInput {
  /** Every finding of the run, in any order: the view ranks them. */
  findings: Finding[];
  coverage: Coverage;
  totals: IngestTotals;
  manifest: Manifest;
  ingestIssues: IngestIssue[];
  rules: RuleDoc[];
  /** Short descriptor of a HCPCS code from the reference pack, for the code table. */
  describeCode: (code: string) => string | null;
  exitCode: number;
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
  dollarsAtRisk: number;
}

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
  /** Ranked: dollars at risk, then severity, claim id, line number, rule id, finding id. */
  findings: Finding[];
  totals: IngestTotals;
  findingTotals: {
    findings: number;
    bySeverity: Record<Finding['severity'], number>;
    /** Each line's dollars counted once: the largest amount at risk among its findings. */
    dollarsAtRisk: number;
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
}

const SEVERITY_RANK: Record<Finding['severity'], number> = { error: 0, warning: 1, info: 2 };

/** Money is summed in whole cents: no float drift across thousands of findings. */
const toCents = (dollars: number) => Math.round(dollars * 100);
const fromCents = (cents: number) => cents / 100;

/** A drug line of the run: its file and position, with its claim and line numbers. */
const lineKey = (f: Finding) => `${f.sourceRef.file}\u0000${f.sourceRef.byteOffset}\u0000${f.claimId}\u0000${f.lineNumber}`;
/** A claim of the run: the same claim id in two files is two claims (e.g. a resubmission). */
const claimKey = (f: Finding) => `${f.sourceRef.file}\u0000${f.claimId}`;

class GroupCounter {
  findings = 0;
  cents = 0;
  readonly claims = new Set<string>();
  readonly lines = new Set<string>();
  constructor(
    readonly key: string,
    readonly label: string,
    readonly detail: string | null,
  ) {}

  /** Findings arrive ranked, so a line's first finding in a group carries its largest amount. */
  add(finding: Finding, line: string, claim: string): void {
    this.findings++;
    this.claims.add(claim);
    if (!this.lines.has(line)) {
      this.lines.add(line);
      this.cents += toCents(finding.dollarsAtRisk);
    }
  }

  toGroup(): Group {
    return { key: this.key, label: this.label, detail: this.detail, findings: this.findings, claims: this.claims.size, lines: this.lines.size, dollarsAtRisk: fromCents(this.cents) };
  }
}

const byDollars = (a: Group, b: Group) => b.dollarsAtRisk - a.dollarsAtRisk || b.findings - a.findings || compareText(a.key, b.key);

function tally(counters: Map<string, GroupCounter>, key: string, label: () => string, detail: () => string | null): GroupCounter {
  let counter = counters.get(key);
  if (!counter) {
    counter = new GroupCounter(key, label(), detail());
    counters.set(key, counter);
  }
  return counter;
}

const PAYER_CLASS_LABEL: Record<PayerClass, string> = {
  medicare: 'Medicare',
  'medicare-advantage': 'Medicare Advantage',
  medicaid: 'Medicaid',
  commercial: 'Commercial',
  other: 'Other',
  unknown: 'Unknown class',
};

export function denialText(denial: { group: string | null; carc: string | null; rarc: string | null; verified: boolean } | null): string {
  if (!denial?.carc) return '';
  return `${denial.group ?? ''}-${denial.carc}${denial.rarc ? `/${denial.rarc}` : ''}${denial.verified ? '' : ' (unverified)'}`;
}

export function buildReportView(input: ViewInput): ReportView {
  const findings = [...input.findings].sort(compareFindings);
  const rulesById = new Map(input.rules.map((r) => [r.id, r]));
  const ruleCounters = new Map<string, GroupCounter>();
  const attributed = new Map<string, number>();
  const payers = new Map<string, GroupCounter>();
  const codes = new Map<string, GroupCounter>();
  const providers = new Map<string, GroupCounter>();
  const months = new Map<string, GroupCounter>();
  const linesSeen = new Set<string>();
  const claimsSeen = new Set<string>();
  const bySeverity: Record<Finding['severity'], number> = { error: 0, warning: 0, info: 0 };
  // A payer-class profile can change a rule's severity: the table shows the worst it reached.
  const worstSeverity = new Map<string, Finding['severity']>();
  let totalCents = 0;

  for (const f of findings) {
    const line = lineKey(f);
    const claim = claimKey(f);
    bySeverity[f.severity]++;
    const worst = worstSeverity.get(f.ruleId);
    if (worst === undefined || SEVERITY_RANK[f.severity] < SEVERITY_RANK[worst]) worstSeverity.set(f.ruleId, f.severity);
    claimsSeen.add(claim);
    tally(ruleCounters, f.ruleId, () => f.ruleId, () => rulesById.get(f.ruleId)?.title ?? null).add(f, line, claim);
    if (!linesSeen.has(line)) {
      linesSeen.add(line);
      const cents = toCents(f.dollarsAtRisk);
      totalCents += cents;
      attributed.set(f.ruleId, (attributed.get(f.ruleId) ?? 0) + cents);
    }
    const payerName = f.payerName ?? '(no payer name)';
    tally(payers, `${f.payerClass}\u0000${payerName}`, () => payerName, () => PAYER_CLASS_LABEL[f.payerClass]).add(f, line, claim);
    const code = f.code ?? '(no code)';
    tally(codes, code, () => code, () => (f.code ? input.describeCode(f.code) : null)).add(f, line, claim);
    const npi = f.billingNpi ?? '(no NPI)';
    tally(providers, `${npi}\u0000${f.billingName ?? ''}`, () => npi, () => f.billingName).add(f, line, claim);
    const month = f.serviceDate?.slice(0, 7) ?? '(no date)';
    tally(months, month, () => month, () => null).add(f, line, claim);
  }

  const ruleGroups: RuleGroup[] = [...ruleCounters.values()]
    .map((counter) => {
      const doc = rulesById.get(counter.key);
      return {
        ...counter.toGroup(),
        severity: worstSeverity.get(counter.key) ?? doc?.severity ?? 'warning',
        denial: denialText(doc?.denial ?? null),
        attributedDollars: fromCents(attributed.get(counter.key) ?? 0),
      };
    })
    .sort((a, b) => b.attributedDollars - a.attributedDollars || byDollars(a, b));
  const groups = (counters: Map<string, GroupCounter>) => [...counters.values()].map((c) => c.toGroup()).sort(byDollars);

  return {
    manifest: input.manifest,
    exitCode: input.exitCode,
    findings,
    totals: input.totals,
    findingTotals: {
      findings: findings.length,
      bySeverity,
      dollarsAtRisk: fromCents(totalCents),
      claimsAffected: claimsSeen.size,
      linesAffected: linesSeen.size,
    },
    coverage: input.coverage,
    groups: {
      rule: ruleGroups,
      payer: groups(payers),
      code: groups(codes),
      provider: groups(providers),
      month: [...months.values()].map((c) => c.toGroup()).sort((a, b) => compareText(a.key, b.key)),
    },
    ingestIssues: input.ingestIssues,
    rules: input.rules,
  };
}
