// summary.json: the run manifest and the view model's totals, groups and coverage. Timestamps
// live only in manifest.run; everything else is the same for the same inputs.
import type { ReportView } from '../view/view.js';

/** summary.json keeps the top of the ranking; findings.ndjson and findings.csv have them all. */
export const SUMMARY_TOP_FINDINGS = 100;

export function summaryJson(view: ReportView) {
  return {
    manifest: view.manifest,
    exitCode: view.exitCode,
    totals: view.totals,
    findingTotals: view.findingTotals,
    // Everything open on the worklist (tonight's lines and those carried from earlier runs), each line once.
    ...(view.open ? { open: view.open } : {}),
    coverage: view.coverage,
    groups: view.groups,
    ...(view.owners ? { owners: view.owners } : {}),
    ingestIssues: view.ingestIssues,
    topFindings: view.findings.slice(0, SUMMARY_TOP_FINDINGS),
    ...(view.history ? { history: view.history } : {}),
    ...(view.calibration ? { calibration: view.calibration } : {}),
    ...(view.trends ? { trends: { nights: view.trends, aging: view.open?.aging ?? null } } : {}),
    ...(view.suppressions ? { suppressions: view.suppressions } : {}),
  };
}

export type Summary = ReturnType<typeof summaryJson>;
