// The engine: runs the line and claim rules on each claim's drug lines as it streams, the
// cross-claim rules on the groups they declare, and stamps every finding (id, severity from the
// payer-class profile, denial codes, dollars, source). A rule that throws, or reports a message
// its metadata does not declare, becomes a rule-crashed finding and the run goes on.
import { createHash } from 'node:crypto';
import { settingOf, type AuditedLine, type Claim, type ServiceLine, type Finding, type GroupMembership, type LineFacts, type NotCheckedEntry, type PayerClass, type Setting } from '../model/index.js';
import { normaliseNdc } from '../model/ndc.js';
import { memberKey } from '../model/phi.js';
import type { Reference } from '../reference/index.js';
import { containerFor, jurisdictionOf, paymentOn, priceOn } from '../reference/pack.js';
import { CLAIM_RULES, CROSS_CLAIM_RULES, LINE_RULES, reasonOf, RULE_CRASHED } from './index.js';
import { fill, RuleContractError } from './template.js';

export { RuleContractError } from './template.js';
import { isNotChecked, type CrossClaimRule, type DrugLine, type Outcome, type Report, type RuleMeta, type Severity } from './types.js';

const round2 = (n: number) => Math.round(n * 100) / 100;


/**
 * Identical (rule, reason) pairs are one object: thousands of lines share a handful of reasons.
 * Looked up by rule, then by the rendered reason (a reason without data is its declared
 * template, a constant string whose hash V8 keeps, so no key is built and hashed on each line).
 */
const internedNotChecked = new Map<string, Map<string, NotCheckedEntry>>();
let internedCount = 0;
export function notCheckedEntry(meta: Pick<RuleMeta, 'id' | 'notChecked'>, key: string, data?: Record<string, string | number | null>): NotCheckedEntry {
  const decl = reasonOf(meta, key);
  if (decl === undefined) throw new RuleContractError(`${meta.id} gave the not-checked reason "${key}", which its metadata does not declare`);
  const reason = renderReason(meta.id, key, decl.message, data);
  let byReason = internedNotChecked.get(meta.id);
  if (!byReason) internedNotChecked.set(meta.id, (byReason = new Map()));
  let entry = byReason.get(reason);
  if (!entry || entry.key !== key) {
    if (++internedCount > 100_000) {
      internedNotChecked.clear();
      internedNotChecked.set(meta.id, (byReason = new Map()));
      internedCount = 1;
    }
    entry = Object.freeze(decl.fact ? { ruleId: meta.id, key, reason, fact: decl.fact } : { ruleId: meta.id, key, reason });
    byReason.set(reason, entry);
  }
  return entry;
}

/**
 * A reason's text: the same few are rendered on line after line ("container of J9035 unknown…"),
 * so each filled text is kept by its rule, key and data (the last 10,000; a template filled once).
 */
const renderedReasons = new Map<string, string>();
function renderReason(ruleId: string, key: string, template: string, data: Record<string, string | number | null> | undefined): string {
  if (data === undefined || !template.includes('{')) return fill(ruleId, 'not-checked reason', key, template, data ?? {});
  let id = `${ruleId}\u0000${key}`;
  // The value's type too: {n:unit} says "1 unit" of the number 1, and "1 units" of the text.
  for (const name in data) {
    const value = data[name];
    id += `\u0000${name}\u0001${value === null ? '' : typeof value === 'number' ? `n${value}` : `s${value}`}`;
  }
  let text = renderedReasons.get(id);
  if (text === undefined) {
    text = fill(ruleId, 'not-checked reason', key, template, data);
    if (renderedReasons.size >= 10_000) renderedReasons.clear();
    renderedReasons.set(id, text);
  }
  return text;
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

/**
 * Whether a rule applies to a line: its setting, then the payer class's profile (which may turn
 * the rule off, or on, with a severity, for a payer class the rule does not apply to by
 * default), then the rule's own payer classes.
 */
function applies(meta: RuleMeta, line: { payerClass: PayerClass; setting: Setting }, reference: Reference): boolean {
  if (meta.settings && !meta.settings.includes(line.setting)) return false;
  const override = reference.policies[line.payerClass].rules[meta.id];
  if (override !== undefined) return override !== 'off';
  return meta.appliesTo.includes('*') || meta.appliesTo.includes(line.payerClass);
}

/**
 * A message template filled with the report's data: {name} is data.name, {units:unit} the number
 * with its noun ("1 unit", "240 units"). A placeholder the data does not fill is the rule's
 * error, not an empty gap in a biller's message; a null value is shown empty.
 */
function render(meta: RuleMeta, kind: 'messages' | 'remediations', key: string, data: Record<string, string | number | null>): string {
  const what = kind === 'messages' ? 'message' : 'remediation';
  const template = meta[kind][key];
  if (template === undefined) throw new RuleContractError(`${meta.id} reported ${what} key "${key}", which its metadata does not declare`);
  return fill(meta.id, what, key, template, data);
}

/** The version of the finding fingerprint: a new way of identifying findings gets a new name. */
export const FINGERPRINT = 'claimLine/v1';

/**
 * A finding's fingerprint (claimLine/v1): the billing provider, the claim number (CLM01), the
 * line key (REF*6R, else code + date + waste flag + occurrence) and the rule; never the file,
 * the position or LX, so the same claim sent again, in another file or re-ordered, has the same
 * findings. `occurrence` tells apart a rule's second finding on one line.
 */
export function fingerprint(line: Pick<LineFacts, 'billingNpi' | 'claimId' | 'lineKey'>, ruleId: string, occurrence = 1): string {
  return createHash('sha256')
    .update(JSON.stringify([FINGERPRINT, line.billingNpi ?? '', line.claimId, line.lineKey, ruleId, occurrence]))
    .digest('hex');
}

/** The finding id: the first 16 hex digits of its fingerprint. */
export const idOf = (fingerprintHex: string) => fingerprintHex.slice(0, 16);

/**
 * A line's key within its claim (DESIGN.md, "Finding"): the line item control number (REF*6R)
 * when the provider gave one, else code + service date + waste flag (JW) + its occurrence among
 * the claim's lines with the same three.
 */
export function lineKeyOf(lines: readonly Pick<ServiceLine, 'hcpcs' | 'serviceDate' | 'modifiers' | 'controlNumber'>[], index: number): string {
  const line = lines[index]!;
  if (line.controlNumber) return `6R:${line.controlNumber}`;
  const waste = line.modifiers.includes('JW');
  let occurrence = 1;
  for (let j = 0; j < index; j++) {
    const other = lines[j]!;
    if (other.hcpcs === line.hcpcs && other.serviceDate === line.serviceDate && other.modifiers.includes('JW') === waste) occurrence++;
  }
  return `${line.hcpcs ?? ''}|${line.serviceDate ?? ''}|${waste ? 'JW' : ''}|${occurrence}`;
}

/** A finding stamped from a rule's report on a line; null when the payer class's profile turns the rule off. Throws RuleContractError. */
export function makeFinding(meta: RuleMeta, report: Report, line: LineFacts, reference: Reference): Finding | null {
  const override = reference.policies[line.payerClass].rules[meta.id];
  if (override === 'off') return null;
  const severity: Severity = override ?? report.severity ?? meta.severity;
  const data = report.data ?? {};
  const message = render(meta, 'messages', report.messageKey, data);
  const remediation = report.remediationKey ? render(meta, 'remediations', report.remediationKey, report.remediationData ?? data) : null;
  const dollarCategory = report.dollarCategory ?? meta.dollarCategory;
  if (dollarCategory !== meta.dollarCategory && !meta.otherDollarCategories?.includes(dollarCategory)) throw new RuleContractError(`${meta.id} reported dollar category "${dollarCategory}", which its metadata does not declare`);
  let dollars = report.dollars;
  if (!dollars) {
    dollars = line.expectedPayment !== null ? { amount: line.expectedPayment, basis: 'expected-payment' } : { amount: Math.max(0, line.billedCharge ?? 0), basis: 'billed-charge' };
  }
  // The rule's "expected payment" is priced on the line's basis: ASP (professional) or OPPS.
  const dollarBasis = dollars.basis === 'billed-charge' ? 'billed-charge' : (line.paymentBasis ?? (line.claimType === 'professional' ? 'asp' : 'opps'));
  const confidence = report.confidence ?? (meta.denial.verified ? 'high' : 'medium');
  const print = fingerprint(line, meta.id);
  return {
    id: idOf(print),
    fingerprints: { [FINGERPRINT]: print },
    ruleId: meta.id,
    severity,
    confidence,
    denial: { group: meta.denial.group, carc: meta.denial.carc, rarc: meta.denial.rarc, verified: meta.denial.verified },
    claimId: line.claimId,
    lineNumber: line.lineNumber,
    lineKey: line.lineKey,
    code: line.code,
    serviceDate: line.serviceDate,
    payerClass: line.payerClass,
    payerName: line.payerName,
    setting: line.setting,
    owner: meta.owner,
    billingNpi: line.billingNpi,
    billingName: line.billingName,
    memberId: line.memberId,
    modifiers: line.modifiers,
    units: line.units,
    billedCharge: line.billedCharge,
    expectedPayment: line.expectedPayment,
    ndc: line.ndc,
    ndcQuantity: line.ndcQuantity,
    ndcUnit: line.ndcUnit,
    messageKey: report.messageKey,
    data,
    message,
    remediationKey: report.remediationKey ?? null,
    remediation,
    dollarsAtRisk: round2(Math.max(0, dollars.amount)),
    dollarCategory,
    dollarBasis,
    evidence: { ...(report.evidence ?? {}), segmentIndex: line.sourceRef.segmentIndex ?? null, byteOffset: line.sourceRef.byteOffset },
    sourceRef: line.sourceRef,
  };
}

/** The rule-crashed finding for a rule that failed on the line. */
function crashed(ruleId: string, error: unknown, line: LineFacts, reference: Reference): Finding {
  const message = error instanceof Error ? error.message : String(error);
  return makeFinding(RULE_CRASHED, { messageKey: 'crashed', data: { rule: ruleId, error: message.slice(0, 200) }, remediationKey: 'report', dollars: { amount: 0, basis: 'expected-payment' }, confidence: 'low' }, line, reference)!;
}

/** The claim's A/B MAC: the billing provider's state's, else --mac (or the profile's); null when neither is known. */
function jurisdictionFor(claim: Claim, reference: Reference): DrugLine['jurisdiction'] {
  const state = claim.billingProviderState ?? null;
  const byState = jurisdictionOf(reference.pack, state);
  if (byState) return { mac: byState, basis: 'billing-state', state };
  const given = jurisdictionOf(reference.pack, reference.mac);
  return given ? { mac: given, basis: 'setting', state } : null;
}

/** The context a line rule sees, computed once per drug line. */
export function drugLineSubject(claim: Claim, index: number, reference: Reference, asOf: string | null): DrugLine {
  const line = claim.lines[index]!;
  const normalised = line.drug ? normaliseNdc(line.drug.ndc) : null;
  const ndc = normalised?.ok ? normalised.ndc : null;
  const code = line.hcpcs ? (reference.pack.codes[line.hcpcs] ?? null) : null;
  const date = line.serviceDate ?? asOf;
  const setting = settingOf(claim);
  const price = code && date ? priceOn(code, date) : null;
  const container = code ? containerFor(code, ndc) : null;
  return {
    claim,
    line,
    index,
    date,
    ndc,
    code,
    payment: code && date ? paymentOn(code, date, setting) : null,
    price,
    packaged: setting === 'outpatient-hospital' && price?.price.statusIndicator === 'N',
    container: container?.value ?? null,
    containerFact: container,
    jurisdiction: jurisdictionFor(claim, reference),
    payerClass: claim.payerClass,
    setting,
    policy: reference.policies[claim.payerClass],
    reference,
  };
}

function lineFacts(subject: DrugLine, member: string | null): LineFacts {
  const { claim, line, payment } = subject;
  const rate = payment?.paymentPerUnit ?? null;
  const expected = rate !== null && line.units !== null && line.units > 0 ? round2(Math.min(line.charge !== null && line.charge > 0 ? line.charge : Infinity, line.units * rate)) : null;
  return {
    claimId: claim.claimId,
    lineNumber: line.lineNumber,
    lineKey: lineKeyOf(claim.lines, subject.index),
    claimType: claim.claimType,
    setting: subject.setting,
    frequencyCode: claim.frequencyCode,
    originalClaimRef: claim.originalClaimRef,
    code: line.hcpcs,
    serviceDate: line.serviceDate,
    date: subject.date,
    payerClass: claim.payerClass,
    payerName: claim.payerName,
    billingNpi: claim.billingProviderNpi,
    renderingNpi: line.renderingNpi ?? claim.renderingProviderNpi ?? null,
    billingName: claim.billingProviderName,
    memberId: claim.memberId,
    memberKey: member,
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
    ...(claim.unavailable ? { unavailable: claim.unavailable } : {}),
  };
}

/** A rule's reports stamped onto a line; a contract error makes the line's rule-crashed finding instead. */
function addReports(audited: AuditedLine, meta: RuleMeta, reports: readonly Report[], reference: Reference): void {
  for (const report of reports) {
    try {
      addFinding(audited, makeFinding(meta, report, audited.facts, reference));
    } catch (error) {
      if (!(error instanceof RuleContractError)) throw error;
      recordCrash(audited, meta.id, error, reference);
    }
  }
}

function addFinding(audited: Pick<AuditedLine, 'findings'>, finding: Finding | null): void {
  if (!finding) return;
  // The same report twice is one finding.
  if (audited.findings.some((f) => f.id === finding.id && f.message === finding.message && f.dollarsAtRisk === finding.dollarsAtRisk)) return;
  // A rule's second finding on the line (another modifier, another rule crashing) is told apart by its occurrence.
  for (let occurrence = 2; audited.findings.some((f) => f.id === finding.id); occurrence++) {
    const print = fingerprint(finding, finding.ruleId, occurrence);
    finding.id = idOf(print);
    finding.fingerprints = { [FINGERPRINT]: print };
  }
  audited.findings.push(finding);
}

/** A rule failed on the line: a rule-crashed finding, and the rule counts as not checked. */
function recordCrash(audited: AuditedLine, ruleId: string, error: unknown, reference: Reference): void {
  addFinding(audited, crashed(ruleId, error, audited.facts, reference));
  if (!audited.notChecked.some((n) => n.ruleId === ruleId && n.key === 'rule-failed')) audited.notChecked.push(notCheckedEntry({ id: ruleId }, 'rule-failed'));
}

/**
 * One rule's outcome on one line: skipped when it does not apply, not checked when a fact it
 * needs is not in the input, else its findings or reason. True when the rule ran and gave no
 * reason not to check the line.
 */
function checkLine(meta: RuleMeta, audited: AuditedLine, reference: Reference, check: () => Outcome): boolean {
  if (!applies(meta, audited.facts, reference)) return false;
  const absent = unavailableReason(meta, audited.facts.unavailable);
  if (absent !== null) {
    audited.notChecked.push(notCheckedEntry(meta, 'input-unavailable', { why: absent }));
    return false;
  }
  try {
    const outcome = check();
    if (isNotChecked(outcome)) {
      audited.notChecked.push(notCheckedEntry(meta, outcome.notChecked, outcome.data));
      return false;
    }
    addReports(audited, meta, outcome, reference);
    return true;
  } catch (error) {
    recordCrash(audited, meta.id, error, reference);
    return false;
  }
}

/**
 * The line and claim rules on one claim's drug lines (indexes into claim.lines), and what the
 * cross-claim rules can tell from each line alone; each line says which cross-claim groups it
 * still takes part in.
 */
export function auditClaim(claim: Claim, drugIndexes: readonly number[], reference: Reference, asOf: string | null, memberSalt?: string): AuditedLine[] {
  const subjects = drugIndexes.map((i) => drugLineSubject(claim, i, reference, asOf));
  // One keyed hash a claim: its lines share the member.
  const member = memberKey(claim.memberId, memberSalt);
  const lines: AuditedLine[] = subjects.map((subject) => ({ facts: lineFacts(subject, member), findings: [], notChecked: [], groups: [] }));
  const byIndex = new Map(subjects.map((subject, i) => [subject.index, lines[i]!]));
  subjects.forEach((subject, i) => {
    for (const rule of LINE_RULES) checkLine(rule.meta, lines[i]!, reference, () => rule.check(subject));
  });
  for (const rule of CLAIM_RULES) {
    const applicable = subjects.filter((s) => applies(rule.meta, s, reference));
    if (applicable.length === 0) continue;
    const absent = unavailableReason(rule.meta, claim.unavailable);
    if (absent !== null) {
      for (const subject of applicable) byIndex.get(subject.index)!.notChecked.push(notCheckedEntry(rule.meta, 'input-unavailable', { why: absent }));
      continue;
    }
    try {
      const result = rule.check(applicable);
      for (const report of result.reports) addReports(byIndex.get(report.lineIndex ?? applicable[0]!.index)!, rule.meta, [report], reference);
      for (const { lineIndex, key, data } of result.notChecked) byIndex.get(lineIndex)?.notChecked.push(notCheckedEntry(rule.meta, key, data));
    } catch (error) {
      for (const subject of applicable) recordCrash(byIndex.get(subject.index)!, rule.meta.id, error, reference);
    }
  }
  lines.forEach((audited, i) => {
    const subject = subjects[i]!;
    for (const rule of CROSS_CLAIM_RULES) {
      const facts = audited.facts;
      if (!checkLine(rule.meta, audited, reference, () => (rule.checkLine ? rule.checkLine(facts, reference, subject) : []))) continue;
      let key: string | null;
      try {
        key = rule.groupBy(facts, reference, subject);
      } catch (error) {
        recordCrash(audited, rule.meta.id, error, reference);
        continue;
      }
      if (key !== null) audited.groups.push(groupMembership(rule.meta.id, key));
    }
  });
  return lines;
}

/** A claim's part in a cross-claim group beyond its drug lines: facts to group, never a line of the outputs. */
export interface GroupMark {
  facts: LineFacts;
  groups: GroupMembership[];
}

/**
 * The marker members a claim gives the cross-claim rules that ask for them (an administration
 * service another claim's drug line needs), whether or not it has drug lines. A rule that
 * throws here marks nothing: its lines are judged without the claim's part.
 */
export function markClaim(claim: Claim, reference: Reference, memberSalt?: string): GroupMark[] {
  const marks = new Map<number, GroupMark>();
  let member: string | null | undefined;
  const memberOf = () => (member === undefined ? (member = memberKey(claim.memberId, memberSalt)) : member);
  for (const rule of CROSS_CLAIM_RULES) {
    if (!rule.marks) continue;
    let found: Array<{ lineIndex: number; key: string }>;
    try {
      found = rule.marks(claim, reference, memberOf);
    } catch {
      continue;
    }
    for (const { lineIndex, key } of found) {
      let mark = marks.get(lineIndex);
      if (!mark) marks.set(lineIndex, (mark = { facts: markerFacts(claim, lineIndex), groups: [] }));
      mark.groups.push(groupMembership(rule.meta.id, key));
    }
  }
  return [...marks.values()];
}

/**
 * A marker's facts: which claim and line it is, and that it is a marker; nothing else. A marker
 * is never reported on or written out: a check sees only that it is one (drug-without-
 * administration), and the lineage its claim (billing NPI and claim id). No member id, no
 * price, no NDC: a claim with an administration on every line (an infusion center's) makes one
 * a day, and they were half of a drug-heavy run's group records.
 */
function markerFacts(claim: Claim, index: number): LineFacts {
  return { claimId: claim.claimId, lineNumber: claim.lines[index]!.lineNumber, billingNpi: claim.billingProviderNpi, marker: 'administration' } as Pick<LineFacts, 'claimId' | 'lineNumber' | 'billingNpi' | 'marker'> as LineFacts;
}

/** Identical memberships are one object (a member's lines share their keys). */
const groupMembership = (ruleId: string, key: string): GroupMembership => ({ ruleId, key });

const CROSS_CLAIM = new Map<string, CrossClaimRule>(CROSS_CLAIM_RULES.map((rule) => [rule.meta.id, rule]));

/** The fewest members a group of the rule must have to be checked (CrossClaimRule.minGroup). */
export const minGroup = (ruleId: string): number => CROSS_CLAIM.get(ruleId)?.minGroup ?? 1;

/** What a cross-claim group's check said of one of its lines (by index in the group). */
export interface GroupResult {
  index: number;
  findings: Finding[];
  notChecked: NotCheckedEntry[];
}

/**
 * One cross-claim rule on one of its groups: the lines with the same key, in input order. Its
 * findings are stamped here; a rule that throws gives each line of the group a rule-crashed finding.
 */
export function checkGroup(ruleId: string, group: readonly LineFacts[], reference: Reference): GroupResult[] {
  const rule = CROSS_CLAIM.get(ruleId);
  if (!rule) throw new Error(`no cross-claim rule ${ruleId}`);
  const results = new Map<number, AuditedLine>();
  const resultOf = (index: number) => {
    let result = results.get(index);
    if (!result) results.set(index, (result = { facts: group[index]!, findings: [], notChecked: [], groups: [] }));
    return result;
  };
  try {
    const outcome = rule.check(group, reference);
    for (const report of outcome.reports) addReports(resultOf(report.lineIndex ?? 0), rule.meta, [report], reference);
    for (const { lineIndex, key, data } of outcome.notChecked) resultOf(lineIndex).notChecked.push(notCheckedEntry(rule.meta, key, data));
  } catch (error) {
    group.forEach((_, index) => recordCrash(resultOf(index), ruleId, error, reference));
  }
  return [...results].sort((a, b) => a[0] - b[0]).map(([index, { findings, notChecked }]) => ({ index, findings, notChecked }));
}

/** A group's result joined to its line: findings not already there, and reasons. */
export function joinGroupResult(line: Pick<AuditedLine, 'findings' | 'notChecked'>, result: Pick<GroupResult, 'findings' | 'notChecked'>): void {
  for (const finding of result.findings) addFinding(line, finding);
  line.notChecked.push(...result.notChecked);
}
