// A small rule tester (ESLint's RuleTester in spirit): claims built from a few overrides,
// run through the real engine, and compared by rule id, message key, data and severity. Its
// inputs (the claims and the reference) are deep-frozen, as RuleTester freezes the AST: a rule
// that writes to what it is given throws. A row says which of three outcomes it expects: the
// rule passed the lines, failed them (message keys), or could not check them (reason keys).
import { fileURLToPath } from 'node:url';
import type { Claim, Diagnosis, ServiceLine } from '../../src/model/index.js';
import { loadReference, type Reference, type ReferenceFiles } from '../../src/reference/index.js';
import { auditClaims } from '../../src/exec/memory.js';
import { auditClaim } from '../../src/rules/engine.js';
import { deepFreeze } from '../../src/exec/memory.js';

export interface LineSpec {
  hcpcs?: string | null;
  modifiers?: string[];
  units?: number | null;
  charge?: number | null;
  date?: string | null;
  pointers?: number[];
  /** null: no LIN/CTP at all. */
  ndc?: string | null;
  ndcQualifier?: string;
  ndcQuantity?: number | null;
  ndcUnit?: string | null;
  priorAuthorization?: string | null;
  lineNumber?: number;
  /** REF*6R: the line item control number. */
  controlNumber?: string | null;
  /** SV105 (837P): the line's place of service (default: the claim's). */
  placeOfService?: string;
}

export interface ClaimSpec {
  claimId?: string;
  claimType?: Claim['claimType'];
  /** 2010AA NM109 (default 1234567893). */
  billingNpi?: string | null;
  /** 2310B NM1*82: the claim's rendering provider NPI (default: none). */
  renderingNpi?: string | null;
  /** 2010AA N402: the billing provider's state, which selects its A/B MAC (default: unknown). */
  billingState?: string | null;
  /** CLM05-1: the place of service (837P) or the facility type code, the bill type's first two digits (837I: 13 outpatient hospital, 85 CAH, 11 inpatient…). */
  facilityCode?: string;
  payerClass?: Claim['payerClass'];
  memberId?: string | null;
  diagnoses?: string[];
  priorAuthorization?: string | null;
  frequencyCode?: string;
  /** REF*F8: the claim a replacement or void stands in for. */
  originalClaimRef?: string | null;
  lines?: LineSpec[];
}

/** Defaults: a correct Medicare 837P nivolumab line, 240 mg from a 240 mg single-dose vial, JZ. */
export function buildClaim(spec: ClaimSpec = {}): Claim {
  const diagnoses: Diagnosis[] = (spec.diagnoses ?? ['C3490']).map((code, i) => ({ qualifier: i === 0 ? 'ABK' : 'ABF', code }));
  const lines: ServiceLine[] = (spec.lines ?? [{}]).map((l, i) => {
    const ndc = l.ndc === undefined ? '00003373413' : l.ndc;
    return {
      lineNumber: l.lineNumber ?? i + 1,
      segment: spec.claimType === 'institutional' ? 'SV2' : 'SV1',
      revenueCode: spec.claimType === 'institutional' ? '0636' : null,
      procedureQualifier: 'HC',
      hcpcs: l.hcpcs === undefined ? 'J9299' : l.hcpcs,
      modifiers: l.modifiers ?? ['JZ'],
      description: null,
      units: l.units === undefined ? 240 : l.units,
      unitBasis: 'UN',
      charge: l.charge === undefined ? 8200 : l.charge,
      serviceDate: l.date === undefined ? '2025-03-11' : l.date,
      serviceDateTo: null,
      serviceDateSource: 'line',
      placeOfService: spec.claimType === 'institutional' ? null : (l.placeOfService ?? spec.facilityCode ?? '11'),
      diagnosisPointers: l.pointers ?? [1],
      priorAuthorization: l.priorAuthorization ?? null,
      controlNumber: l.controlNumber ?? null,
      drug:
        ndc === null
          ? null
          : { qualifier: l.ndcQualifier ?? 'N4', ndc, quantity: l.ndcQuantity === undefined ? 24 : l.ndcQuantity, unit: l.ndcUnit === undefined ? 'ML' : l.ndcUnit, sourceRef: { file: 'test.edi', byteOffset: 0 } },
      sourceRef: { file: 'test.edi', segmentIndex: 10 + i * 5, byteOffset: 100 * (i + 1) },
    };
  });
  return {
    claimId: spec.claimId ?? 'C1',
    claimType: spec.claimType ?? 'professional',
    implementation: '005010X222A1',
    payerClass: spec.payerClass ?? 'medicare',
    claimFilingIndicator: null,
    payerName: 'TEST PAYER',
    payerId: '1',
    memberId: spec.memberId === undefined ? 'MEMBER0001' : spec.memberId,
    billingProviderNpi: spec.billingNpi === undefined ? '1234567893' : spec.billingNpi,
    ...(spec.renderingNpi ? { renderingProviderNpi: spec.renderingNpi } : {}),
    billingProviderName: 'CLINIC',
    billingProviderState: spec.billingState ?? null,
    totalCharge: lines.reduce((sum, l) => sum + (l.charge ?? 0), 0),
    facilityCode: spec.facilityCode ?? (spec.claimType === 'institutional' ? '13' : '11'),
    frequencyCode: spec.frequencyCode ?? '1',
    originalClaimRef: spec.originalClaimRef ?? null,
    diagnoses,
    priorAuthorization: spec.priorAuthorization ?? null,
    statementFrom: null,
    statementTo: null,
    lines,
    sourceRef: { file: 'test.edi', segmentIndex: 5, byteOffset: 50 },
  };
}

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
export const WITH_DATA: ReferenceFiles = { mue: [fixture('mue-practitioner.csv')], crosswalk: fixture('asp-ndc-hcpcs-crosswalk.csv') };

const references = new Map<string, Reference>();
function reference(files: ReferenceFiles | Reference = {}): Reference {
  // A reference made by the test itself (a copy of the default with a row of its own).
  if ('pack' in files && typeof files.pack === 'object') return deepFreeze(files as Reference);
  const key = JSON.stringify(files);
  if (!references.has(key)) references.set(key, deepFreeze(loadReference(files as ReferenceFiles)));
  return references.get(key)!;
}

export interface RuleResult {
  /** [lineNumber, messageKey, data…] per finding of the rule, in claim then line order. */
  findings: Array<{ claimId: string; line: number; messageKey: string; message: string; severity: string; confidence: string; data: Record<string, unknown>; evidence: Record<string, unknown>; remediation: string | null; dollars: number; category: string }>;
  notChecked: Array<{ claimId: string; line: number; key: string; reason: string; fact?: string }>;
}

/** Runs every rule over the claims (as one run, through the memory executor's stages) and keeps what `ruleId` said. */
export function check(ruleId: string, claims: Array<ClaimSpec | Claim>, files: ReferenceFiles | Reference = {}, asOf: string | null = null): RuleResult {
  const ref = reference(files);
  const built = claims.map((c) => deepFreeze('lines' in c && Array.isArray(c.lines) && c.lines.length > 0 && 'sourceRef' in c ? structuredClone(c as Claim) : buildClaim(c as ClaimSpec)));
  // Every line of the claims is a drug line here, whatever its code.
  const outcomes = auditClaims(built, { codes: { kind: 'all' }, reference: ref, asOf }, (claim, o) => auditClaim(claim, claim.lines.map((_, i) => i), o.reference, o.asOf));
  const result: RuleResult = { findings: [], notChecked: [] };
  for (const o of outcomes) {
    for (const f of o.findings.filter((f) => f.ruleId === ruleId)) result.findings.push({ claimId: f.claimId, line: f.lineNumber, messageKey: f.messageKey, message: f.message, severity: f.severity, confidence: f.confidence, data: f.data, evidence: f.evidence, remediation: f.remediation, dollars: f.dollarsAtRisk, category: f.dollarCategory });
    for (const n of o.notChecked.filter((n) => n.ruleId === ruleId)) result.notChecked.push({ claimId: o.facts.claimId, line: o.facts.lineNumber, key: n.key, reason: n.reason, ...(n.fact ? { fact: n.fact } : {}) });
    if (o.findings.some((f) => f.ruleId === 'rule-crashed')) throw new Error(`a rule crashed: ${o.findings.find((f) => f.ruleId === 'rule-crashed')!.message}`);
  }
  return result;
}

/** Message keys of a rule's findings, for compact valid/invalid tables. */
export const keys = (ruleId: string, claims: Array<ClaimSpec | Claim>, files?: ReferenceFiles | Reference, asOf?: string | null) => check(ruleId, claims, files, asOf).findings.map((f) => f.messageKey);

/**
 * What the rule made of the claims' lines: 'pass' (no finding, no line it could not check),
 * or the keys of its findings (fail) and of its reasons not to check (notChecked), in claim then
 * line order. A valid row says 'pass' or the reasons it expects, so a line that silently became
 * "not checked" no longer passes for valid.
 */
export type Outcome = 'pass' | { fail?: string[]; notChecked?: string[] };

export function outcome(ruleId: string, claims: Array<ClaimSpec | Claim>, files?: ReferenceFiles | Reference, asOf?: string | null): Outcome {
  const result = check(ruleId, claims, files, asOf);
  if (result.findings.length === 0 && result.notChecked.length === 0) return 'pass';
  return { ...(result.findings.length > 0 ? { fail: result.findings.map((f) => f.messageKey) } : {}), ...(result.notChecked.length > 0 ? { notChecked: result.notChecked.map((n) => n.key) } : {}) };
}
