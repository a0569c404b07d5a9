import type { Finding } from './index.js';

// Ordering that does not depend on the machine: String#localeCompare follows the ICU locale
// of the process (LANG), so two machines could rank the same findings differently.
/** Compares by UTF-16 code units, the same on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** error before warning before info. */
export const SEVERITY_RANK: Record<Finding['severity'], number> = { error: 0, warning: 1, info: 2 };

/** What the ranking of findings looks at. */
export type RankFields = Pick<Finding, 'dollarsAtRisk' | 'severity' | 'claimId' | 'lineNumber' | 'ruleId' | 'id'> & { sourceRef: Pick<Finding['sourceRef'], 'file' | 'byteOffset'> };

/**
 * The findings' ranking (DESIGN.md): dollars at risk; ties by severity, claim id, line number,
 * rule id, the finding id, then where the line is (a claim sent twice has two findings of one
 * id): a total order, so no executor's sort or merge can order ties its own way.
 */
export function compareFindings(a: RankFields, b: RankFields): number {
  return (
    b.dollarsAtRisk - a.dollarsAtRisk ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    compareText(a.claimId, b.claimId) ||
    a.lineNumber - b.lineNumber ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.id, b.id) ||
    compareText(a.sourceRef.file, b.sourceRef.file) ||
    a.sourceRef.byteOffset - b.sourceRef.byteOffset
  );
}

/**
 * The ranking's part of one line: its findings, the first-ranked of those not suppressed (a
 * suppressed finding leaves the totals) carrying the line's dollars (Finding.lineDollars). New
 * values: the findings given are not changed. An executor holds a line's findings together, so
 * the reports need not remember the lines they have seen to count each once.
 */
export function rankLine(findings: readonly Finding[]): Finding[] {
  let best = -1;
  for (let i = 0; i < findings.length; i++) if (findings[i]!.suppression === undefined && (best < 0 || compareFindings(findings[i]!, findings[best]!) < 0)) best = i;
  return findings.map((f, i) => (i === best ? { ...f, lineDollars: f.dollarsAtRisk } : f));
}
