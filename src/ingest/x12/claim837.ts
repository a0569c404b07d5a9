// 837 claim assembler: segments → Claim records, one claim in memory at a time.
//
// Handles 005010X222 (837P) and 005010X223 (837I), any label (A1/A2/A3 or bare). The loops
// that matter are tracked by a small state machine over HL (HL03 20/22/23), CLM, LX and LIN:
//   2000A/2010AA billing provider (NM1*85) · 2000B/2010BA/2010BB subscriber SBR, member (NM1*IL),
//   payer (NM1*PR) · 2300 claim (CLM, HI, REF*G1, DTP) · 2320/2330 other payers (SBR after CLM:
//   never the claim's payer) · 2400 line (LX, SV1/SV2, DTP*472, REF*G1) · 2410 drug (LIN, CTP).
// Other transactions (835, 4010, other 837 guides) are skipped with a reason and their CLM
// segments counted, so every claim read is accounted for.
import type { Claim, Diagnosis, ServiceLine, SourceRef } from '../../model/index.js';
import { components, type Segment, type TokenIssue } from './tokenizer.js';

export interface SkippedTransaction {
  reason: string;
  claims: number;
  segmentIndex: number;
  byteOffset: number;
  control: string;
  transactionSet: string;
  implementation: string | null;
}

export interface UnparseableClaim {
  claimId: string;
  reason: string;
  segmentIndex: number;
  byteOffset: number;
  /** CSV: the claim's first row. */
  row?: number;
}

export interface AssemblerSink {
  claim(claim: Claim): void;
  issue(issue: TokenIssue): void;
  skipped(transaction: SkippedTransaction): void;
  unparseable(claim: UnparseableClaim): void;
}

const DIAGNOSIS_QUALIFIERS = new Set(['ABK', 'ABF', 'ABJ', 'APR', 'ABN', 'BK', 'BF', 'BJ', 'PR', 'BN']);

import { payerClassFromFilingIndicator } from '../payer-class.js';
import type { IngestIssueCode } from '../issues.js';

export { payerClassFromFilingIndicator };

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** CCYYMMDD → YYYY-MM-DD, or null when not a real calendar date. */
export function x12Date(value: string | undefined): string | null {
  if (value === undefined || value.length !== 8) return null;
  for (let i = 0; i < 8; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(4, 6));
  const day = Number(value.slice(6, 8));
  if (month < 1 || month > 12 || day < 1) return null;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month - 1]! + (leap ? 1 : 0)) return null;
  return `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
}

/** An X12 decimal (R) element: optional sign, digits, optional point. Null when empty or not a number. */
export function x12Number(value: string | undefined): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  const n = text.length;
  if (n === 0) return null;
  let i = text.charCodeAt(0) === 43 || text.charCodeAt(0) === 45 ? 1 : 0;
  let digits = 0;
  let points = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && points === 0) points++;
    else return null;
  }
  return digits > 0 ? Number(text) : null;
}

type Kind = 'professional' | 'institutional';

interface Transaction {
  kind: Kind | 'skip';
  reason: string;
  implementation: string | null;
  claimsSkipped: number;
  start: Segment;
}

interface Subscriber {
  claimFilingIndicator: string | null;
  memberId: string | null;
  payerName: string | null;
  payerId: string | null;
}

interface BillingProvider {
  npi: string | null;
  name: string | null;
  /** 2010AA N402: the state selects the claim's A/B MAC. */
  state: string | null;
}

interface OpenClaim {
  claim: Claim;
  claimServiceDate: { from: string | null; to: string | null };
  line: ServiceLine | null;
  lineHasService: boolean;
  /** Inside 2410 (after LIN, until NM1/SVD/LX/CLM/HL/SE). */
  inDrugLoop: boolean;
  /** Inside 2320/2330 (after an SBR in the claim, until LX). */
  inOtherPayer: boolean;
  start: Segment;
}

export class Claim837Assembler {
  private file: string;
  private gsVersion: string | null = null;
  private tx: Transaction | null = null;
  private provider: BillingProvider = { npi: null, name: null, state: null };
  /** The entity of the last NM1 outside a claim: an N4 after NM1*85 is the billing provider's address (never read for any other entity). */
  private lastEntity: string | null = null;
  private subscriber: Subscriber = { claimFilingIndicator: null, memberId: null, payerName: null, payerId: null };
  private open: OpenClaim | null = null;
  private warnedComponentMismatch = -1;
  /** Claims read = assembled + skipped + unparseable; lines of assembled claims. */
  readonly counts = { claimsRead: 0, claimsAssembled: 0, claimsSkipped: 0, claimsUnparseable: 0, lines: 0 };

  constructor(file: string, private readonly sink: AssemblerSink) {
    this.file = file;
  }

  segment(seg: Segment): void {
    const tx = this.tx;
    switch (seg.id) {
      case 'ISA':
        this.closeTransaction(seg, 'envelope');
        this.gsVersion = null;
        return;
      case 'GS':
        this.closeTransaction(seg, 'envelope');
        this.gsVersion = seg.element(8) || null;
        return;
      case 'ST':
        this.closeTransaction(seg, 'envelope');
        this.startTransaction(seg);
        return;
      case 'SE':
        this.closeTransaction(seg, 'se');
        return;
      case 'GE':
      case 'IEA':
        this.closeTransaction(seg, 'envelope');
        return;
    }
    if (!tx) return;
    if (tx.kind === 'skip') {
      if (seg.id === 'CLM') tx.claimsSkipped++;
      return;
    }
    switch (seg.id) {
      case 'HL':
        return this.onHL(seg);
      case 'SBR':
        return this.onSBR(seg);
      case 'NM1':
        return this.onNM1(seg);
      case 'N4':
        // Only the billing provider's (2010AA): a patient's or subscriber's address is never read.
        if (!this.open && this.lastEntity === '85') {
          const state = (seg.element(2) ?? '').trim().toUpperCase();
          if (/^[A-Z]{2}$/.test(state)) this.provider.state = state;
        }
        return;
      case 'CLM':
        return this.onCLM(seg, tx.kind);
      case 'HI':
        return this.onHI(seg);
      case 'REF':
        return this.onREF(seg);
      case 'DTP':
        return this.onDTP(seg);
      case 'LX':
        return this.onLX(seg);
      case 'SV1':
      case 'SV2':
        return this.onService(seg, tx.kind);
      case 'LIN':
        return this.onLIN(seg);
      case 'CTP':
        return this.onCTP(seg);
      case 'SVD':
        if (this.open) this.open.inDrugLoop = false;
        return;
    }
  }

  /** End of input: a claim still open here was cut off. */
  end(): void {
    if (this.open) this.abandonClaim('the input ends inside this claim (no SE): it may be missing lines and was not audited');
    if (this.tx?.kind === 'skip') this.reportSkipped(this.tx);
    this.tx = null;
  }

  private startTransaction(seg: Segment): void {
    const set = seg.element(1) ?? '';
    const st03 = seg.element(3) || null;
    const implementation = st03 ?? this.gsVersion;
    let kind: Transaction['kind'] = 'skip';
    let reason = '';
    if (set !== '837') {
      reason =
        set === '835'
          ? '835 remittance advice: not a claim transaction (only 837 claims are audited)'
          : `transaction set ${JSON.stringify(set)} is not an 837 claim`;
    } else if (implementation?.startsWith('005010X222')) {
      kind = 'professional';
    } else if (implementation?.startsWith('005010X223')) {
      kind = 'institutional';
    } else if (implementation?.startsWith('004010')) {
      reason = `4010 837 (${implementation}) is not supported: only 5010 837P (005010X222) and 837I (005010X223) are read`;
    } else {
      reason = `837 implementation ${JSON.stringify(implementation ?? '')} is not supported: only 005010X222 (837P) and 005010X223 (837I) are read`;
    }
    if (kind !== 'skip' && st03 && this.gsVersion && st03 !== this.gsVersion) {
      this.issue(seg, 'warning', 'version-mismatch', `ST03 ${st03} differs from GS08 ${this.gsVersion}; ST03 was used`, st03);
    }
    this.tx = { kind, reason, implementation, claimsSkipped: 0, start: seg };
    this.provider = { npi: null, name: null, state: null };
    this.lastEntity = null;
    this.subscriber = { claimFilingIndicator: null, memberId: null, payerName: null, payerId: null };
  }

  private closeTransaction(seg: Segment, how: 'se' | 'envelope'): void {
    if (this.open) {
      if (how === 'se') this.flushClaim();
      else this.abandonClaim(`the claim's transaction has no SE before ${seg.id} (segment ${seg.segmentIndex}): it may be incomplete and was not audited`);
    }
    if (this.tx?.kind === 'skip') this.reportSkipped(this.tx);
    this.tx = null;
  }

  private reportSkipped(tx: Transaction): void {
    this.counts.claimsRead += tx.claimsSkipped;
    this.counts.claimsSkipped += tx.claimsSkipped;
    this.sink.skipped({
      reason: tx.reason,
      claims: tx.claimsSkipped,
      segmentIndex: tx.start.segmentIndex,
      byteOffset: tx.start.byteOffset,
      control: tx.start.element(2) ?? '',
      transactionSet: tx.start.element(1) ?? '',
      implementation: tx.implementation,
    });
  }

  private onHL(seg: Segment): void {
    this.flushClaim();
    const level = seg.element(3);
    if (level === '20') {
      this.provider = { npi: null, name: null, state: null };
      this.lastEntity = null;
      this.subscriber = { claimFilingIndicator: null, memberId: null, payerName: null, payerId: null };
    } else if (level === '22') {
      this.subscriber = { claimFilingIndicator: null, memberId: null, payerName: null, payerId: null };
    } else if (level !== '23') {
      this.issue(seg, 'warning', 'hl-level-unknown', `HL03 ${JSON.stringify(level ?? '')} is not 20, 22 or 23`, level);
    }
  }

  private onSBR(seg: Segment): void {
    if (this.open) {
      // 2320: another payer's subscriber information, never the claim's own payer.
      this.open.inOtherPayer = true;
      this.open.inDrugLoop = false;
      return;
    }
    this.subscriber.claimFilingIndicator = seg.element(9) || null;
  }

  private onNM1(seg: Segment): void {
    const open = this.open;
    if (open) {
      open.inDrugLoop = false;
      // The rendering provider: 2420A inside a line, 2310B before the lines (never 2330's, another payer's).
      if (seg.element(1) === '82' && seg.element(8) === 'XX' && !open.inOtherPayer && /^\d{10}$/.test(seg.element(9) ?? '')) {
        if (open.line) open.line.renderingNpi = seg.element(9)!;
        else open.claim.renderingProviderNpi = seg.element(9)!;
      }
      return;
    }
    const entity = seg.element(1);
    this.lastEntity = entity ?? null;
    const id = seg.element(9) || null;
    if (entity === '85') {
      this.provider = { npi: seg.element(8) === 'XX' ? id : null, name: seg.element(3) || null, state: null };
    } else if (entity === 'IL') {
      this.subscriber.memberId = id;
    } else if (entity === 'PR') {
      this.subscriber.payerName = seg.element(3) || null;
      this.subscriber.payerId = id;
    }
  }

  private onCLM(seg: Segment, kind: Kind): void {
    this.flushClaim();
    this.counts.claimsRead++;
    const facility = this.composite(seg, 5);
    const claimId = seg.element(1) ?? '';
    if (claimId === '') this.issue(seg, 'warning', 'claim-id-missing', 'CLM01 (patient control number) is empty');
    const totalCharge = x12Number(seg.element(2));
    if (totalCharge === null) this.issue(seg, 'warning', 'number-invalid', `CLM02 total charge ${JSON.stringify(seg.element(2) ?? '')} is not a number`, seg.element(2));
    const subscriber = this.subscriber;
    this.open = {
      claim: {
        claimId,
        claimType: kind,
        implementation: this.tx?.implementation ?? null,
        payerClass: payerClassFromFilingIndicator(subscriber.claimFilingIndicator),
        claimFilingIndicator: subscriber.claimFilingIndicator,
        payerName: subscriber.payerName,
        payerId: subscriber.payerId,
        memberId: subscriber.memberId,
        billingProviderNpi: this.provider.npi,
        billingProviderName: this.provider.name,
        billingProviderState: this.provider.state,
        totalCharge,
        facilityCode: facility[0] || null,
        frequencyCode: facility[2] || null,
        originalClaimRef: null,
        diagnoses: [],
        priorAuthorization: null,
        statementFrom: null,
        statementTo: null,
        lines: [],
        sourceRef: this.ref(seg),
        interchangeIndex: seg.interchangeIndex,
      },
      claimServiceDate: { from: null, to: null },
      line: null,
      lineHasService: false,
      inDrugLoop: false,
      inOtherPayer: false,
      start: seg,
    };
  }

  private onHI(seg: Segment): void {
    const open = this.open;
    if (!open || open.line) return;
    for (let n = 1; n < seg.elements.length; n++) {
      const parts = this.composite(seg, n);
      const qualifier = parts[0];
      const code = parts[1];
      if (qualifier && code && DIAGNOSIS_QUALIFIERS.has(qualifier)) {
        const diagnosis: Diagnosis = { qualifier, code };
        open.claim.diagnoses.push(diagnosis);
      }
    }
  }

  private onREF(seg: Segment): void {
    const open = this.open;
    if (!open || open.inOtherPayer || open.inDrugLoop) return;
    // REF*F8 in 2300: the original claim a replacement or void refers to.
    if (seg.element(1) === 'F8' && !open.line) {
      open.claim.originalClaimRef = seg.element(2) || null;
      return;
    }
    // REF*6R in 2400: the line item control number, the line's own identity across resubmissions.
    if (seg.element(1) === '6R') {
      if (open.line) open.line.controlNumber = seg.element(2) || null;
      return;
    }
    if (seg.element(1) !== 'G1') return;
    const value = seg.element(2) || null;
    if (open.line) open.line.priorAuthorization = value;
    else open.claim.priorAuthorization = value;
  }

  private onDTP(seg: Segment): void {
    const open = this.open;
    if (!open || open.inOtherPayer) return;
    const qualifier = seg.element(1);
    if (qualifier !== '472' && qualifier !== '434') return;
    const range = this.dateRange(seg);
    if (!range) return;
    if (open.line) {
      if (qualifier === '472') {
        open.line.serviceDate = range.from;
        open.line.serviceDateTo = range.to;
        open.line.serviceDateSource = 'line';
      }
    } else if (qualifier === '434') {
      open.claim.statementFrom = range.from;
      open.claim.statementTo = range.to;
    } else {
      open.claimServiceDate = range;
    }
  }

  private dateRange(seg: Segment): { from: string; to: string } | null {
    const format = seg.element(2);
    const value = seg.element(3) ?? '';
    if (format === 'D8') {
      const date = x12Date(value);
      if (date) return { from: date, to: date };
    } else if (format === 'RD8') {
      const [fromText, toText] = value.split('-');
      const from = x12Date(fromText);
      const to = x12Date(toText);
      if (from && to) return { from, to };
    }
    this.issue(seg, 'warning', 'date-invalid', `DTP*${seg.element(1)} date ${JSON.stringify(value)} (format ${format ?? ''}) is not a valid D8 or RD8 date`, value);
    return null;
  }

  private onLX(seg: Segment): void {
    const open = this.open;
    if (!open) {
      this.issue(seg, 'warning', 'line-outside-claim', 'LX service line outside a claim (no CLM before it)');
      return;
    }
    this.flushLine();
    let lineNumber = Number(seg.element(1));
    if (!Number.isInteger(lineNumber) || lineNumber < 1) {
      lineNumber = open.claim.lines.length + 1;
      this.issue(seg, 'warning', 'line-number-invalid', `LX01 ${JSON.stringify(seg.element(1) ?? '')} is not a positive whole number; line ${lineNumber} was used`, seg.element(1));
    }
    open.line = this.newLine(seg, lineNumber);
    open.lineHasService = false;
    open.inDrugLoop = false;
    open.inOtherPayer = false;
  }

  private newLine(seg: Segment, lineNumber: number): ServiceLine {
    return {
      lineNumber,
      segment: 'SV1',
      revenueCode: null,
      procedureQualifier: null,
      hcpcs: null,
      modifiers: [],
      description: null,
      units: null,
      unitBasis: null,
      charge: null,
      serviceDate: null,
      serviceDateTo: null,
      serviceDateSource: 'none',
      placeOfService: null,
      diagnosisPointers: [],
      priorAuthorization: null,
      controlNumber: null,
      drug: null,
      sourceRef: this.ref(seg),
    };
  }

  private onService(seg: Segment, kind: Kind): void {
    const open = this.open;
    if (!open) {
      this.issue(seg, 'warning', 'line-outside-claim', `${seg.id} service line outside a claim (no CLM before it)`);
      return;
    }
    if (!open.line || open.lineHasService) {
      this.flushLine();
      const lineNumber = open.claim.lines.length + 1;
      this.issue(seg, 'warning', 'service-without-lx', `${seg.id} without its own LX; numbered as line ${lineNumber}`);
      open.line = this.newLine(seg, lineNumber);
    }
    const line = open.line!;
    open.lineHasService = true;
    open.inOtherPayer = false;
    const expected = kind === 'professional' ? 'SV1' : 'SV2';
    if (seg.id !== expected) {
      this.issue(seg, 'warning', 'service-segment-unexpected', `${seg.id} in an ${kind === 'professional' ? '837P' : '837I'} transaction (expected ${expected}); read as ${seg.id}`);
    }
    // SV1: 01 procedure, 02 charge, 03 unit basis, 04 units, 05 POS, 07 pointers.
    // SV2: 01 revenue code, 02 procedure, 03 charge, 04 unit basis, 05 units.
    const sv1 = seg.id === 'SV1';
    // Most of the segment is read: one split beats walking to each element.
    void seg.elements;
    line.segment = sv1 ? 'SV1' : 'SV2';
    const procedure = this.composite(seg, sv1 ? 1 : 2);
    line.revenueCode = sv1 ? null : seg.element(1) || null;
    line.procedureQualifier = procedure[0] || null;
    line.hcpcs = procedure[1] ? procedure[1].trim().toUpperCase() : null;
    line.modifiers = procedure.slice(2, 6).filter((m) => m !== '');
    line.description = procedure[6] || null;
    const chargeText = seg.element(sv1 ? 2 : 3);
    const unitsText = seg.element(sv1 ? 4 : 5);
    line.charge = x12Number(chargeText);
    line.unitBasis = seg.element(sv1 ? 3 : 4) || null;
    line.units = x12Number(unitsText);
    if (chargeText && line.charge === null) {
      this.issue(seg, 'warning', 'number-invalid', `${seg.id} charge ${JSON.stringify(chargeText)} is not a number`, chargeText);
    }
    if (unitsText && line.units === null) {
      this.issue(seg, 'warning', 'number-invalid', `${seg.id} units ${JSON.stringify(unitsText)} is not a number`, unitsText);
    }
    if (sv1) {
      line.placeOfService = seg.element(5) || open.claim.facilityCode;
      line.diagnosisPointers = this.composite(seg, 7)
        .map((p) => Number(p))
        .filter((p) => Number.isInteger(p) && p > 0);
    }
  }

  private onLIN(seg: Segment): void {
    const open = this.open;
    const line = open?.line;
    if (!open || !line) {
      this.issue(seg, 'warning', 'lin-outside-line', 'LIN drug identification outside a service line; ignored');
      return;
    }
    if (line.drug) {
      this.issue(seg, 'warning', 'lin-repeated', `a second LIN on line ${line.lineNumber}; the first NDC was kept`, seg.element(3));
      open.inDrugLoop = false;
      return;
    }
    open.inDrugLoop = true;
    line.drug = {
      qualifier: seg.element(2) ?? '',
      ndc: seg.element(3) ?? '',
      quantity: null,
      unit: null,
      sourceRef: this.ref(seg),
    };
  }

  private onCTP(seg: Segment): void {
    const open = this.open;
    const drug = open?.line?.drug;
    if (!open?.inDrugLoop || !drug) {
      this.issue(seg, 'warning', 'ctp-outside-drug-loop', 'CTP outside a 2410 drug loop (no LIN before it); ignored');
      return;
    }
    const quantityText = seg.element(4);
    drug.quantity = x12Number(quantityText);
    drug.unit = this.composite(seg, 5)[0] || null;
    if (drug.quantity === null) {
      this.issue(seg, 'warning', 'ctp-quantity-invalid', `CTP04 quantity ${JSON.stringify(quantityText ?? '')} is missing or not a number`, seg.raw);
    }
    if (drug.unit === null) {
      this.issue(seg, 'warning', 'ctp-unit-missing', 'CTP05 unit of measure is missing', seg.raw);
    }
    open.inDrugLoop = false;
  }

  private flushLine(): void {
    const open = this.open;
    if (!open?.line) return;
    const line = open.line;
    if (open.lineHasService) {
      open.claim.lines.push(line);
    } else {
      this.sink.issue({
        severity: 'warning',
        code: 'line-without-service',
        message: `LX ${line.lineNumber} has no SV1/SV2 service segment; the line was ignored`,
        segmentIndex: line.sourceRef.segmentIndex,
        byteOffset: line.sourceRef.byteOffset,
      });
    }
    open.line = null;
    open.inDrugLoop = false;
  }

  private flushClaim(): void {
    const open = this.open;
    if (!open) return;
    this.flushLine();
    const claim = open.claim;
    const fallback = open.claimServiceDate.from
      ? open.claimServiceDate
      : claim.statementFrom
        ? { from: claim.statementFrom, to: claim.statementTo }
        : null;
    for (const line of claim.lines) {
      if (line.serviceDate === null && fallback) {
        line.serviceDate = fallback.from;
        line.serviceDateTo = fallback.to;
        line.serviceDateSource = 'claim';
      }
    }
    this.open = null;
    this.counts.claimsAssembled++;
    this.counts.lines += claim.lines.length;
    this.sink.claim(claim);
  }

  private abandonClaim(reason: string): void {
    const open = this.open;
    if (!open) return;
    this.open = null;
    this.counts.claimsUnparseable++;
    this.sink.unparseable({
      claimId: open.claim.claimId,
      reason,
      segmentIndex: open.start.segmentIndex,
      byteOffset: open.start.byteOffset,
    });
  }

  /**
   * A composite element split by ISA16. Some senders put the repetition separator (ISA11)
   * where the component separator belongs ("HC^J1550" with ISA16 '>'): read it as meant,
   * and say so once per interchange.
   */
  private composite(seg: Segment, n: number): string[] {
    const value = seg.element(n);
    if (value === undefined || value === '') return [];
    const repetition = seg.delimiters.repetition;
    const hasComponents = value.includes(seg.delimiters.component);
    if (!hasComponents && (repetition === null || !value.includes(repetition))) return [value];
    const parts = components(seg, n);
    if (hasComponents || repetition === null) return parts;
    if (this.warnedComponentMismatch !== seg.interchangeIndex) {
      this.warnedComponentMismatch = seg.interchangeIndex;
      this.issue(
        seg,
        'warning',
        'component-separator-mismatch',
        `composite elements use ${JSON.stringify(repetition)} (the ISA11 repetition separator) where ISA16 says ${JSON.stringify(seg.delimiters.component)}; read as components`,
        // The qualifier and code only: a procedure composite's description is free text.
        value.split(repetition).slice(0, 2).join(repetition),
      );
    }
    return parts[0]!.split(repetition);
  }

  private ref(seg: Segment): SourceRef {
    return { file: this.file, segmentIndex: seg.segmentIndex, byteOffset: seg.byteOffset };
  }

  private issue(seg: Segment, severity: TokenIssue['severity'], code: IngestIssueCode, message: string, value?: string): void {
    const issue: TokenIssue = { severity, code, message, segmentIndex: seg.segmentIndex, byteOffset: seg.byteOffset, interchangeIndex: seg.interchangeIndex };
    if (value !== undefined) issue.value = value.length > 80 ? `${value.slice(0, 77)}...` : value;
    this.sink.issue(issue);
  }
}
