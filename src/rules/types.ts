// The rule contract (DESIGN.md, STYLE.md): metadata first, then check(). A rule reports a
// message key and data; the engine stamps ids, severity, denial codes, dollars and sources,
// renders the messages, contains a rule that throws, and sorts deterministically.
import type { Claim, DollarCategory, Finding, LineFacts, MissingFact, PayerClass, ServiceLine, Setting, Severity, SourceField } from '../model/index.js';
import type { Reference } from '../reference/index.js';
import type { ContainerFact, PaymentLookup, PriceLookup } from '../reference/pack.js';
import type { EffectivePolicy } from '../reference/profiles.js';
import type { Code, ContainerKind, MacJurisdiction } from '../reference/schema.js';

export type { Severity } from '../model/index.js';
export type FindingConfidence = 'high' | 'medium' | 'low';
/** The work queues of a revenue-cycle team. */
export type Owner = Finding['owner'];
export type RuleCategory = 'coding' | 'units' | 'modifiers' | 'ndc' | 'coverage' | 'authorization' | 'charges' | 'duplicates' | 'engine';

export interface Denial {
  /** CO (contractual obligation) unless said otherwise. */
  group: 'CO' | 'PR' | 'OA' | null;
  carc: string | null;
  rarc: string | null;
  /** False where the code payers emit is not verified (DOMAIN.md); the finding says so. */
  verified: boolean;
}

export interface RuleMeta {
  /** Equals the file name. */
  id: string;
  title: string;
  category: RuleCategory;
  /** Default severity; a payer-class profile may change it. */
  severity: Severity;
  denial: Denial;
  /** Payer classes the rule applies to; '*' for all (profiles may turn it off). */
  appliesTo: readonly (PayerClass | '*')[];
  /**
   * Settings the rule applies to (absent: every setting). A line in another setting is not
   * checked by the rule: no finding, and nothing to pass (DOMAIN.md, section 10).
   */
  settings?: readonly Setting[];
  /** The queue its findings go to: who fixes them. */
  owner: Owner;
  /** Which money its findings' dollars are. */
  dollarCategory: DollarCategory;
  /** Other categories a report of the rule may name (units over the dose: overpayment, under it: underbilling). */
  otherDollarCategories?: readonly DollarCategory[];
  /** line: one drug line; claim: the drug lines of one claim; cross-claim: groups of drug lines across claims. */
  scope: 'line' | 'claim' | 'cross-claim';
  /** Facts the rule reads; where the input cannot carry one (Claim.unavailable) the rule is not checked. */
  needs?: readonly SourceField[];
  /** Message templates by key: {name} is replaced with data.name. */
  messages: Record<string, string>;
  /** Remediation templates by key. */
  remediations: Record<string, string>;
  /**
   * Why the rule may leave a line not checked, by key (the engine rejects an undeclared one, as
   * it does message keys). The engine's own reasons (ENGINE_NOT_CHECKED) need no declaring.
   */
  notChecked?: Record<string, NotCheckedReasonDecl>;
}

/** One reason a rule may not check a line. */
export interface NotCheckedReasonDecl {
  /** The reason as a line shows it: a template, {name} filled from the data as in messages. */
  message: string;
  /** The fact whose absence it is (counted in "what limited the checks"); none for the engine's "the rule failed". */
  fact?: MissingFact;
  /** True when the user can remove it by loading data (an MUE table, a MAC's list, a payer profile, a crosswalk, --mac). */
  loadable: boolean;
  /**
   * The reason as the coverage tables count it, one row for every line it kept: the message
   * without its line's particulars. Absent: the message with {code} as "the code", {ndc} as
   * "the NDC", {quarter} as "the quarter", {date} as "the date" (reasonSummary).
   */
  summary?: string;
}

/** Everything a line rule may need, computed once per drug line by the engine. */
export interface DrugLine {
  claim: Claim;
  line: ServiceLine;
  /** Index of the line in claim.lines. */
  index: number;
  /** The service date, or --as-of; null when neither is known. */
  date: string | null;
  /** The 11-digit NDC when LIN03 normalises; null otherwise. */
  ndc: string | null;
  code: Code | null;
  /** What the payer pays per billing unit on this claim's setting: ASP (professional) or OPPS (837I). */
  payment: PaymentLookup | null;
  /** The OPPS Addendum B row (status indicator), whatever the setting. */
  price: PriceLookup | null;
  /** OPPS packages the drug on this claim: status N, on a hospital outpatient claim (not separately paid). */
  packaged: boolean;
  container: ContainerKind | null;
  /** How the container is known (a label, CMS's JW/JZ list), with its source. */
  containerFact: ContainerFact | null;
  /** The claim's A/B MAC: by the billing provider's state, or as --mac/the profile set it; null when neither is known. */
  jurisdiction: { mac: MacJurisdiction; basis: 'billing-state' | 'setting'; state: string | null } | null;
  payerClass: PayerClass;
  setting: Setting;
  policy: EffectivePolicy;
  reference: Reference;
}

export interface Report {
  /** A key of meta.messages. */
  messageKey: string;
  data?: Record<string, string | number | null>;
  /** A key of meta.remediations, with its data. */
  remediationKey?: string;
  remediationData?: Record<string, string | number | null>;
  /** The drug line the finding is about: its index in claim.lines (claim rules) or in the group (cross-claim rules); the checked line for line rules. */
  lineIndex?: number;
  /** Overrides the default dollars (expected payment for the line). */
  dollars?: { amount: number; basis: 'expected-payment' | 'billed-charge' };
  /** Overrides the rule's dollar category for this report. */
  dollarCategory?: DollarCategory;
  /** Overrides the rule's severity for this report (e.g. MAI 3 is a warning). */
  severity?: Severity;
  /** Lowers confidence for inferred facts. */
  confidence?: FindingConfidence;
  /** Values that triggered the finding. */
  evidence?: Record<string, string | number | boolean | null | string[]>;
}

/** A rule could not run for this subject: a key of meta.notChecked, with the data its template takes. */
export interface NotChecked {
  notChecked: string;
  data?: Record<string, string | number | null>;
}

/** A claim or cross-claim rule's reason not to check one of its lines: a key of meta.notChecked. */
export interface LineNotChecked {
  lineIndex: number;
  key: string;
  data?: Record<string, string | number | null>;
}

export type Outcome = Report[] | NotChecked;

export interface LineRule {
  meta: RuleMeta & { scope: 'line' };
  check(subject: DrugLine): Outcome;
}

export interface ClaimRule {
  meta: RuleMeta & { scope: 'claim' };
  /** All the claim's drug lines (of the payer classes the rule applies to); reports name their lineIndex. */
  check(lines: DrugLine[]): { reports: Report[]; notChecked: LineNotChecked[] };
}

/**
 * A rule across claims (duplicates, units per day, frequency). It declares the key it groups
 * lines by, and sees one group at a time: the lines of that key, in input order, nothing else.
 */
export interface CrossClaimRule {
  meta: RuleMeta & { scope: 'cross-claim' };
  /** What the rule can tell from a line alone (an MUE per line; no MUE to check against), its claim at hand. */
  checkLine?(line: LineFacts, reference: Reference, subject: DrugLine): Outcome;
  /**
   * The group the line is checked in, or null when it takes no part (a void claim, no
   * service date). Called only for lines checkLine left without a reason not to check, in the
   * claim stage, the line's claim at hand.
   */
  groupBy(line: LineFacts, reference: Reference, subject: DrugLine): string | null;
  /**
   * The groups a claim takes part in beyond its drug lines (an administration service that
   * another claim's drug needs): each a line of the claim and a key, given as a marker member
   * (LineFacts.marker) that the check sees and never reports on. `memberKey` makes the claim's
   * member key when asked (a keyed hash: most claims mark nothing and never need it).
   */
  marks?(claim: Claim, reference: Reference, memberKey: () => string | null): Array<{ lineIndex: number; key: string }>;
  /**
   * The fewest members a group must have for check to say anything (duplicates compare two);
   * a smaller group is not checked. Default 1. A test holds check silent below it.
   */
  minGroup?: number;
  /** One group; reports and reasons name a line by its index in the group. */
  check(group: readonly LineFacts[], reference: Reference): { reports: Report[]; notChecked: LineNotChecked[] };
}

export type Rule = LineRule | ClaimRule | CrossClaimRule;

export function isNotChecked(outcome: Outcome): outcome is NotChecked {
  return !Array.isArray(outcome);
}

/** Not checked, for the reason `key` (declared in the rule's meta.notChecked), its template filled from `data`. */
export const notChecked = (key: string, data?: Record<string, string | number | null>): NotChecked => (data ? { notChecked: key, data } : { notChecked: key });
