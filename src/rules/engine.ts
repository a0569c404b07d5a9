// The engine: runs line and claim rules as each claim streams, run rules over compact
// records after ingest, and stamps every finding (id, severity from the payer-class profile,
// denial codes, dollars, source). A rule that throws becomes a rule-crashed finding.
import { createHash } from 'node:crypto';
import type { Claim, Finding, PayerClass, SourceRef } from '../model/index.js';
import { normaliseNdc } from '../model/ndc.js';
import { mueTableFor, type Reference } from '../reference/index.js';
import { containerFor, paymentOn, priceOn } from '../reference/pack.js';
import { CLAIM_RULES, LINE_RULES, RULE_CRASHED, RUN_RULES } from './index.js';
import { isNotChecked, type DrugLine, type Report, type RuleMeta, type NotChecked, type RunLine, type RunReport, type Severity } from './types.js';

export interface NotCheckedEntry {
  ruleId: string;
  reason: string;
}

/** What a finding needs to know about its line, kept per drug line (member id unmasked: masked on output). */
export interface LineBase {
  claimId: string;
  lineNumber: number;
  claimType: Claim['claimType'];
  code: string | null;
  serviceDate: string | null;
  payerClass: PayerClass;
  payerName: string | null;
  billingNpi: string | null;
  /** The billing provider's organization or last name (2010AA NM103): a provider, not a patient. */
  billingName: string | null;
  memberId: string | null;
  modifiers: string[];
  units: number | null;
  unitBasis: string | null;
  billedCharge: number | null;
  expectedPayment: number | null;
  /** What the expected payment is priced on: asp, opps, or null when no rate is known. */
  paymentBasis: 'asp' | 'opps' | null;
  ndc: string | null;
  /** LIN03 as sent. */
  ndcAsSent: string | null;
  ndcQuantity: number | null;
  ndcUnit: string | null;
  sourceRef: SourceRef;
}

export interface LineOutcome {
  base: LineBase;
  run: Omit<RunLine, 'seq'>;
  findings: Finding[];
  notChecked: NotCheckedEntry[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Identical (rule, reason) pairs are one object: thousands of lines share a handful of reasons. */
const internedNotChecked = new Map<string, NotCheckedEntry>();
export function notCheckedEntry(ruleId: string, reason: string): NotCheckedEntry {
  const key = `${ruleId}\u0000${reason}`;
  let entry = internedNotChecked.get(key);
  if (!entry) {
    if (internedNotChecked.size > 100_000) internedNotChecked.clear();
    entry = Object.freeze({ ruleId, reason });
    internedNotChecked.set(key, entry);
  }
  return entry;
}

/** Why the rule cannot run on this input: a fact it needs is not in the input at all; else null. */
function unavailableReason(meta: RuleMeta, unavailable: Claim['unavailable']): string | null {
  if (!unavailable || !meta.needs) return null;
  for (const field of meta.needs) {
    const reason = unavailable[field];
    if (reason !== undefined) return reason;
  }
  return null;
}

function applies(meta: RuleMeta, subject: { payerClass: PayerClass; policy: DrugLine['policy'] }): boolean {
  if (subject.policy.rules[meta.id] === 'off') return false;
  return meta.appliesTo.includes('*') || meta.appliesTo.includes(subject.payerClass);
}

function render(template: string | undefined, data: Record<string, string | number | null> | undefined): string | null {
  if (template === undefined) return null;
  // {units:unit} is the number with its noun: "1 unit", "240 units".
  return template.replace(/\{(\w+)(?::(\w+))?\}/g, (_, key: string, noun: string | undefined) => {
    const value = data?.[key] ?? '';
    return noun === undefined ? String(value) : `${value} ${value === 1 ? noun : `${noun}s`}`;
  });
}

export function findingId(base: LineBase, ruleId: string, messageKey: string, data: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([base.claimId, base.lineNumber, base.code, base.serviceDate, ruleId, messageKey, data ?? null]))
    .digest('hex')
    .slice(0, 16);
}

export function makeFinding(meta: RuleMeta, report: Report, base: LineBase, policy: DrugLine['policy']): Finding | null {
  const override = policy.rules[meta.id];
  if (override === 'off') return null;
  const severity: Severity = override ?? report.severity ?? meta.severity;
  const data = report.data ?? {};
  let dollars = report.dollars;
  if (!dollars) {
    dollars = base.expectedPayment !== null ? { amount: base.expectedPayment, basis: 'expected-payment' } : { amount: Math.max(0, base.billedCharge ?? 0), basis: 'billed-charge' };
  }
  // The rule's "expected payment" is priced on the line's basis: ASP (professional) or OPPS.
  const dollarBasis = dollars.basis === 'billed-charge' ? 'billed-charge' : (base.paymentBasis ?? (base.claimType === 'professional' ? 'asp' : 'opps'));
  const confidence = report.confidence ?? (meta.denial.verified ? 'high' : 'medium');
  return {
    id: findingId(base, meta.id, report.messageKey, data),
    ruleId: meta.id,
    severity,
    confidence,
    denial: { group: meta.denial.group, carc: meta.denial.carc, rarc: meta.denial.rarc, verified: meta.denial.verified },
    claimId: base.claimId,
    lineNumber: base.lineNumber,
    code: base.code,
    serviceDate: base.serviceDate,
    payerClass: base.payerClass,
    payerName: base.payerName,
    billingNpi: base.billingNpi,
    billingName: base.billingName,
    memberId: base.memberId,
    modifiers: base.modifiers,
    units: base.units,
    billedCharge: base.billedCharge,
    expectedPayment: base.expectedPayment,
    ndc: base.ndc,
    ndcQuantity: base.ndcQuantity,
    ndcUnit: base.ndcUnit,
    messageKey: report.messageKey,
    data,
    message: render(meta.messages[report.messageKey], data) ?? report.messageKey,
    remediationKey: report.remediationKey ?? null,
    remediation: render(report.remediationKey ? meta.remediations[report.remediationKey] : undefined, report.remediationData ?? data),
    dollarsAtRisk: round2(Math.max(0, dollars.amount)),
    dollarBasis,
    evidence: { ...(report.evidence ?? {}), segmentIndex: base.sourceRef.segmentIndex ?? null, byteOffset: base.sourceRef.byteOffset },
    sourceRef: base.sourceRef,
  };
}

function crashed(ruleId: string, error: unknown, base: LineBase): Finding {
  const message = error instanceof Error ? error.message : String(error);
  const meta: RuleMeta = {
    id: RULE_CRASHED.id,
    title: RULE_CRASHED.title,
    category: 'engine',
    severity: RULE_CRASHED.severity,
    denial: { group: null, carc: null, rarc: null, verified: true },
    appliesTo: ['*'],
    scope: 'line',
    messages: { crashed: 'rule {rule} failed on this line: {error}' },
    remediations: { report: 'report this to the claim-audit maintainers with the line; the rule\'s check was not made' },
  };
  return makeFinding(meta, { messageKey: 'crashed', data: { rule: ruleId, error: message.slice(0, 200) }, remediationKey: 'report', dollars: { amount: 0, basis: 'expected-payment' }, confidence: 'low' }, base, { rules: {}, ndcRequired: 'off', jwJzRequired: false, priorAuthorization: { severity: 'off', codes: [] } })!;
}

/** The context a line rule sees, computed once per drug line. */
export function drugLineSubject(claim: Claim, index: number, reference: Reference, asOf: string | null): DrugLine {
  const line = claim.lines[index]!;
  const normalised = line.drug ? normaliseNdc(line.drug.ndc) : null;
  const ndc = normalised?.ok ? normalised.ndc : null;
  const code = line.hcpcs ? (reference.pack.codes[line.hcpcs] ?? null) : null;
  const date = line.serviceDate ?? asOf;
  return {
    claim,
    line,
    index,
    date,
    ndc,
    code,
    payment: code && date ? paymentOn(code, date, claim.claimType) : null,
    price: code && date ? priceOn(code, date) : null,
    container: code ? containerFor(code, ndc).value : null,
    payerClass: claim.payerClass,
    policy: reference.policies[claim.payerClass],
    reference,
  };
}

function lineBase(subject: DrugLine): LineBase {
  const { claim, line, payment } = subject;
  const rate = payment?.paymentPerUnit ?? null;
  const expected = rate !== null && line.units !== null && line.units > 0 ? round2(Math.min(line.charge !== null && line.charge > 0 ? line.charge : Infinity, line.units * rate)) : null;
  return {
    claimId: claim.claimId,
    lineNumber: line.lineNumber,
    claimType: claim.claimType,
    code: line.hcpcs,
    serviceDate: line.serviceDate,
    payerClass: claim.payerClass,
    payerName: claim.payerName,
    billingNpi: claim.billingProviderNpi,
    billingName: claim.billingProviderName,
    memberId: claim.memberId,
    modifiers: line.modifiers,
    units: line.units,
    unitBasis: line.unitBasis,
    billedCharge: line.charge,
    expectedPayment: expected,
    paymentBasis: expected === null ? null : (payment?.basis ?? null),
    ndc: subject.ndc,
    ndcAsSent: line.drug?.ndc ?? null,
    ndcQuantity: line.drug?.quantity ?? null,
    ndcUnit: line.drug?.unit ?? null,
    sourceRef: line.sourceRef,
  };
}

function mueFor(subject: DrugLine): { mue: RunLine['mue']; reason: string | null } {
  const hcpcs = subject.line.hcpcs ?? '';
  const fromPack = subject.code?.mue;
  if (fromPack) return { mue: { value: fromPack.value, mai: fromPack.mai }, reason: null };
  const table = mueTableFor(subject.reference, subject.claim.claimType);
  const fromTable = table?.entries.get(hcpcs);
  if (fromTable) return { mue: { value: fromTable.value, mai: fromTable.mai }, reason: null };
  if (table) return { mue: null, reason: `the MUE table ${table.file} has no ${hcpcs}` };
  const setting = subject.claim.claimType === 'professional' ? 'practitioner' : 'outpatient hospital';
  return { mue: null, reason: subject.reference.mue.length > 0 ? `no ${setting} MUE table loaded (--mue)` : 'no MUE table loaded (--mue)' };
}

/** Line and claim rules for one claim's drug lines (the indexes into claim.lines). */
export function auditClaim(claim: Claim, drugIndexes: number[], reference: Reference, asOf: string | null): LineOutcome[] {
  const subjects = drugIndexes.map((i) => drugLineSubject(claim, i, reference, asOf));
  const outcomes = new Map<number, LineOutcome>();
  for (const subject of subjects) {
    const { mue, reason } = mueFor(subject);
    outcomes.set(subject.index, {
      base: lineBase(subject),
      run: {
        claimId: claim.claimId,
        lineNumber: subject.line.lineNumber,
        memberKey: claim.memberId,
        hcpcs: subject.line.hcpcs,
        modifiers: subject.line.modifiers,
        units: subject.line.units,
        ndc: subject.ndc ?? subject.line.drug?.ndc ?? null,
        date: subject.date,
        frequencyCode: claim.frequencyCode,
        payerClass: claim.payerClass,
        mue,
        mueMissingReason: reason,
        frequencyLimits: subject.code?.frequencyLimits ?? [],
        ...(claim.unavailable ? { unavailable: claim.unavailable } : {}),
        crosses: [],
      },
      findings: [],
      notChecked: [],
    });
  }
  for (const subject of subjects) {
    const outcome = outcomes.get(subject.index)!;
    for (const rule of LINE_RULES) checkLine(rule.meta, outcome, subject, () => rule.check(subject));
  }
  for (const rule of CLAIM_RULES) {
    const applicable = subjects.filter((s) => applies(rule.meta, s));
    if (applicable.length === 0) continue;
    const absent = unavailableReason(rule.meta, claim.unavailable);
    if (absent !== null) {
      for (const subject of applicable) outcomes.get(subject.index)!.notChecked.push(notCheckedEntry(rule.meta.id, absent));
      continue;
    }
    try {
      const result = rule.check(applicable);
      for (const report of result.reports) {
        const outcome = outcomes.get(report.lineIndex ?? applicable[0]!.index)!;
        pushFinding(outcome, makeFinding(rule.meta, report, outcome.base, applicable[0]!.policy));
      }
      for (const { lineIndex, reason } of result.notChecked) outcomes.get(lineIndex)?.notChecked.push(notCheckedEntry(rule.meta.id, reason));
    } catch (error) {
      for (const subject of applicable) recordCrash(outcomes.get(subject.index)!, rule.meta.id, error);
    }
  }
  // What the rules across claims can tell from each line alone is decided here, with the claim;
  // the line remembers which of them still need the other lines of the run.
  for (const subject of subjects) {
    const outcome = outcomes.get(subject.index)!;
    for (const rule of RUN_RULES) {
      const local = rule.local;
      if (checkLine(rule.meta, outcome, subject, () => (local ? local(outcome.run) : null))) outcome.run.crosses.push(rule.meta.id);
    }
  }
  return subjects.map((s) => outcomes.get(s.index)!);
}

const RULE_FAILED = 'the rule failed (see the rule-crashed finding)';

/** A rule threw on the line: a rule-crashed finding, and the rule counts as not checked. */
function recordCrash(outcome: LineOutcome, ruleId: string, error: unknown): void {
  outcome.findings.push(crashed(ruleId, error, outcome.base));
  outcome.notChecked.push(notCheckedEntry(ruleId, RULE_FAILED));
}

/**
 * One rule on one line: skipped when it does not apply, not checked when a fact it needs is not
 * in the input, else `check`'s findings or reason. True when `check` gives null: a run rule's
 * local() leaving the line to the phase across claims.
 */
function checkLine(meta: RuleMeta, outcome: LineOutcome, subject: DrugLine, check: () => Report[] | NotChecked | null): boolean {
  if (!applies(meta, subject)) return false;
  const absent = unavailableReason(meta, subject.claim.unavailable);
  if (absent !== null) {
    outcome.notChecked.push(notCheckedEntry(meta.id, absent));
    return false;
  }
  try {
    const result = check();
    if (result === null) return true;
    if (isNotChecked(result)) outcome.notChecked.push(notCheckedEntry(meta.id, result.notChecked));
    else for (const report of result) pushFinding(outcome, makeFinding(meta, report, outcome.base, subject.policy));
  } catch (error) {
    recordCrash(outcome, meta.id, error);
  }
  return false;
}

function pushFinding(outcome: LineOutcome, finding: Finding | null): void {
  if (finding && !outcome.findings.some((f) => f.id === finding.id)) outcome.findings.push(finding);
}

/**
 * What the run rules found on a line, before the line's base is at hand: phase 2 of an audit
 * holds only the compact run records, and the pass that reads the line back makes the findings.
 */
export type RunDraft = { ruleId: string; report: Omit<RunReport, 'seq'> } | { ruleId: string; crashed: string };

export interface RunLineResult {
  drafts: RunDraft[];
  notChecked: NotCheckedEntry[];
}

/**
 * Run rules over compact records in input order (lines[i].seq must be i); results by seq, for
 * lines with any. A rule sees only the lines auditClaim left to it (RunLine.crosses): the
 * others it did not apply to, could not check, or decided alone (local).
 */
export function checkRun(lines: readonly RunLine[]): Map<number, RunLineResult> {
  const results = new Map<number, RunLineResult>();
  const resultOf = (seq: number) => {
    let result = results.get(seq);
    if (!result) {
      result = { drafts: [], notChecked: [] };
      results.set(seq, result);
    }
    return result;
  };
  for (const rule of RUN_RULES) {
    const eligible = lines.filter((l) => l.crosses.includes(rule.meta.id));
    try {
      const result = rule.check(eligible);
      for (const { seq, ...report } of result.reports) resultOf(seq).drafts.push({ ruleId: rule.meta.id, report });
      for (const { seq, reason } of result.notChecked) resultOf(seq).notChecked.push(notCheckedEntry(rule.meta.id, reason));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      for (const line of eligible) {
        const result = resultOf(line.seq);
        result.drafts.push({ ruleId: rule.meta.id, crashed: message });
        result.notChecked.push(notCheckedEntry(rule.meta.id, RULE_FAILED));
      }
    }
  }
  return results;
}

const RUN_RULE_META = new Map(RUN_RULES.map((rule) => [rule.meta.id, rule.meta]));

/** The findings of a line's run drafts, now that its base is at hand (none for a rule a payer turned off). */
export function runFindings(drafts: readonly RunDraft[], base: LineBase, reference: Reference): Finding[] {
  const findings: Finding[] = [];
  for (const draft of drafts) {
    const finding =
      'crashed' in draft
        ? crashed(draft.ruleId, new Error(draft.crashed), base)
        : makeFinding(RUN_RULE_META.get(draft.ruleId)!, draft.report, base, reference.policies[base.payerClass]);
    if (finding && !findings.some((f) => f.id === finding.id)) findings.push(finding);
  }
  return findings;
}

/** Run rules over every drug line of the run, in input order; outcomes[seq] is updated in place. */
export function auditRun(outcomes: LineOutcome[], reference: Reference): void {
  const lines: RunLine[] = outcomes.map((o, seq) => ({ ...o.run, seq }));
  for (const [seq, result] of checkRun(lines)) {
    const outcome = outcomes[seq]!;
    for (const finding of runFindings(result.drafts, outcome.base, reference)) pushFinding(outcome, finding);
    outcome.notChecked.push(...result.notChecked);
  }
}
