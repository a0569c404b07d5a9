// Predicted against paid: every rule measured on the user's own remittances. Over the outcomes
// of a window (by payment date), per rule: the findings whose line has an outcome, how many the
// payer denied or reduced (confirmed), how many with the CARC the rule names, precision with its
// 95% Wilson interval, and dollars predicted against dollars the payer took; the same per payer
// and rule where there are 10 outcomes or more; the denials no rule predicted (the rules to
// write next); and the lines with findings the payer paid in full (candidate suppressions, never
// applied by the auditor).
import type { LineOutcome } from '../history/remits.js';

export interface Interval {
  low: number;
  high: number;
}

/** The 95% Wilson score interval of x successes in n trials (E. B. Wilson, 1927): honest at small n, never outside 0–1. */
export function wilson(x: number, n: number, z = 1.959964): Interval {
  if (n === 0) return { low: 0, high: 1 };
  const p = x / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return { low: round(Math.max(0, center - half)), high: round(Math.min(1, center + half)) };
}

export interface RuleCalibration {
  ruleId: string;
  payer?: string;
  /** Findings of the rule whose line has an outcome (a reversal aside). */
  outcomes: number;
  denied: number;
  reduced: number;
  paid: number;
  /** Denied or reduced: the finding was confirmed. */
  confirmed: number;
  /** Of the confirmed, those whose adjustment codes include the CARC the rule names. */
  withNamedCarc: number;
  /** confirmed / outcomes, and its 95% Wilson interval. */
  precision: number | null;
  interval: Interval;
  /** What the findings put at risk, and what the payer took off those lines. */
  predictedDollars: number;
  adjustedDollars: number;
}

export interface UnpredictedDenial {
  carcs: string;
  rarcs: string;
  code: string | null;
  lines: number;
  dollars: number;
}

export interface PaidWithFindings {
  claimId: string;
  lineNumber: number;
  code: string | null;
  ruleIds: string[];
  findingIds: string[];
  paid: number;
  date: string | null;
  payerName: string | null;
}

export interface Calibration {
  /** The window: payments on or after this date (null: the whole history). */
  since: string | null;
  /** Audited lines with an outcome in the window, by outcome. */
  lines: number;
  byOutcome: Record<LineOutcome['outcome'], number>;
  /** Lines with findings no remittance has answered yet (null where not known). */
  pending: number | null;
  rules: RuleCalibration[];
  /** Per payer and rule, where there are at least PAYER_RULE_MIN outcomes. */
  payerRules: RuleCalibration[];
  unpredicted: UnpredictedDenial[];
  paidWithFindings: PaidWithFindings[];
}

/** Outcomes a payer × rule cell needs before it is shown. */
export const PAYER_RULE_MIN = 10;

/** "CO-16" and "OA-16" name the same reason: compared by the code. */
const carcCode = (carc: string) => carc.replace(/^[A-Z]{2}-/, '');

const cents = (n: number) => Math.round(n * 100);

function tally(ruleId: string, list: ReadonlyArray<{ o: LineOutcome; carc: string | null; dollars: number }>, payer?: string): RuleCalibration {
  let denied = 0;
  let reduced = 0;
  let paid = 0;
  let named = 0;
  let predicted = 0;
  let adjusted = 0;
  for (const { o, carc, dollars } of list) {
    if (o.outcome === 'denied') denied++;
    else if (o.outcome === 'reduced') reduced++;
    else if (o.outcome === 'paid') paid++;
    if ((o.outcome === 'denied' || o.outcome === 'reduced') && carc !== null && o.carcs.some((c) => carcCode(c) === carcCode(carc))) named++;
    predicted += cents(dollars);
    adjusted += cents(o.adjusted);
  }
  const outcomes = denied + reduced + paid;
  const confirmed = denied + reduced;
  return {
    ruleId,
    ...(payer !== undefined ? { payer } : {}),
    outcomes,
    denied,
    reduced,
    paid,
    confirmed,
    withNamedCarc: named,
    precision: outcomes === 0 ? null : Math.round((confirmed / outcomes) * 1000) / 1000,
    interval: wilson(confirmed, outcomes),
    predictedDollars: predicted / 100,
    adjustedDollars: adjusted / 100,
  };
}

/** The calibration of the outcomes (each line's latest), within the window. */
export function calibrate(outcomes: Iterable<LineOutcome>, options: { since?: string | null; pending?: number | null } = {}): Calibration {
  const since = options.since ?? null;
  const byRule = new Map<string, Array<{ o: LineOutcome; carc: string | null; dollars: number }>>();
  const byPayerRule = new Map<string, Array<{ o: LineOutcome; carc: string | null; dollars: number }>>();
  const unpredicted = new Map<string, UnpredictedDenial & { cents: number }>();
  const paidWithFindings: PaidWithFindings[] = [];
  const byOutcome: Calibration['byOutcome'] = { paid: 0, reduced: 0, denied: 0, reversed: 0 };
  let lines = 0;
  for (const o of outcomes) {
    if (since !== null && (o.date ?? '') < since) continue;
    lines++;
    byOutcome[o.outcome]++;
    if (o.outcome === 'reversed') continue;
    // A line counts once for a rule, at its largest finding of the rule.
    const rules = new Map<string, { carc: string | null; dollars: number }>();
    for (const f of o.findings) {
      const at = rules.get(f.ruleId);
      if (!at || f.dollars > at.dollars) rules.set(f.ruleId, { carc: f.carc, dollars: f.dollars });
    }
    for (const [ruleId, f] of rules) {
      const entry = { o, ...f };
      (byRule.get(ruleId) ?? byRule.set(ruleId, []).get(ruleId)!).push(entry);
      const payer = o.payerName ?? o.payerClass;
      const key = `${payer}\u0000${ruleId}`;
      (byPayerRule.get(key) ?? byPayerRule.set(key, []).get(key)!).push(entry);
    }
    if (o.findings.length === 0 && (o.outcome === 'denied' || o.outcome === 'reduced')) {
      const carcs = [...o.carcs].sort().join(' ');
      const rarcs = [...o.rarcs].sort().join(' ');
      const key = `${carcs}\u0000${rarcs}\u0000${o.code ?? ''}`;
      const u = unpredicted.get(key) ?? { carcs, rarcs, code: o.code, lines: 0, dollars: 0, cents: 0 };
      u.lines++;
      u.cents += cents(o.adjusted);
      unpredicted.set(key, u);
    }
    if (o.findings.length > 0 && o.outcome === 'paid') {
      paidWithFindings.push({ claimId: o.claimId, lineNumber: o.lineNumber, code: o.code, ruleIds: [...rules.keys()].sort(), findingIds: o.findings.map((f) => f.id), paid: o.paid, date: o.date, payerName: o.payerName });
    }
  }
  const order = (a: RuleCalibration, b: RuleCalibration) => b.outcomes - a.outcomes || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
  return {
    since,
    lines,
    byOutcome,
    pending: options.pending ?? null,
    rules: [...byRule].map(([ruleId, list]) => tally(ruleId, list)).sort(order),
    payerRules: [...byPayerRule]
      .filter(([, list]) => list.length >= PAYER_RULE_MIN)
      .map(([key, list]) => tally(key.slice(key.indexOf('\u0000') + 1), list, key.slice(0, key.indexOf('\u0000'))))
      .sort((a, b) => ((a.payer ?? '') < (b.payer ?? '') ? -1 : (a.payer ?? '') > (b.payer ?? '') ? 1 : order(a, b))),
    unpredicted: [...unpredicted.values()]
      .map(({ cents: c, ...u }) => ({ ...u, dollars: c / 100 }))
      .sort((a, b) => b.dollars - a.dollars || b.lines - a.lines || (a.carcs < b.carcs ? -1 : a.carcs > b.carcs ? 1 : (a.code ?? '') < (b.code ?? '') ? -1 : 1)),
    paidWithFindings: paidWithFindings.sort((a, b) => (a.claimId < b.claimId ? -1 : a.claimId > b.claimId ? 1 : a.lineNumber - b.lineNumber)),
  };
}

/** calibration.csv: a row per rule, then per payer and rule. */
export const CALIBRATION_CSV_COLUMNS = ['scope', 'payer', 'rule_id', 'outcomes', 'denied', 'reduced', 'paid', 'confirmed', 'with_named_carc', 'precision', 'precision_low_95', 'precision_high_95', 'predicted_dollars', 'adjusted_dollars'] as const;

export function calibrationRows(c: Calibration): Array<Array<string | number | null>> {
  const row = (scope: string, r: RuleCalibration) => [scope, r.payer ?? null, r.ruleId, r.outcomes, r.denied, r.reduced, r.paid, r.confirmed, r.withNamedCarc, r.precision, r.interval.low, r.interval.high, r.predictedDollars.toFixed(2), r.adjustedDollars.toFixed(2)];
  return [...c.rules.map((r) => row('rule', r)), ...c.payerRules.map((r) => row('payer-rule', r))];
}
