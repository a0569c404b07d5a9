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
 * Which findings an executor found to be their line's first in the ranking (true) or not
 * (false): it knows, since it holds a line's findings together, so the reports need not remember
 * every line they have seen to put a line's dollars on its first finding only. Findings made
 * elsewhere (tests) are not in it.
 */
export const LINE_TOP = new WeakMap<object, boolean>();

/** Marks each of a line's findings as its line's first in the ranking or not. */
export function markLineTop(findings: readonly Finding[]): void {
  let best = 0;
  for (let i = 1; i < findings.length; i++) if (compareFindings(findings[i]!, findings[best]!) < 0) best = i;
  findings.forEach((f, i) => LINE_TOP.set(f, i === best));
}
