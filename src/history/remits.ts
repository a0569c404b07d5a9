// Remittances matched to audited lines, and what the payer did with each (issue 32). The audited
// drug lines and their findings come from the history (each run's drug-lines.ndjson and
// findings.ndjson); the remittances from 835s (ingest/remits.ts). Kept as outcomes, one record an
// audited line, in the history: DIR/outcomes/<id>.ndjson for `claim-audit remits`, a run's own
// outcomes.ndjson for an audit with --remits. The latest word on a line wins.
//
// Matching. Claim: CLP01 = CLM01, with the payee's NPI (N1*PE) = the billing NPI when both are
// known; a claim paid under another CLP01 is found by its lines' REF*6R. Line: REF*6R when both
// sides carry it; else code as billed + service date + units + modifiers; among several, the
// charge; then the order of the lines; else code + date alone. Each match says how it was made
// and how sure it is. What matches nothing is counted and listed, never guessed.
//
// Outcome of a line: `denied` (nothing paid, with a CO, OA or PI adjustment other than the
// contractual ones), `reduced` (paid, with such an adjustment), `paid` (in full: only the
// contractual adjustments and the patient's share, PR), `reversed` (the last word on the claim
// is a reversal, CLP02 22), `pending` (no remittance yet: no record).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Adjustment, RemitClaim, RemitLine } from '../model/remittance.js';
import type { IngestIssue } from '../model/index.js';
import { TextWriter } from '../store/ndjson.js';
import { lineageKey } from '../rules/lineage.js';
import { compareText } from '../model/order.js';
import { listRuns, runId } from './store.js';

/** What the history keeps of each audited drug line (a run's drug-lines.ndjson). */
export interface AuditedDrugLine {
  claimKey: string;
  claimId: string;
  billingNpi: string | null;
  lineKey: string;
  lineNumber: number;
  code: string | null;
  modifiers: string[];
  units: number | null;
  charge: number | null;
  serviceDate: string | null;
  payerName: string | null;
  payerClass: string;
  findingIds: string[];
}

/** A finding of an audited line, as the calibration needs it. */
export interface OutcomeFinding {
  id: string;
  ruleId: string;
  severity: string;
  /** The CARC the rule names (its group and code: CO-16), or null. */
  carc: string | null;
  dollars: number;
}

export type Outcome = 'paid' | 'reduced' | 'denied' | 'reversed';
export type MatchedBy = '6R' | 'code+date+units+modifiers' | 'code+date+units+modifiers+charge' | 'line order' | 'code+date' | '6R (claim under another CLP01)';

/** One audited line's outcome (outcomes.ndjson). */
export interface LineOutcome {
  claimKey: string;
  lineKey: string;
  claimId: string;
  lineNumber: number;
  code: string | null;
  serviceDate: string | null;
  payerName: string | null;
  payerClass: string;
  /** The run that audited the line (its findings are that run's). */
  run: string;
  findings: OutcomeFinding[];
  outcome: Outcome;
  /** The line's adjustments as "CO-16" and its remarks (LQ*HE), the claim's remarks after. */
  carcs: string[];
  rarcs: string[];
  /** What the payer took off, other than the contractual adjustments and the patient's share. */
  adjusted: number;
  paid: number;
  charge: number | null;
  /** The payment's date (BPR16), else the file's order. */
  date: string | null;
  matchedBy: MatchedBy;
  confidence: 'high' | 'medium' | 'low';
  remit: { file: string; payerClaimNumber: string | null; check: string | null; status: string; segmentIndex: number | undefined };
}

/** CO adjustments that are the contract, not a denial or a reduction: charges over the fee schedule or allowable, sequestration. */
export const CONTRACTUAL_CARCS: ReadonlySet<string> = new Set(['45', '42', '253']);

/** An adjustment that takes money the provider expected: CO, OA or PI, not contractual. */
const taken = (a: Adjustment) => (a.group === 'CO' || a.group === 'OA' || a.group === 'PI') && !CONTRACTUAL_CARCS.has(a.carc) && a.amount > 0;

export function outcomeOf(paid: number, adjustments: readonly Adjustment[]): { outcome: Exclude<Outcome, 'reversed'>; adjusted: number } {
  const adjusted = Math.round(adjustments.filter(taken).reduce((n, a) => n + a.amount, 0) * 100) / 100;
  if (adjusted <= 0) return { outcome: 'paid', adjusted: 0 };
  return { outcome: paid <= 0 ? 'denied' : 'reduced', adjusted };
}

/** The history's audited drug lines by claim key, each claim's latest run's. */
export type HistoryLines = ReadonlyMap<string, { run: string; lines: AuditedDrugLine[] }>;

/** Every audited drug line the history keeps, the latest run's for a claim audited again (its replacement or resubmission). Read once a run: matching and the pending count share it. */
export function historyLines(dir: string): Map<string, { run: string; lines: AuditedDrugLine[] }> {
  const byClaim = new Map<string, { run: string; lines: AuditedDrugLine[] }>();
  for (const run of listRuns(dir)) {
    const path = join(dir, run, 'drug-lines.ndjson');
    if (!existsSync(path)) continue;
    const here = new Map<string, AuditedDrugLine[]>();
    for (const text of readFileSync(path, 'utf8').split('\n')) {
      if (text === '') continue;
      const line = JSON.parse(text) as AuditedDrugLine;
      const list = here.get(line.claimKey);
      if (list) list.push(line);
      else here.set(line.claimKey, [line]);
    }
    for (const [claim, lines] of here) byClaim.set(claim, { run, lines });
  }
  return byClaim;
}

/** The findings of the runs named, by id. */
function findingsOf(dir: string, runs: Iterable<string>): Map<string, OutcomeFinding> {
  const found = new Map<string, OutcomeFinding>();
  for (const run of runs) {
    const path = join(dir, run, 'findings.ndjson');
    if (!existsSync(path)) continue;
    for (const text of readFileSync(path, 'utf8').split('\n')) {
      if (text === '') continue;
      const f = JSON.parse(text) as { id: string; ruleId: string; severity: string; denial: { group: string | null; carc: string | null }; dollarsAtRisk: number };
      found.set(`${run}\u0000${f.id}`, { id: f.id, ruleId: f.ruleId, severity: f.severity, carc: f.denial.carc ? `${f.denial.group ?? 'CO'}-${f.denial.carc}` : null, dollars: f.dollarsAtRisk });
    }
  }
  return found;
}

/** A remittance claim with the last word on it: reversals applied. */
interface Settled {
  claim: RemitClaim;
  reversed: boolean;
}

/**
 * The last word on each claim a payer paid (payer, payee NPI and CLP01): a reversal (CLP02 22)
 * takes back the payment it names (CLP07, else the latest), a later payment replaces it.
 */
export function settleClaims(claims: readonly RemitClaim[], issue: (i: IngestIssue) => void): Settled[] {
  const ordered = claims.map((c, i) => ({ c, i })).sort((a, b) => compareText(a.c.paymentDate ?? '', b.c.paymentDate ?? '') || a.i - b.i);
  const active = new Map<string, Settled[]>();
  const where = (c: RemitClaim) => ({ file: c.file, ...(c.sourceRef.segmentIndex !== undefined ? { segmentIndex: c.sourceRef.segmentIndex } : {}), byteOffset: c.sourceRef.byteOffset });
  for (const { c } of ordered) {
    const key = `${c.payerId ?? c.payerName ?? ''}\u0000${c.payeeNpi ?? ''}\u0000${c.claimId}`;
    const list = active.get(key) ?? [];
    if (c.status === '22') {
      const at = list.findLastIndex((s) => !s.reversed && (c.payerClaimNumber === null || s.claim.payerClaimNumber === c.payerClaimNumber));
      if (at >= 0) list[at] = { ...list[at]!, reversed: true };
      else {
        issue({ severity: 'warning', code: 'remit-reversal-without-original', message: `claim ${JSON.stringify(c.claimId.slice(0, 38))}: a reversal (CLP02 22) of a payment no remittance read shows; its lines are taken as reversed`, ...where(c) });
        list.push({ claim: c, reversed: true });
      }
    } else {
      const same = list.findIndex((s) => !s.reversed && s.claim.payerClaimNumber !== null && s.claim.payerClaimNumber === c.payerClaimNumber);
      if (same >= 0) {
        issue({ severity: 'warning', code: 'remit-duplicate-claim', message: `claim ${JSON.stringify(c.claimId.slice(0, 38))}: paid again under the same payer claim number ${JSON.stringify((c.payerClaimNumber ?? '').slice(0, 30))} without a reversal between; the later payment is the last word`, ...where(c) });
        list.splice(same, 1);
      }
      list.push({ claim: c, reversed: false });
    }
    active.set(key, list);
  }
  // The last word: the latest unreversed payment, else the reversal.
  const settled: Settled[] = [];
  for (const list of active.values()) {
    const live = list.filter((s) => !s.reversed);
    settled.push(live.length > 0 ? live.at(-1)! : list.at(-1)!);
  }
  return settled;
}

export interface MatchResult {
  outcomes: LineOutcome[];
  /** Remittance claims with no audited claim, and lines of matched claims with no audited line (drug codes only listed). */
  unmatchedClaims: Array<{ claimId: string; file: string; payeeNpi: string | null; lines: number }>;
  unmatchedLines: Array<{ claimId: string; code: string | null; serviceDate: string | null; file: string; segmentIndex: number | undefined }>;
  counts: { claims: number; claimsMatched: number; remitLines: number; linesMatched: number };
}

const sortedMods = (m: readonly string[]) => [...m].sort().join(':');

/** Remittances matched to the history's audited lines (historyLines; `dir` for their runs' findings): an outcome for each matched line. */
export function matchRemits(byClaim: HistoryLines, dir: string, claims: readonly RemitClaim[], issue: (i: IngestIssue) => void): MatchResult {
  const byClaimId = new Map<string, Array<{ key: string; run: string; lines: AuditedDrugLine[] }>>();
  const by6R = new Map<string, { run: string; line: AuditedDrugLine }>();
  for (const [key, { run, lines }] of byClaim) {
    const id = lines[0]!.claimId;
    const list = byClaimId.get(id) ?? [];
    list.push({ key, run, lines });
    byClaimId.set(id, list);
    for (const line of lines) if (line.lineKey.startsWith('6R:')) by6R.set(line.lineKey, { run, line });
  }
  const settled = settleClaims(claims, issue);
  const runs = new Set<string>();
  const matches: Array<{ run: string; line: AuditedDrugLine; claim: Settled; remit: RemitLine | null; by: MatchedBy; confidence: LineOutcome['confidence'] }> = [];
  const result: MatchResult = { outcomes: [], unmatchedClaims: [], unmatchedLines: [], counts: { claims: settled.length, claimsMatched: 0, remitLines: 0, linesMatched: 0 } };
  for (const s of settled) {
    const c = s.claim;
    result.counts.remitLines += c.lines.length;
    const candidates = byClaimId.get(c.claimId) ?? [];
    const found = candidates.find((k) => c.payeeNpi !== null && k.lines[0]!.billingNpi === c.payeeNpi) ?? (candidates.length === 1 && (c.payeeNpi === null || candidates[0]!.lines[0]!.billingNpi === null) ? candidates[0] : undefined);
    if (!found) {
      // Paid under another CLP01: its lines' REF*6R may still name audited lines.
      const by6 = c.lines.map((r) => (r.lineControl ? by6R.get(`6R:${r.lineControl}`) : undefined));
      if (by6.some((m) => m !== undefined)) {
        result.counts.claimsMatched++;
        c.lines.forEach((r, i) => {
          const m = by6[i];
          if (m) matches.push({ run: m.run, line: m.line, claim: s, remit: r, by: '6R (claim under another CLP01)', confidence: 'medium' });
          else result.unmatchedLines.push({ claimId: c.claimId, code: r.code, serviceDate: r.serviceDate ?? c.claimDate, file: c.file, segmentIndex: r.sourceRef.segmentIndex });
        });
        continue;
      }
      result.unmatchedClaims.push({ claimId: c.claimId, file: c.file, payeeNpi: c.payeeNpi, lines: c.lines.length });
      continue;
    }
    result.counts.claimsMatched++;
    runs.add(found.run);
    const open = [...found.lines].sort((a, b) => a.lineNumber - b.lineNumber);
    if (c.lines.length === 0) {
      // Paid at the claim level only: every audited line takes the claim's word.
      for (const line of open) matches.push({ run: found.run, line, claim: s, remit: null, by: 'code+date', confidence: 'low' });
      continue;
    }
    const left = c.lines.map((r) => r);
    const take = (r: RemitLine, line: AuditedDrugLine, by: MatchedBy, confidence: LineOutcome['confidence']) => {
      matches.push({ run: found.run, line, claim: s, remit: r, by, confidence });
      open.splice(open.indexOf(line), 1);
      left.splice(left.indexOf(r), 1);
    };
    const dateOf = (r: RemitLine) => r.serviceDate ?? c.claimDate;
    for (const r of [...left]) {
      if (!r.lineControl) continue;
      const line = open.find((l) => l.lineKey === `6R:${r.lineControl}`);
      if (line) take(r, line, '6R', 'high');
    }
    for (const r of [...left]) {
      const same = open.filter((l) => l.code === r.code && l.serviceDate === dateOf(r) && (l.units ?? 1) === (r.units ?? 1) && sortedMods(l.modifiers) === sortedMods(r.modifiers));
      if (same.length === 1) take(r, same[0]!, 'code+date+units+modifiers', 'high');
      else if (same.length > 1) {
        const charged = same.filter((l) => l.charge !== null && l.charge === r.charge);
        if (charged.length >= 1) take(r, charged[0]!, charged.length === 1 ? 'code+date+units+modifiers+charge' : 'line order', charged.length === 1 ? 'medium' : 'low');
        else take(r, same[0]!, 'line order', 'low');
      }
    }
    for (const r of [...left]) {
      const line = open.find((l) => l.code === r.code && l.serviceDate === dateOf(r));
      if (line) take(r, line, 'code+date', 'low');
    }
    for (const r of left) result.unmatchedLines.push({ claimId: c.claimId, code: r.code, serviceDate: dateOf(r), file: c.file, segmentIndex: r.sourceRef.segmentIndex });
  }
  for (const m of matches) runs.add(m.run);
  const findings = findingsOf(dir, runs);
  for (const m of matches) {
    const c = m.claim.claim;
    const adjustments = m.remit ? m.remit.adjustments : c.adjustments;
    const paid = m.remit ? (m.remit.paid ?? 0) : (c.paid ?? 0);
    let { outcome, adjusted } = outcomeOf(paid, adjustments) as { outcome: Outcome; adjusted: number };
    if (!m.remit && outcome !== 'paid') {
      // A claim-level adjustment, shared by the claim's audited lines as their charges are.
      const lines = m.claim.claim.lines.length === 0 ? (byClaim.get(m.line.claimKey)?.lines ?? [m.line]) : [m.line];
      const total = lines.reduce((n, l) => n + Math.max(0, l.charge ?? 0), 0);
      adjusted = outcome === 'denied' ? Math.max(0, m.line.charge ?? 0) : total > 0 ? Math.round(((adjusted * Math.max(0, m.line.charge ?? 0)) / total) * 100) / 100 : 0;
    }
    if (m.claim.reversed) outcome = 'reversed';
    result.counts.linesMatched++;
    result.outcomes.push({
      claimKey: m.line.claimKey,
      lineKey: m.line.lineKey,
      claimId: m.line.claimId,
      lineNumber: m.line.lineNumber,
      code: m.line.code,
      serviceDate: m.line.serviceDate,
      payerName: c.payerName ?? m.line.payerName,
      payerClass: m.line.payerClass,
      run: m.run,
      findings: m.line.findingIds.flatMap((id) => {
        const f = findings.get(`${m.run}\u0000${id}`);
        return f ? [f] : [];
      }),
      outcome,
      carcs: [...new Set([...adjustments.filter((a) => a.amount !== 0 && a.group !== 'PR').map((a) => `${a.group}-${a.carc}`)])],
      rarcs: [...new Set([...(m.remit?.remarks ?? []), ...c.remarks])],
      adjusted,
      paid,
      charge: m.remit ? m.remit.charge : m.line.charge,
      date: c.paymentDate,
      matchedBy: m.by,
      confidence: m.confidence,
      remit: { file: c.file, payerClaimNumber: c.payerClaimNumber, check: c.checkNumber, status: c.status, segmentIndex: (m.remit ?? c).sourceRef.segmentIndex },
    });
  }
  result.outcomes.sort((a, b) => (a.claimKey < b.claimKey ? -1 : a.claimKey > b.claimKey ? 1 : a.lineNumber - b.lineNumber));
  return result;
}

/** Outcomes kept by `claim-audit remits` (DIR/outcomes/) and by audit runs with --remits (their outcomes.ndjson), oldest first. */
function outcomeFiles(dir: string): string[] {
  const files: Array<[string, string]> = [];
  const kept = join(dir, 'outcomes');
  if (existsSync(kept)) for (const f of readdirSync(kept)) if (/^\d{8}T\d{6}Z-[0-9a-f]{6}\.ndjson$/.test(f)) files.push([f.replace('.ndjson', ''), join(kept, f)]);
  for (const run of listRuns(dir)) if (existsSync(join(dir, run, 'outcomes.ndjson'))) files.push([run, join(dir, run, 'outcomes.ndjson')]);
  return files.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, f]) => f);
}

/** Each line's latest outcome (by claim and line key), from every outcomes file of the history. */
export function readOutcomes(dir: string): Map<string, LineOutcome> {
  const latest = new Map<string, LineOutcome>();
  for (const file of outcomeFiles(dir)) {
    for (const text of readFileSync(file, 'utf8').split('\n')) {
      if (text === '') continue;
      const o = JSON.parse(text) as LineOutcome;
      latest.set(outcomeKey(o), o);
    }
  }
  return latest;
}

export const outcomeKey = (o: Pick<LineOutcome, 'claimKey' | 'lineKey'>) => `${o.claimKey}\u0000${o.lineKey}`;

/** The key of a finding's line, as outcomes are kept by. */
export const findingLineKey = (f: { billingNpi: string | null; claimId: string; lineKey: string }) => `${lineageKey(f)}\u0000${f.lineKey}`;

/** Writes outcomes as a new file of the history's outcomes folder (whole, renamed into place), named like a run; never over an earlier one. */
export function writeOutcomes(dir: string, readAt: Date, inputs: ReadonlyArray<{ sha256: string }>, outcomes: Iterable<LineOutcome>): string {
  const folder = join(dir, 'outcomes');
  mkdirSync(folder, { recursive: true });
  const id = runId(readAt, inputs, new Set(readdirSync(folder).map((f) => f.replace(/\.ndjson$/, ''))));
  const target = join(folder, `${id}.ndjson`);
  const temp = join(folder, `.${id}.tmp`);
  const out = new TextWriter(temp);
  try {
    for (const o of outcomes) out.write(`${JSON.stringify(o)}\n`);
  } finally {
    out.close();
  }
  renameSync(temp, target);
  return target;
}

/** Lines with findings in the history (each claim's latest audit) that no remittance has answered (`answered`: outcomes by outcomeKey). */
export function pendingLines(byClaim: HistoryLines, answered: ReadonlyMap<string, unknown>): number {
  let pending = 0;
  for (const { lines } of byClaim.values()) for (const l of lines) if (l.findingIds.length > 0 && !answered.has(outcomeKey(l))) pending++;
  return pending;
}
