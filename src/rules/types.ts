// The rule contract (DESIGN.md, STYLE.md): metadata first, then check(). A rule reports a
// message key and data; the engine stamps ids, severity, denial codes, dollars and sources,
// renders the messages, contains a rule that throws, and sorts deterministically.
import type { Claim, PayerClass, ServiceLine, SourceField } from '../model/index.js';
import type { Reference } from '../reference/index.js';
import type { PaymentLookup, PriceLookup } from '../reference/pack.js';
import type { EffectivePolicy } from '../reference/profiles.js';
import type { Code, ContainerKind } from '../reference/schema.js';

export type Severity = 'error' | 'warning' | 'info';
export type FindingConfidence = 'high' | 'medium' | 'low';
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
  /** line: one drug line; claim: the drug lines of one claim; run: drug lines across the run. */
  scope: 'line' | 'claim' | 'run';
  /** Facts the rule reads; where the input cannot carry one (Claim.unavailable) the rule is not checked. */
  needs?: readonly SourceField[];
  /** Message templates by key: {name} is replaced with data.name. */
  messages: Record<string, string>;
  /** Remediation templates by key. */
  remediations: Record<string, string>;
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
  container: ContainerKind | null;
  payerClass: PayerClass;
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
  /** The drug line the finding is about (claim rules); the checked line for line rules. */
  lineIndex?: number;
  /** Overrides the default dollars (expected payment for the line). */
  dollars?: { amount: number; basis: 'expected-payment' | 'billed-charge' };
  /** Overrides the rule's severity for this report (e.g. MAI 3 is a warning). */
  severity?: Severity;
  /** Lowers confidence for inferred facts. */
  confidence?: FindingConfidence;
  /** Values that triggered the finding. */
  evidence?: Record<string, string | number | boolean | null | string[]>;
}

/** A rule could not run for this subject, and why. */
export interface NotChecked {
  notChecked: string;
}

export type Outcome = Report[] | NotChecked;

export interface LineRule {
  meta: RuleMeta & { scope: 'line' };
  check(subject: DrugLine): Outcome;
}

export interface ClaimRule {
  meta: RuleMeta & { scope: 'claim' };
  /** All the claim's drug lines (of the payer classes the rule applies to); reports name their lineIndex. */
  check(lines: DrugLine[]): { reports: Report[]; notChecked: Array<{ lineIndex: number; reason: string }> };
}

/** A compact drug-line record kept after ingest for rules across claims. */
export interface RunLine {
  /** Position in the run's drug-line list (input order). */
  seq: number;
  claimId: string;
  lineNumber: number;
  memberKey: string | null;
  hcpcs: string | null;
  modifiers: string[];
  units: number | null;
  /** NDC as normalised, else as sent: two lines of one NOC code with different NDCs are different drugs. */
  ndc: string | null;
  date: string | null;
  frequencyCode: string | null;
  payerClass: PayerClass;
  mue: { value: number; mai: 1 | 2 | 3 } | null;
  /** Why there is no MUE (no table loaded, or the table lacks the code). */
  mueMissingReason: string | null;
  frequencyLimits: Code['frequencyLimits'];
  /** Claim.unavailable of the line's claim, when set. */
  unavailable?: Claim['unavailable'];
  /** The run rules whose check() needs this line (set by auditClaim; the others decided it alone). */
  crosses: string[];
}

export interface RunReport extends Omit<Report, 'lineIndex'> {
  /** The RunLine the finding is attached to. */
  seq: number;
}

export interface RunRule {
  meta: RuleMeta & { scope: 'run' };
  /**
   * What the rule can tell from the line alone, decided as the claim is read: its findings or
   * why it is not checked (the line then stays out of check), or null when the line needs the
   * other lines of the run. Lines decided here never travel to the phase across claims.
   */
  local?(line: Omit<RunLine, 'seq'>): Report[] | NotChecked | null;
  check(lines: readonly RunLine[]): { reports: RunReport[]; notChecked: Array<{ seq: number; reason: string }> };
}

export type Rule = LineRule | ClaimRule | RunRule;

export function isNotChecked(outcome: Outcome): outcome is NotChecked {
  return !Array.isArray(outcome);
}

export const notChecked = (reason: string): NotChecked => ({ notChecked: reason });
