// A drug line's lines.ndjson record (DESIGN.md, "Outputs"), made from the audited line. The
// verdict, finding ids and not-checked reasons are the only parts the rules decide, so they are
// set by one function: an executor that made the record before the cross-claim rules ran sets
// them again on the same record.
import type { AuditedLine, LineRecord, NotCheckedEntry } from '../model/index.js';
import { compareFindings, compareText, type RankFields } from '../model/order.js';
import { maskMemberId, type PhiMode } from '../model/phi.js';

/** The line's record; member id masked as --phi says. */
export function lineRecord({ facts, findings, notChecked }: Pick<AuditedLine, 'facts' | 'findings' | 'notChecked'>, phi: PhiMode): LineRecord {
  const record: LineRecord = {
    claimId: facts.claimId,
    lineNumber: facts.lineNumber,
    lineKey: facts.lineKey,
    claimType: facts.claimType,
    hcpcs: facts.code,
    modifiers: facts.modifiers,
    units: facts.units,
    unitBasis: facts.unitBasis,
    charge: facts.billedCharge,
    serviceDate: facts.serviceDate,
    ndc: facts.ndc,
    ndcAsSent: facts.ndcAsSent,
    ndcQuantity: facts.ndcQuantity,
    ndcUnit: facts.ndcUnit,
    payerClass: facts.payerClass,
    payerName: facts.payerName,
    setting: facts.setting,
    billingNpi: facts.billingNpi,
    memberId: maskMemberId(facts.memberId, phi),
    verdict: 'pass',
    findingIds: [],
    notChecked: [],
    sourceRef: facts.sourceRef,
  };
  return setVerdict(record, findings, notChecked);
}

/** Sets the record's verdict, finding ids (ranked) and reasons (by rule) from what the rules said; keys keep their place. */
export function setVerdict(record: LineRecord, findings: readonly RankFields[], notChecked: readonly NotCheckedEntry[]): LineRecord {
  record.verdict = verdictOf(findings.length, notChecked.length);
  record.findingIds = [...findings].sort(compareFindings).map((f) => f.id);
  record.notChecked = [...notChecked].sort((a, b) => compareText(a.ruleId, b.ruleId) || compareText(a.reason, b.reason));
  return record;
}

export const verdictOf = (findings: number, notChecked: number): LineRecord['verdict'] => (findings > 0 ? 'fail' : notChecked > 0 ? 'not-checked' : 'pass');
