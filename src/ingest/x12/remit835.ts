// The 835 remittance reader (5010 X221A1) on the project's tokenizer: segments → one RemitClaim
// per CLP, with its service lines (SVC), adjustments (CAS), remarks (LQ*HE, MOA, MIA), the
// provider's line control numbers (REF*6R) and dates (DTM*472/150/232), and the payment it came
// in (BPR, TRN) from the payer (N1*PR) to the payee (N1*PE). The patient's and the insured's
// NM1 are never read. Nothing throws for bad data: every problem is an issue with a position.
import type { Adjustment, RemitClaim, RemitLine } from '../../model/remittance.js';
import type { IngestIssueCode } from '../issues.js';
import type { Segment, TokenIssue } from './tokenizer.js';

export interface RemitSink {
  claim(claim: RemitClaim): void;
  issue(issue: TokenIssue): void;
}

/** D8 CCYYMMDD as YYYY-MM-DD, or null. */
function ymd(value: string | undefined): string | null {
  if (!value || !/^\d{8}$/.test(value)) return null;
  const iso = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? null : iso;
}

/** What the transaction's header says of the payment, copied onto each of its claims. */
type Payment = Pick<RemitClaim, 'payerName' | 'payerId' | 'payeeNpi' | 'checkNumber' | 'paymentDate' | 'paymentMethod'>;

export class Remit835Reader {
  /** In an 835 transaction (else segments up to its SE are skipped). */
  private inTransaction = false;
  private skipping = false;
  private payment: Payment = this.noPayment();
  /** The N1 loop last opened: payer (PR), payee (PE) or another. */
  private party: string | null = null;
  private claim: RemitClaim | null = null;
  private line: RemitLine | null = null;
  readonly counts = { transactions: 0, transactionsSkipped: 0, claims: 0, lines: 0 };

  constructor(
    private readonly file: string,
    private readonly sink: RemitSink,
  ) {}

  private noPayment(): Payment {
    return { payerName: null, payerId: null, payeeNpi: null, checkNumber: null, paymentDate: null, paymentMethod: null };
  }

  private issue(seg: Segment, severity: 'error' | 'warning', code: IngestIssueCode, message: string): void {
    this.sink.issue({ severity, code, message, segmentIndex: seg.segmentIndex, byteOffset: seg.byteOffset });
  }

  /** A number element: null when empty; an issue and null when it is not a number. */
  private amount(seg: Segment, n: number, what: string): number | null {
    const text = seg.element(n);
    if (text === undefined || text === '') return null;
    const value = Number(text);
    if (!/^-?(\d+\.?\d*|\.\d+)$/.test(text) || !Number.isFinite(value)) {
      this.issue(seg, 'warning', 'remit-amount-invalid', `${seg.id}${String(n).padStart(2, '0')} (${what}) is not a number: ${JSON.stringify(text.slice(0, 20))}`);
      return null;
    }
    return value;
  }

  segment(seg: Segment): void {
    switch (seg.id) {
      case 'ST':
        this.flushClaim();
        this.counts.transactions++;
        this.inTransaction = true;
        this.skipping = seg.element(1) !== '835';
        this.payment = this.noPayment();
        this.party = null;
        if (this.skipping) {
          this.counts.transactionsSkipped++;
          const set = seg.element(1) ?? '';
          this.issue(seg, 'error', 'transaction-not-835', set === '837' ? 'an 837 claim transaction in a remittance file: claims are audited as inputs, remittances read with --remits or claim-audit remits; skipped' : `transaction set ${JSON.stringify(set.slice(0, 6))} is not an 835 remittance; skipped`);
        }
        return;
      case 'SE':
        this.flushClaim();
        this.inTransaction = false;
        this.skipping = false;
        return;
      case 'ISA':
      case 'GS':
      case 'GE':
      case 'IEA':
        this.flushClaim();
        return;
    }
    if (!this.inTransaction || this.skipping) return;
    switch (seg.id) {
      case 'BPR':
        this.payment.paymentMethod = seg.element(4) || null;
        this.payment.paymentDate = ymd(seg.element(16));
        return;
      case 'TRN':
        this.payment.checkNumber = seg.element(2) || null;
        return;
      case 'N1':
        this.party = seg.element(1) ?? null;
        if (this.party === 'PR') {
          this.payment.payerName = seg.element(2) || null;
          if (seg.element(3) === 'XV' || seg.element(3) === 'PI') this.payment.payerId = seg.element(4) || null;
        } else if (this.party === 'PE' && seg.element(3) === 'XX') this.payment.payeeNpi = seg.element(4) || null;
        return;
      case 'REF':
        return this.onRef(seg);
      case 'CLP':
        return this.onClp(seg);
      case 'CAS':
        return this.onCas(seg);
      case 'SVC':
        return this.onSvc(seg);
      case 'DTM':
        return this.onDtm(seg);
      case 'LQ':
        if (this.line && seg.element(1) === 'HE' && seg.element(2)) this.line.remarks.push(seg.element(2)!);
        return;
      case 'AMT':
        if (this.line && seg.element(1) === 'B6') this.line.allowed = this.amount(seg, 2, 'allowed amount');
        return;
      case 'MOA':
        if (this.claim && !this.line) for (const n of [3, 4, 5, 6, 7]) if (seg.element(n)) this.claim.remarks.push(seg.element(n)!);
        return;
      case 'MIA':
        if (this.claim && !this.line) for (const n of [5, 20, 21, 22, 23]) if (seg.element(n)) this.claim.remarks.push(seg.element(n)!);
        return;
      case 'PLB':
        // Provider-level adjustments belong to no claim.
        this.flushClaim();
        return;
    }
  }

  end(): void {
    this.flushClaim();
  }

  private onRef(seg: Segment): void {
    const qualifier = seg.element(1);
    if (this.line) {
      if (qualifier === '6R') this.line.lineControl = seg.element(2) || null;
      return;
    }
    if (this.claim) return;
    if (this.party === 'PR' && qualifier === '2U') this.payment.payerId = seg.element(2) || null;
    // A payee without an NPI in N1 may carry it as REF*HPI (the CMS NPI).
    if (this.party === 'PE' && qualifier === 'HPI' && this.payment.payeeNpi === null) this.payment.payeeNpi = seg.element(2) || null;
  }

  private onClp(seg: Segment): void {
    this.flushClaim();
    const claimId = seg.element(1) ?? '';
    if (claimId === '') this.issue(seg, 'error', 'remit-claim-id-missing', 'CLP01 (the provider\'s claim id) is empty: the claim cannot be matched to an audited one');
    const status = seg.element(2) ?? '';
    const claim: RemitClaim = {
      file: this.file,
      ...this.payment,
      claimId,
      status,
      charge: this.amount(seg, 3, 'charge'),
      paid: this.amount(seg, 4, 'payment'),
      patientResponsibility: this.amount(seg, 5, 'patient responsibility'),
      payerClaimNumber: seg.element(7) || null,
      adjustments: [],
      remarks: [],
      claimDate: null,
      lines: [],
      sourceRef: { file: this.file, segmentIndex: seg.segmentIndex, byteOffset: seg.byteOffset },
    };
    if (status !== '22' && ((claim.charge ?? 0) < 0 || (claim.paid ?? 0) < 0)) this.issue(seg, 'warning', 'remit-negative-amount', `claim ${JSON.stringify(claimId.slice(0, 38))}: a negative ${(claim.charge ?? 0) < 0 ? 'charge' : 'payment'} on a claim that is not a reversal (CLP02 ${JSON.stringify(status)})`);
    this.claim = claim;
    this.counts.claims++;
  }

  private onCas(seg: Segment): void {
    if (!this.claim) {
      this.issue(seg, 'warning', 'remit-outside-claim', 'CAS with no CLP before it; ignored');
      return;
    }
    const group = seg.element(1) ?? '';
    const into = this.line ? this.line.adjustments : this.claim.adjustments;
    // Up to six triples: CARC, amount, quantity.
    for (let i = 0; i < 6; i++) {
      const carc = seg.element(2 + i * 3);
      if (!carc) continue;
      const amount = this.amount(seg, 3 + i * 3, 'adjustment amount');
      const adjustment: Adjustment = { group, carc, amount: amount ?? 0, quantity: this.amount(seg, 4 + i * 3, 'adjustment quantity') };
      into.push(adjustment);
    }
  }

  private onSvc(seg: Segment): void {
    if (!this.claim) {
      this.issue(seg, 'warning', 'remit-outside-claim', 'SVC with no CLP before it; ignored');
      return;
    }
    const paidAs = (seg.element(1) ?? '').split(seg.delimiters.component);
    const billedAs = seg.element(6) ? seg.element(6)!.split(seg.delimiters.component) : null;
    const billed = billedAs ?? paidAs;
    const originalUnits = this.amount(seg, 7, 'original units');
    const line: RemitLine = {
      qualifier: billed[0] || null,
      code: billed[1] || null,
      modifiers: billed.slice(2, 6).filter((m) => m !== ''),
      paidCode: billedAs ? paidAs[1] || null : null,
      charge: this.amount(seg, 2, 'line charge'),
      paid: this.amount(seg, 3, 'line payment'),
      units: originalUnits ?? this.amount(seg, 5, 'units paid'),
      adjustments: [],
      remarks: [],
      lineControl: null,
      serviceDate: null,
      allowed: null,
      sourceRef: { file: this.file, segmentIndex: seg.segmentIndex, byteOffset: seg.byteOffset },
    };
    this.claim.lines.push(line);
    this.line = line;
    this.counts.lines++;
  }

  private onDtm(seg: Segment): void {
    const qualifier = seg.element(1);
    if (this.line) {
      if (qualifier === '472' || (qualifier === '150' && this.line.serviceDate === null)) this.line.serviceDate = ymd(seg.element(2));
      return;
    }
    if (this.claim && (qualifier === '232' || qualifier === '050')) this.claim.claimDate ??= ymd(seg.element(2));
  }

  private flushClaim(): void {
    if (this.claim) this.sink.claim(this.claim);
    this.claim = null;
    this.line = null;
  }
}
