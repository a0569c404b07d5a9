// `claim-audit remits <835…> --history DIR [--out DIR] [--since DATE]`: the payer's 835s read,
// matched to the lines the history audited, kept as outcomes in the history, and every rule
// measured against them (calibration.csv and calibration.json with --out).
import { mkdirSync } from 'node:fs';
import { commit, stage } from '../output/atomic.js';
import { join, resolve } from 'node:path';
import type { IngestIssue } from '../model/index.js';
import { readRemittances } from '../ingest/remits.js';
import { historyLines, matchRemits, outcomeKey, pendingLines, readOutcomes, writeOutcomes } from '../history/remits.js';
import { listRuns } from '../history/store.js';
import { calibrate, type Calibration } from '../view/calibration.js';
import { calibrationCsv } from '../report/csv.js';
import { formatIssue, plural, type Io } from './audit-run.js';
import { escapeTerminal } from './terminal.js';
import { TOOL_NAME } from '../version.js';

/** Issues printed at most (as an audit's). */
const MAX_ISSUES_SHOWN = 20;

export interface RemitsCommand {
  inputs: string[];
  history: string;
  out: string | null;
  since: string | null;
  quiet: boolean;
}

/** A calibration in a few lines, for the terminal. */
export function calibrationSummary(c: Calibration): string[] {
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  return [
    `Outcomes: ${plural(c.lines, 'audited line')} (${c.byOutcome.denied} denied, ${c.byOutcome.reduced} reduced, ${c.byOutcome.paid} paid, ${c.byOutcome.reversed} reversed)${c.pending !== null ? `; ${plural(c.pending, 'line')} with findings still pending` : ''}.`,
    ...c.rules.slice(0, 8).map((r) => `  ${r.ruleId}: ${r.confirmed} of ${r.outcomes} confirmed (95% interval ${pct(r.interval.low)}–${pct(r.interval.high)}), $${r.predictedDollars.toFixed(2)} predicted, $${r.adjustedDollars.toFixed(2)} taken by payers`),
    ...(c.unpredicted.length > 0 ? [`Denials no rule predicted: ${c.unpredicted.slice(0, 3).map((u) => `${u.carcs}${u.rarcs ? `/${u.rarcs}` : ''} on ${u.code ?? '(no code)'} (${plural(u.lines, 'line')}, $${u.dollars.toFixed(2)})`).join(' · ')}`] : []),
  ];
}



export async function runRemits(command: RemitsCommand, io: Io): Promise<number> {
  const cwd = io.cwd ?? '.';
  const history = resolve(cwd, command.history);
  const log = (text: string) => {
    if (!command.quiet) io.stderr(`${text}\n`);
  };
  if (listRuns(history).length === 0) {
    io.stderr(`${TOOL_NAME}: --history ${escapeTerminal(command.history)}: no audited run to match remittances to (run an audit with --history ${escapeTerminal(command.history)} first)\n`);
    return 2;
  }
  const read = await readRemittances(command.inputs, cwd, io.signal ? { signal: io.signal } : {});
  const issues: IngestIssue[] = [...read.issues, ...read.files.flatMap((f) => f.issues)];
  const audited = historyLines(history);
  const matched = matchRemits(audited, history, read.claims, (i) => issues.push(i));
  const shown = issues.filter((i) => i.severity === 'error' || !command.quiet);
  for (const issue of shown.slice(0, MAX_ISSUES_SHOWN)) io.stderr(`${formatIssue(issue)}\n`);
  if (shown.length > MAX_ISSUES_SHOWN) io.stderr(`… and ${shown.length - MAX_ISSUES_SHOWN} more issues\n`);
  const now = io.now?.() ?? new Date();
  // The outcomes kept before, read before these are written, with these over them.
  const outcomes = readOutcomes(history);
  for (const o of matched.outcomes) outcomes.set(outcomeKey(o), o);
  if (matched.outcomes.length > 0) writeOutcomes(history, now, read.files.map((f) => ({ sha256: f.sha256 })), matched.outcomes);
  const m = matched.counts;
  log(`Read ${plural(read.files.length, 'remittance file')}: ${plural(m.claims, 'claim')} (after reversals), ${plural(m.remitLines, 'service line')}; matched ${m.claimsMatched} claims and ${plural(m.linesMatched, 'audited drug line')}; ${plural(matched.unmatchedClaims.length, 'claim')} and ${plural(matched.unmatchedLines.length, 'line')} matched nothing.`);
  const calibration = calibrate(outcomes.values(), { since: command.since, pending: pendingLines(audited, outcomes) });
  for (const line of calibrationSummary(calibration)) log(line);
  if (command.out) {
    const out = resolve(cwd, command.out);
    mkdirSync(out, { recursive: true });
    // Both or neither, as an audit's reports (output/atomic.ts).
    commit(out, [
      stage(join(out, 'calibration.csv'), [...calibrationCsv(calibration, { excel: false })].join('')),
      stage(join(out, 'calibration.json'), `${JSON.stringify({ calibration, matching: { counts: matched.counts, unmatchedClaims: matched.unmatchedClaims, unmatchedLines: matched.unmatchedLines } }, null, 2)}\n`),
    ]);
    log(`Wrote ${escapeTerminal(join(command.out, 'calibration.csv'))} and calibration.json.`);
  }
  return issues.some((i) => i.severity === 'error') ? 3 : 0;
}
