// A drug line between phase 1 and phase 3 of an audit: its lines.ndjson record made once, in
// phase 1, as if the rules across claims find nothing on it, with what phase 3 needs to make
// it again in the few cases where they do. Phase 3 copies the record's text for every other
// line, so most lines are serialised once and never parsed back.
import type { Finding, LineRecord } from '../model/index.js';
import { compareFindings, compareText } from '../model/order.js';
import { maskMemberId, type PhiMode } from '../model/phi.js';
import type { LineBase, LineOutcome } from '../rules/engine.js';
import type { RecordCodec } from '../store/ndjson.js';

/** A drug line after the per-claim rules, as phase 1 stores it on disk. */
export interface LineEntry {
  seq: number;
  /** Where the line's claim starts (CSV row or byte), and its own CSV row (0 in X12): order a regrouped file's lines. */
  claimAt: number;
  row: number;
  /** Indexes into the file's table of not-checked reasons, comma-separated ('' for none): the same few recur on every line. */
  notChecked: string;
  /** The per-claim rules' findings as a JSON array, member ids unmasked ('' for none). */
  findings: string;
  /** What a finding needs of the line beyond its record (BaseExtras as JSON); '' when no rule across claims needs the line. */
  extras: string;
  /** The line's lines.ndjson record (JSON, member id masked as --phi says), as if nothing is found across claims. */
  record: string;
}

/** The fields of LineBase its lines.ndjson record does not hold (or holds masked). */
type BaseExtras = [billingNpi: string | null, billingName: string | null, memberId: string | null, expectedPayment: number | null, paymentBasis: 'asp' | 'opps' | null];

/**
 * Tab-separated fields, the record last: JSON text holds no raw tab, so a line splits back
 * exactly. Read back whole (the reordering of a regrouped CSV) through the same EntryView that
 * phase 3 reads entries in place with, so the format has one reader.
 */
export const ENTRY_CODEC: RecordCodec<LineEntry> = {
  encode: (e) => `${e.seq}\t${e.claimAt}\t${e.row}\t${e.notChecked}\t${e.findings}\t${e.extras}\t${e.record}`,
  decode: (line) => {
    const view = new EntryView().read(Buffer.from(line));
    return { seq: view.seq, claimAt: view.number(1), row: view.number(2), notChecked: view.notChecked, findings: view.findings, extras: view.extras, record: view.record };
  },
};

/** A drug line's lines.ndjson record. */
export function lineRecord({ base, findings, notChecked }: Pick<LineOutcome, 'base' | 'findings' | 'notChecked'>, phi: PhiMode): LineRecord {
  return {
    claimId: base.claimId,
    lineNumber: base.lineNumber,
    claimType: base.claimType,
    hcpcs: base.code,
    modifiers: base.modifiers,
    units: base.units,
    unitBasis: base.unitBasis,
    charge: base.billedCharge,
    serviceDate: base.serviceDate,
    ndc: base.ndc,
    ndcAsSent: base.ndcAsSent,
    ndcQuantity: base.ndcQuantity,
    ndcUnit: base.ndcUnit,
    payerClass: base.payerClass,
    payerName: base.payerName,
    memberId: maskMemberId(base.memberId, phi),
    verdict: findings.length > 0 ? 'fail' : notChecked.length > 0 ? 'not-checked' : 'pass',
    findingIds: [...findings].sort(compareFindings).map((f) => f.id),
    notChecked: [...notChecked].sort((a, b) => compareText(a.ruleId, b.ruleId)),
    sourceRef: base.sourceRef,
  };
}

/** Phase 1: a line's entry. `crosses`: some rule across claims still needs the line. */
export function lineEntry(outcome: Pick<LineOutcome, 'base' | 'findings' | 'notChecked'>, fields: Pick<LineEntry, 'seq' | 'claimAt' | 'notChecked'>, crosses: boolean, phi: PhiMode): LineEntry {
  const { base, findings } = outcome;
  const extras: BaseExtras = [base.billingNpi, base.billingName, base.memberId, base.expectedPayment, base.paymentBasis];
  return {
    ...fields,
    row: base.sourceRef.row ?? 0,
    findings: findings.length > 0 ? JSON.stringify(findings) : '',
    extras: crosses ? JSON.stringify(extras) : '',
    record: JSON.stringify(lineRecord(outcome, phi)),
  };
}

/** Phase 3: the line's base again, from its record and extras, for the findings the rules across claims report on it. */
export function entryBase(entry: Pick<LineEntry, 'seq' | 'extras' | 'record'>): LineBase {
  if (entry.extras === '') throw new Error(`line entry ${entry.seq} has a result across claims but was not kept for one`);
  const record = JSON.parse(entry.record) as LineRecord;
  const [billingNpi, billingName, memberId, expectedPayment, paymentBasis] = JSON.parse(entry.extras) as BaseExtras;
  return {
    claimId: record.claimId,
    lineNumber: record.lineNumber,
    claimType: record.claimType,
    code: record.hcpcs,
    serviceDate: record.serviceDate,
    payerClass: record.payerClass,
    payerName: record.payerName,
    billingNpi,
    billingName,
    memberId,
    modifiers: record.modifiers,
    units: record.units,
    unitBasis: record.unitBasis,
    billedCharge: record.charge,
    expectedPayment,
    paymentBasis,
    ndc: record.ndc,
    ndcAsSent: record.ndcAsSent,
    ndcQuantity: record.ndcQuantity,
    ndcUnit: record.ndcUnit,
    sourceRef: record.sourceRef,
  };
}

/** The per-claim findings of an entry (fresh objects: phase 3 masks them in place). */
export const entryFindings = (entry: Pick<LineEntry, 'findings'>): Finding[] => (entry.findings === '' ? [] : (JSON.parse(entry.findings) as Finding[]));

const TAB = 9;

/**
 * An entry read in place from the bytes of its line (phase 3): fields are decoded only when
 * asked for, and the record's bytes can be copied to lines.ndjson without being decoded.
 * Reads the same lines ENTRY_CODEC writes.
 */
export class EntryView {
  private line: Buffer = Buffer.alloc(0);
  /** Where each of the six tabs is. */
  private readonly tabs = new Int32Array(6);

  /** Points the view at another line (valid while that line's bytes are). */
  read(line: Buffer): this {
    this.line = line;
    let field = 0;
    for (let i = 0; i < line.length && field < 6; i++) if (line[i] === TAB) this.tabs[field++] = i;
    if (field < 6) throw new Error(`damaged line entry: ${field + 1} fields, 7 expected`);
    return this;
  }

  get seq(): number {
    return this.number(0);
  }

  /** Field `field` (0-based) as a whole number; the first three fields are. */
  number(field: number): number {
    let n = 0;
    for (let i = this.start(field), end = this.end(field); i < end; i++) n = n * 10 + (this.line[i]! - 48);
    return n;
  }

  private start(field: number): number {
    return field === 0 ? 0 : this.tabs[field - 1]! + 1;
  }

  private end(field: number): number {
    return field < 6 ? this.tabs[field]! : this.line.length;
  }

  private text(field: number): string {
    return this.line.toString('utf8', this.start(field), this.end(field));
  }

  /** As LineEntry has them. */
  get notChecked(): string {
    return this.text(3);
  }

  get findings(): string {
    return this.text(4);
  }

  get extras(): string {
    return this.text(5);
  }

  get record(): string {
    return this.text(6);
  }

  /** The record's bytes, not decoded. */
  recordBytes(): Buffer {
    return this.line.subarray(this.start(6));
  }
}
