// What a payer said about a claim: the 835 remittance advice (5010 X221A1), as the auditor reads
// it. A payer's answer per claim (CLP) and per service line (SVC), with its adjustments (CAS:
// group, CARC, amount), remark codes (LQ*HE: RARC), the provider's line control number (REF*6R)
// and dates. No patient name, birth date or address is kept: the patient's NM1 is never read.
import type { SourceRef } from './index.js';

/** One CAS triple: group (CO, PR, OA, PI, CR), the claim adjustment reason code, the amount. */
export interface Adjustment {
  group: string;
  carc: string;
  amount: number;
  quantity: number | null;
}

export interface RemitLine {
  /** The procedure as billed: SVC06 when the payer adjudicated another code, else SVC01. */
  qualifier: string | null;
  code: string | null;
  modifiers: string[];
  /** The code the payer paid under (SVC01), when SVC06 says another was billed. */
  paidCode: string | null;
  /** SVC02, SVC03. */
  charge: number | null;
  paid: number | null;
  /** SVC07 (original units) when present, else SVC05; null when neither (one unit, by X12's default). */
  units: number | null;
  adjustments: Adjustment[];
  /** LQ*HE remark codes. */
  remarks: string[];
  /** REF*6R: the provider's line item control number, echoed. */
  lineControl: string | null;
  /** DTM*472, else DTM*150 (period start). */
  serviceDate: string | null;
  /** AMT*B6: the allowed amount, when given. */
  allowed: number | null;
  sourceRef: SourceRef;
}

/** CLP02 claim status codes. */
export const CLAIM_STATUS: Record<string, string> = {
  '1': 'processed as primary',
  '2': 'processed as secondary',
  '3': 'processed as tertiary',
  '4': 'denied',
  '19': 'processed as primary, forwarded to additional payer(s)',
  '20': 'processed as secondary, forwarded to additional payer(s)',
  '21': 'processed as tertiary, forwarded to additional payer(s)',
  '22': 'reversal of previous payment',
  '23': 'not our claim, forwarded to additional payer(s)',
  '25': 'predetermination pricing only, no payment',
};

export interface RemitClaim {
  file: string;
  /** The payer (N1*PR name; REF*2U or N1*PR id) and the payee's NPI (N1*PE*…*XX, else REF*HPI). */
  payerName: string | null;
  payerId: string | null;
  payeeNpi: string | null;
  /** The payment: TRN02 (check or EFT trace number), BPR16 (its date), BPR04 (CHK, ACH, NON…). */
  checkNumber: string | null;
  paymentDate: string | null;
  paymentMethod: string | null;
  /** CLP01: the provider's claim id (the 837's CLM01). */
  claimId: string;
  /** CLP02. */
  status: string;
  /** CLP03, CLP04, CLP05: charge, paid, patient responsibility. */
  charge: number | null;
  paid: number | null;
  patientResponsibility: number | null;
  /** CLP07: the payer's claim control number. */
  payerClaimNumber: string | null;
  /** CAS at the claim level (a claim without service lines says it here). */
  adjustments: Adjustment[];
  /** MOA/MIA remark codes at the claim level. */
  remarks: string[];
  /** DTM*232 (statement from), the claim's date when its lines carry none. */
  claimDate: string | null;
  lines: RemitLine[];
  sourceRef: SourceRef;
}
