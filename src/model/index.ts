// The data contracts of claim-audit (DESIGN.md). zod schemas are the source of truth;
// the TypeScript types are inferred from them. This module imports nothing of ours.
import { z } from 'zod';

/** A procedure code: HCPCS Level II (J1459) or CPT (96413, and the 90371 immune globulins the ASP file prices). */
/** The code's own pattern, for patterns that embed it. */
export const HCPCS_CODE_BODY = '[A-Z]\\d{4}|\\d{4}[0-9A-Z]';
export const HCPCS_CODE = new RegExp(`^(${HCPCS_CODE_BODY})$`);

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const PayerClass = z.enum(['medicare', 'medicare-advantage', 'medicaid', 'commercial', 'other', 'unknown']);
export type PayerClass = z.infer<typeof PayerClass>;

/** Where a value came from: a file and a position in it (segment index for X12, row for CSV). */
export const SourceRef = z.strictObject({
  file: z.string(),
  /** 0-based position of the segment in the file (ISA is 0 for a file that starts with one). */
  segmentIndex: z.number().int().nonnegative().optional(),
  /** 1-based CSV record number (header is row 1). */
  row: z.number().int().positive().optional(),
  /** 0-based byte offset of the segment or row in the (decompressed) file. */
  byteOffset: z.number().int().nonnegative(),
});
export type SourceRef = z.infer<typeof SourceRef>;

export const IngestIssueSeverity = z.enum(['error', 'warning']);
/**
 * A problem met while reading input. `error` means something could not be read as X12/837 or
 * breaks the envelope (the run exits 3); `warning` means a tolerated deviation.
 */
export const IngestIssue = z.strictObject({
  severity: IngestIssueSeverity,
  code: z.string(),
  message: z.string(),
  file: z.string(),
  segmentIndex: z.number().int().nonnegative().optional(),
  byteOffset: z.number().int().nonnegative().optional(),
  interchangeIndex: z.number().int().nonnegative().optional(),
  /** CSV: the 1-based record number (the header is row 1) and the column's header. */
  row: z.number().int().positive().optional(),
  column: z.string().optional(),
  /** The offending value, cut to 80 characters. */
  value: z.string().optional(),
});
export type IngestIssue = z.infer<typeof IngestIssue>;

export const Diagnosis = z.strictObject({
  /** HI qualifier as sent: ABK, ABF, ABJ, APR, ABN (ICD-10-CM) or BK, BF, BJ, PR, BN (ICD-9-CM). */
  qualifier: z.string(),
  /** The code as sent: dotless, never reformatted. */
  code: z.string(),
});
export type Diagnosis = z.infer<typeof Diagnosis>;

export const DrugIdentification = z.strictObject({
  /** LIN02: N4 for an NDC in 5-4-2 form; 837P allows others (EN, EO, HI, ON, UK, UP). */
  qualifier: z.string(),
  /** LIN03 exactly as sent. */
  ndc: z.string(),
  /** CTP04, null when missing or not a number. */
  quantity: z.number().nullable(),
  /** CTP05-1 (F2, GR, ME, ML, UN), null when missing. */
  unit: z.string().nullable(),
  sourceRef: SourceRef,
});
export type DrugIdentification = z.infer<typeof DrugIdentification>;

export const ServiceLine = z.strictObject({
  /** LX01 for X12; CSV line number. */
  lineNumber: z.number().int(),
  /** SV1 (837P) or SV2 (837I). */
  segment: z.enum(['SV1', 'SV2', 'CSV']),
  /** SV201 revenue code on 837I lines. */
  revenueCode: z.string().nullable(),
  /** Product/service id qualifier: HC (HCPCS), ER, IV, WK, … */
  procedureQualifier: z.string().nullable(),
  hcpcs: z.string().nullable(),
  modifiers: z.array(z.string()),
  description: z.string().nullable(),
  /** SV104 / SV205; null when missing or not a number. */
  units: z.number().nullable(),
  /** SV103 / SV204: UN (unit), MJ (minutes), DA (days). */
  unitBasis: z.string().nullable(),
  /** SV102 / SV203; null when missing or not a number. */
  charge: z.number().nullable(),
  serviceDate: isoDate.nullable(),
  serviceDateTo: isoDate.nullable(),
  /** Where the service date came from. */
  serviceDateSource: z.enum(['line', 'claim', 'none']),
  placeOfService: z.string().nullable(),
  /** SV107 pointers (1-based into the claim's diagnoses), as numbers. */
  diagnosisPointers: z.array(z.number().int()),
  priorAuthorization: z.string().nullable(),
  /** REF*6R (2400): the line item control number the provider gave the line; null when absent. */
  controlNumber: z.string().nullable(),
  /** The line's rendering provider NPI (837 loop 2420A NM1*82; a CSV's rendering column), when given. */
  renderingNpi: z.string().nullable().optional(),
  drug: DrugIdentification.nullable(),
  sourceRef: SourceRef,
});
export type ServiceLine = z.infer<typeof ServiceLine>;

export const ClaimType = z.enum(['professional', 'institutional']);

/**
 * Where a claim's services were given, as the rules need it (DOMAIN.md, section 10): a
 * professional claim (837P), or the facility's bill type on an institutional one: 13x
 * outpatient hospital, 85x critical access hospital, 11x inpatient, 71x RHC, 77x FQHC, 72x
 * ESRD; any other bill type, or none, is other.
 */
export const Setting = z.enum(['professional', 'outpatient-hospital', 'cah', 'inpatient', 'rhc', 'fqhc', 'esrd', 'other']);
export type Setting = z.infer<typeof Setting>;

const BILL_TYPE_SETTING: Record<string, Setting> = { '11': 'inpatient', '13': 'outpatient-hospital', '85': 'cah', '71': 'rhc', '77': 'fqhc', '72': 'esrd' };

/** The claim's setting, from its type and (837I CLM05-1, a CSV's bill type) its facility type code. */
export function settingOf(claim: { claimType: 'professional' | 'institutional'; facilityCode: string | null }): Setting {
  if (claim.claimType === 'professional') return 'professional';
  return BILL_TYPE_SETTING[(claim.facilityCode ?? '').replace(/^0/, '').slice(0, 2)] ?? 'other';
}

/**
 * Facts of a claim that an input format may not carry at all (a CSV layout without a units
 * column, line charges that repeat the claim total). Rules that need one are not checked,
 * with the reason, instead of reporting it missing on every line.
 */
export const SourceField = z.enum(['units', 'charge', 'modifiers', 'ndc', 'ndcQuantity', 'diagnoses', 'diagnosisPointers', 'priorAuthorization', 'memberId']);
export type SourceField = z.infer<typeof SourceField>;

export const Claim = z.strictObject({
  claimId: z.string(),
  claimType: ClaimType,
  /** ST03 (or GS08) of the transaction, e.g. 005010X222A1. */
  implementation: z.string().nullable(),
  payerClass: PayerClass,
  /** SBR09 of loop 2000B as sent. */
  claimFilingIndicator: z.string().nullable(),
  payerName: z.string().nullable(),
  payerId: z.string().nullable(),
  memberId: z.string().nullable(),
  billingProviderNpi: z.string().nullable(),
  billingProviderName: z.string().nullable(),
  /**
   * The billing provider's state (837 loop 2010AA N402; a CSV's state column), which selects the
   * A/B MAC whose billing articles and self-administered drug lists bind the claim. Absent: unknown.
   */
  billingProviderState: z.string().regex(/^[A-Z]{2}$/).nullable().optional(),
  /** The claim's rendering provider NPI (837 loop 2310B NM1*82), when given: who stands for the provider where the billing NPI is blank. */
  renderingProviderNpi: z.string().nullable().optional(),
  totalCharge: z.number().nullable(),
  /** CLM05-1: place of service (837P) or facility type code (837I). */
  facilityCode: z.string().nullable(),
  /** CLM05-3: 1 original, 7 replacement, 8 void. */
  frequencyCode: z.string().nullable(),
  /** REF*F8 (2300): the claim a replacement or void stands in for (its claim number or the payer's control number). */
  originalClaimRef: z.string().nullable(),
  diagnoses: z.array(Diagnosis),
  priorAuthorization: z.string().nullable(),
  statementFrom: isoDate.nullable(),
  statementTo: isoDate.nullable(),
  lines: z.array(ServiceLine),
  sourceRef: SourceRef,
  interchangeIndex: z.number().int().nonnegative().optional(),
  /** What the input cannot tell for this claim, with why (absent: everything is known). */
  unavailable: z.partialRecord(SourceField, z.string()).optional(),
});
export type Claim = z.infer<typeof Claim>;

export const Verdict = z.enum(['pass', 'fail', 'not-checked']);

/**
 * The fact whose absence kept a rule from checking a line: what to load (a CMS table, a MAC's
 * list, the billing provider's state) or what the input lacks. Counted in the coverage, so a
 * manager sees "1,240 lines: no billing article of the provider's MAC lists the code" instead of
 * a silent pass.
 */
export const MissingFact = z.enum([
  'code',
  'billing-unit',
  'price',
  'ndc-crosswalk',
  'container',
  'mue',
  'mac',
  'diagnosis-article',
  'sad-list',
  'self-administered',
  'frequency',
  'service-date',
  'input',
]);
export type MissingFact = z.infer<typeof MissingFact>;

/** A rule that did not check a line: the rule, the key of its declared reason, the reason as rendered, and the missing fact. */
export const NotChecked = z.strictObject({ ruleId: z.string(), key: z.string(), reason: z.string(), fact: MissingFact.optional() });

/** One audited drug line as written to lines.ndjson (DESIGN.md, "Outputs"). */
export const LineRecord = z.strictObject({
  claimId: z.string(),
  lineNumber: z.number().int(),
  /** The line's key within its claim, as in the findings' fingerprints. */
  lineKey: z.string(),
  claimType: ClaimType,
  hcpcs: z.string().nullable(),
  modifiers: z.array(z.string()),
  units: z.number().nullable(),
  unitBasis: z.string().nullable(),
  charge: z.number().nullable(),
  serviceDate: isoDate.nullable(),
  ndc: z.string().regex(/^\d{11}$/).nullable(),
  ndcAsSent: z.string().nullable(),
  ndcQuantity: z.number().nullable(),
  ndcUnit: z.string().nullable(),
  payerClass: PayerClass,
  payerName: z.string().nullable(),
  setting: Setting,
  /** 2010AA NM109: the billing provider, part of a claim's identity. */
  billingNpi: z.string().nullable(),
  memberId: z.string().nullable(),
  verdict: Verdict,
  findingIds: z.array(z.string()),
  notChecked: z.array(NotChecked),
  sourceRef: SourceRef,
});
export type LineRecord = z.infer<typeof LineRecord>;

export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

/**
 * Which money a finding's dollars are (DOMAIN.md section 11): denied by the payer, delayed by a
 * claim returned for correction, lost by the provider's own underbilling, or paid when it should
 * not have been (refundable on audit).
 */
/**
 * What a finding's dollars are (DOMAIN.md section 11): payment refused, delayed, lost by the
 * provider's own billing, paid in excess; or compliance, where no payment is at risk (the payer
 * pays the line the same) and the line's payment is the exposure on audit (a 340B modifier).
 */
export const DollarCategory = z.enum(['denial', 'returned', 'underbilling', 'overpayment', 'compliance']);
export type DollarCategory = z.infer<typeof DollarCategory>;
export const DOLLAR_CATEGORIES = DollarCategory.options;

/** A finding against the run it is compared with (SARIF's baselineState, with resolved and voided for the findings that ended). */
export const FindingStatus = z.enum(['new', 'unchanged', 'updated']);
export type FindingStatus = z.infer<typeof FindingStatus>;

/** Where the team is with a worklist line (the work-tracking columns; the team sets it, the audit never does). */
export const WORK_STATUSES = ['open', 'in progress', 'corrected', 'appealed', 'written off', "won't fix"] as const;
export type WorkStatus = (typeof WORK_STATUSES)[number];

/** The team's work on a finding, typed into a worklist (CSV or workbook) and carried to later nights by finding id. */
export interface WorkNote {
  assignee: string | null;
  status: WorkStatus | null;
  note: string | null;
}

/** A likely denial or lost revenue on one drug line (DESIGN.md, "Finding"). */
export const Finding = z.strictObject({
  /** The first 16 hex digits of fingerprints["claimLine/v1"]. */
  id: z.string().regex(/^[0-9a-f]{16}$/),
  /** Versioned fingerprints: "claimLine/v1" of billing provider, CLM01, line key and rule (never the file, position or LX). */
  fingerprints: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
  ruleId: z.string(),
  severity: Severity,
  confidence: z.enum(['high', 'medium', 'low']),
  denial: z.strictObject({ group: z.string().nullable(), carc: z.string().nullable(), rarc: z.string().nullable(), verified: z.boolean() }),
  claimId: z.string(),
  lineNumber: z.number().int(),
  /** The line's key within its claim: REF*6R, else code|date|JW|occurrence (see fingerprints). */
  lineKey: z.string(),
  code: z.string().nullable(),
  serviceDate: isoDate.nullable(),
  payerClass: PayerClass,
  payerName: z.string().nullable(),
  setting: Setting,
  /** The queue the finding goes to: who fixes it. */
  owner: z.enum(['coding', 'pharmacy', 'charge-master', 'authorization', 'front-end']),
  billingNpi: z.string().nullable(),
  /** The billing provider's name (a provider, never a patient). */
  billingName: z.string().nullable(),
  memberId: z.string().nullable(),
  modifiers: z.array(z.string()),
  units: z.number().nullable(),
  billedCharge: z.number().nullable(),
  /** Units × the OPPS rate for the service quarter, capped at the charge; null without a rate. */
  expectedPayment: z.number().nullable(),
  ndc: z.string().nullable(),
  ndcQuantity: z.number().nullable(),
  ndcUnit: z.string().nullable(),
  messageKey: z.string(),
  data: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  message: z.string(),
  remediationKey: z.string().nullable(),
  remediation: z.string().nullable(),
  dollarsAtRisk: z.number().nonnegative(),
  /** Which money dollarsAtRisk is: denied, returned (delayed), underbilled or overpaid. */
  dollarCategory: DollarCategory,
  /** What the dollars are priced on: the ASP payment limit, the OPPS rate, or the billed charge. */
  dollarBasis: z.enum(['asp', 'opps', 'billed-charge']),
  evidence: z.record(z.string(), z.unknown()),
  sourceRef: SourceRef,
  /** In a run with history: against the comparison run. */
  status: FindingStatus.optional(),
  /** In a run with history: the run that first reported it (this one when new). */
  firstSeen: z.strictObject({ run: z.string(), date: isoDate }).optional(),
  /** Set when a suppression entry matched it (such findings leave the totals and the worklist). */
  suppression: z.strictObject({ entry: z.string(), reason: z.string(), owner: z.string(), expires: isoDate }).optional(),
  /**
   * From the ranking on, on its line's first-ranked finding (suppressed ones aside): the line's
   * dollars, its largest amount. Absent on the line's other findings, so a sum counts each line once.
   */
  lineDollars: z.number().nonnegative().optional(),
});
export type Finding = z.infer<typeof Finding>;

/** A rule that could not be checked on a line, and why. */
export type NotCheckedEntry = z.infer<typeof NotChecked>;

/**
 * One drug line as every stage after ingest sees it: what its findings and its lines.ndjson
 * record are made of, and what the rules across claims compare. Member id unmasked from the
 * rules, masked by the claim stage as --phi says (so no temporary record holds it).
 */
export interface LineFacts {
  claimId: string;
  lineNumber: number;
  /** The line's key within its claim (the fingerprint's): REF*6R, else code|date|JW|occurrence. */
  lineKey: string;
  claimType: Claim['claimType'];
  setting: Setting;
  /** CLM05-3: 1 original, 7 replacement, 8 void. */
  frequencyCode: string | null;
  /** REF*F8 of the line's claim: the claim a replacement or void stands in for. */
  originalClaimRef: string | null;
  code: string | null;
  serviceDate: string | null;
  /** The service date, or --as-of; null when neither is known. */
  date: string | null;
  payerClass: PayerClass;
  payerName: string | null;
  billingNpi: string | null;
  /** The line's rendering NPI, else the claim's (absent: none given). */
  renderingNpi?: string | null;
  /**
   * A group member that is not a drug line (an administration service on a claim): it takes part
   * in a cross-claim rule's group only, and is never reported on. A marker's facts hold only
   * claimId, lineNumber, billingNpi and this (rules/engine.ts markerFacts).
   */
  marker?: 'administration';
  /** The billing provider's organization or last name (2010AA NM103): a provider, not a patient. */
  billingName: string | null;
  /** The member id as reports show it: masked to its last 4 characters after the claim stage, unless --phi full. */
  memberId: string | null;
  /** A keyed hash of the member id, for the rules that compare members (model/phi.ts memberKey): never the id itself. */
  memberKey: string | null;
  modifiers: string[];
  units: number | null;
  unitBasis: string | null;
  billedCharge: number | null;
  /** Units × the payment rate for the service quarter and setting, capped at the charge; null without a rate. */
  expectedPayment: number | null;
  /** What the expected payment is priced on: asp, opps, or null when no rate is known. */
  paymentBasis: 'asp' | 'opps' | null;
  /** The 11-digit NDC when LIN03 normalises. */
  ndc: string | null;
  /** LIN03 as sent. */
  ndcAsSent: string | null;
  ndcQuantity: number | null;
  ndcUnit: string | null;
  sourceRef: SourceRef;
  /** Claim.unavailable of the line's claim, when set. */
  unavailable?: Claim['unavailable'];
}

/** A cross-claim rule's group a line takes part in: the rule and the key it groups by. */
export interface GroupMembership {
  ruleId: string;
  key: string;
}

/** A drug line with what the rules said of it: the one line type of the audit's stages. */
export interface AuditedLine {
  facts: LineFacts;
  findings: Finding[];
  notChecked: NotCheckedEntry[];
  /** The cross-claim groups the line still takes part in (none once they are checked). */
  groups: GroupMembership[];
}
