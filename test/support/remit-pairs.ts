// A paired 837/835 set with known outcomes (issue 32, item 6). The 837 is the infusion center's
// sample with REF*6R line control numbers added to one claim's lines; after it is audited, the 835
// is written from the audit's own lines and findings by a plan: denials whose CARCs match the
// rules (CO-16/M119 for NDC, CO-151/N362 for MUE, CO-4/N823 for modifiers, CO-50/N115 for
// diagnosis), denials no rule predicts (CO-197, CO-22), a partial payment, a line paid with only
// the patient's deductible (PR-1) and others with the contract and coinsurance (CO-45, PR-2),
// a reversal and re-adjudication, a line matched only by code and date, and a claim paid under
// another CLP01 (its lines found by REF*6R).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PlannedOutcome {
  claimId: string;
  lineNumber: number;
  outcome: 'paid' | 'reduced' | 'denied';
  /** CO/OA adjustments other than the contractual (what the payer took), and the PR share. */
  taken: Array<[group: string, carc: string, amount: number]>;
  remarks: string[];
  paid: number;
  /** How the reader should match it. */
  matchedBy: string;
  ruleIds: string[];
}

/** The claim whose lines carry REF*6R and that the 835 pays under another CLP01. */
export const OTHER_CLP01_CLAIM = 'RB250321-01';
/** The claim paid, reversed and paid again (the last word is the second payment). */
export const REVERSED_CLAIM = 'RB250313-01';
/** The line the 835 reports with other units: matched by code and date only. */
export const CODE_DATE_LINE = { claimId: 'RB250318-01', lineNumber: 1 };

/** The sample 837P with REF*6R on OTHER_CLP01_CLAIM's lines, SE01 counted again. */
export function writePaired837(dir: string, root: string): string {
  const text = readFileSync(join(root, 'samples/837p-infusion-center-medicare.edi'), 'latin1');
  const segments = text.split('~').map((s) => s.replace(/^\s+/, ''));
  const out: string[] = [];
  let inClaim = false;
  let line = 0;
  for (const s of segments) {
    if (s === '') continue;
    if (s.startsWith('CLM*')) {
      inClaim = s.startsWith(`CLM*${OTHER_CLP01_CLAIM}*`);
      line = 0;
    }
    if (s.startsWith('LX*')) line = Number(s.split('*')[1]);
    out.push(s);
    if (inClaim && s.startsWith('SV1*')) out.push(`REF*6R*LC${OTHER_CLP01_CLAIM}-${line}`);
  }
  // SE01: the transaction's segments, ST to SE.
  const st = out.findIndex((s) => s.startsWith('ST*'));
  const se = out.findIndex((s) => s.startsWith('SE*'));
  out[se] = `SE*${se - st + 1}*${out[se]!.split('*')[2]}`;
  const path = join(dir, 'paired.837');
  writeFileSync(path, `${out.join('~\n')}~\n`, 'latin1');
  return path;
}

interface AuditedLine {
  claimId: string;
  lineNumber: number;
  lineKey: string;
  hcpcs: string | null;
  modifiers: string[];
  units: number | null;
  charge: number | null;
  serviceDate: string | null;
  billingNpi: string | null;
  findingIds: string[];
}

const money = (n: number) => (Math.round(n * 100) / 100).toFixed(2).replace(/\.00$/, '');
const d8 = (iso: string | null) => (iso ?? '2025-01-01').replaceAll('-', '');

/** The plan for a line, by its findings' rules. */
function plan(line: AuditedLine, rules: string[], clean: number): Omit<PlannedOutcome, 'claimId' | 'lineNumber' | 'matchedBy' | 'ruleIds'> {
  const charge = Math.max(0, line.charge ?? 0);
  const deny = (carc: string, remark: string, group = 'CO') => ({ outcome: 'denied' as const, taken: [[group, carc, charge]] as PlannedOutcome['taken'], remarks: [remark], paid: 0 });
  const has = (...ids: string[]) => rules.some((r) => ids.includes(r));
  if (has('units-exceed-mue')) return deny('151', 'N362');
  if (has('diagnosis-not-covered')) return deny('50', 'N115');
  if (has('ndc-missing', 'ndc-invalid', 'ndc-not-for-code', 'ndc-quantity-invalid')) return deny('16', 'M119');
  if (has('jw-jz-missing', 'jw-jz-conflict', 'jw-jz-on-multi-dose', 'modifier-not-valid-for-drug', 'modifier-unknown')) return deny('4', 'N823');
  if (has('code-not-effective')) return deny('181', 'N56');
  if (rules.length === 0 && clean === 0) return deny('197', 'N54');
  if (rules.length === 0 && clean === 1) return deny('22', 'MA04');
  if (rules.length === 0 && clean === 2) {
    // A partial payment: half taken by a multiple-procedure reduction.
    const half = Math.round(charge * 50) / 100;
    return { outcome: 'reduced', taken: [['CO', '59', half], ['PR', '2', Math.round((charge - half) * 20) / 100]], remarks: [], paid: Math.round((charge - half) * 80) / 100 };
  }
  if (has('charge-below-expected-payment')) {
    // Paid in full with the patient's deductible the only adjustment (PR only).
    const deductible = Math.round(charge * 10) / 100;
    return { outcome: 'paid', taken: [['PR', '1', deductible]], remarks: [], paid: Math.round((charge - deductible) * 100) / 100 };
  }
  // Paid in full: a contractual write-off and the patient's coinsurance only.
  const allowed = Math.round(charge * 90) / 100;
  const coinsurance = Math.round(allowed * 20) / 100;
  return { outcome: 'paid', taken: [['CO', '45', Math.round((charge - allowed) * 100) / 100], ['PR', '2', coinsurance]], remarks: [], paid: Math.round((allowed - coinsurance) * 100) / 100 };
}

/** The 835 answering the audited lines of `reportsDir` by the plan; returns the plan, a line each. */
export function writePaired835(reportsDir: string, path: string, paymentDate = '2026-03-05'): PlannedOutcome[] {
  const read = (name: string) => readFileSync(join(reportsDir, name), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
  const rulesOf = new Map<string, string>((read('findings.ndjson') as Array<{ id: string; ruleId: string }>).map((f) => [f.id, f.ruleId]));
  const lines = read('lines.ndjson') as AuditedLine[];
  const claims = new Map<string, AuditedLine[]>();
  for (const l of lines) (claims.get(l.claimId) ?? claims.set(l.claimId, []).get(l.claimId)!).push(l);
  const planned: PlannedOutcome[] = [];
  const body: string[] = [];
  let total = 0;
  let clean = 0;
  let payerClaim = 1000;
  const clp = (claimId: string, status: string, ls: Array<{ line: AuditedLine; p: ReturnType<typeof plan> }>, sign = 1, icn = `ICN${payerClaim++}`) => {
    const charge = ls.reduce((n, x) => n + Math.max(0, x.line.charge ?? 0), 0);
    const paid = ls.reduce((n, x) => n + x.p.paid, 0);
    const pr = ls.reduce((n, x) => n + x.p.taken.filter(([g]) => g === 'PR').reduce((m, [, , a]) => m + a, 0), 0);
    total += sign * paid;
    body.push(`CLP*${claimId}*${status}*${money(sign * charge)}*${money(sign * paid)}*${money(sign * pr)}*MB*${icn}`);
    body.push('NM1*QC*1*PATIENT*SYNTHETIC****MI*0000000000');
    for (const { line, p } of ls) {
      const units = claimId === CODE_DATE_LINE.claimId && line.lineNumber === CODE_DATE_LINE.lineNumber ? (line.units ?? 1) + 1 : (line.units ?? 1);
      body.push(`SVC*HC:${[line.hcpcs ?? '', ...line.modifiers].join(':')}*${money(sign * Math.max(0, line.charge ?? 0))}*${money(sign * p.paid)}**${units}`);
      body.push(`DTM*472*${d8(line.serviceDate)}`);
      for (const [group, carc, amount] of p.taken) if (amount !== 0) body.push(`CAS*${group}*${carc}*${money(sign * amount)}`);
      if (line.lineKey.startsWith('6R:')) body.push(`REF*6R*${line.lineKey.slice(3)}`);
      for (const r of p.remarks) body.push(`LQ*HE*${r}`);
    }
    return icn;
  };
  for (const [claimId, ls] of claims) {
    const withPlans = ls.map((line) => {
      const rules = [...new Set(line.findingIds.map((id) => rulesOf.get(id)).filter((r): r is string => r !== undefined))].sort();
      const p = plan(line, rules, clean);
      if (rules.length === 0) clean++;
      return { line, p, rules };
    });
    for (const { line, p, rules } of withPlans) {
      const matchedBy = claimId === OTHER_CLP01_CLAIM ? '6R (claim under another CLP01)' : claimId === CODE_DATE_LINE.claimId && line.lineNumber === CODE_DATE_LINE.lineNumber ? 'code+date' : line.lineKey.startsWith('6R:') ? '6R' : 'code+date+units+modifiers';
      planned.push({ claimId, lineNumber: line.lineNumber, ...p, matchedBy, ruleIds: rules });
    }
    if (claimId === REVERSED_CLAIM) {
      // First paid as if clean, then reversed, then paid again by the plan: the last word counts.
      const first = withPlans.map(({ line }) => ({ line, p: { outcome: 'paid' as const, taken: [] as PlannedOutcome['taken'], remarks: [], paid: Math.max(0, line.charge ?? 0) } }));
      const icn = clp(claimId, '1', first);
      clp(claimId, '22', first, -1, icn);
      clp(claimId, '1', withPlans);
    } else clp(claimId === OTHER_CLP01_CLAIM ? `${claimId}-PAYER` : claimId, '1', withPlans);
  }
  const segments = [
    'ST*835*0001',
    `BPR*I*${money(total)}*C*ACH${'*'.repeat(12)}${d8(paymentDate)}`,
    'TRN*1*EFT20260305*1512345678',
    'N1*PR*MEDICARE PART B',
    'N1*PE*RIVERBEND INFUSION CENTER*XX*1234567893',
    'LX*1',
    ...body,
  ];
  segments.push(`SE*${segments.length + 1}*0001`);
  const isa = 'ISA*00*          *00*          *ZZ*MEDICARE       *ZZ*RIVERBEND      *260305*1200*^*00501*000000001*0*P*:';
  writeFileSync(path, [isa, 'GS*HP*MEDICARE*RIVERBEND*20260305*1200*1*X*005010X221A1', ...segments, 'GE*1*1', 'IEA*1*000000001'].join('~\n') + '~\n', 'latin1');
  return planned;
}
