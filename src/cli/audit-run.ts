// A whole audit (or a sharded run's merge) run and reported on the terminal: the stage options
// loaded from what the user gave, the audit run, its summary printed. Shared by the CLI's audit
// and its sharded steps (cli/shard.ts).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OUTPUT_ORDER, runAudit, StreamInputError, type AuditOptions, type Owned } from '../audit.js';
import { CsvProfileError, loadCsvProfile, type CsvProfile } from '../ingest/csv/mapping.js';
import { parseCodeSelection, type CodeSelection } from '../ingest/select.js';
import type { IngestIssue, MissingFact } from '../model/index.js';
import { LockError } from '../output/lock.js';
import { OutputPathError } from '../output/work.js';
import { FileReadError } from '../model/files.js';
import { HistoryError } from '../history/store.js';
import { NotesError } from '../report/notes.js';
import { articleCodes, coveredCodes, loadReference, PackError, type Reference, type ReferenceFiles } from '../reference/index.js';
import { count, FACT_TEXT, sourcePosition } from '../view/format.js';
import { TOOL_NAME } from '../version.js';
import { ProgressBar } from './progress.js';
import { didYouMean } from './suggest.js';
import { RULES } from '../rules/index.js';
import { defaultSuppressionsFile } from './suppressions.js';
import { escapeTerminal } from './terminal.js';

export interface Io {
  /** The environment (the sharded steps read their index from it); default process.env. */
  env?: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd?: string;
  /** stderr is a terminal: draw a progress line instead of one log line per file. */
  stderrIsTty?: boolean;
  /** The terminal's width, for the progress line. */
  columns?: () => number;
  /** Aborted on SIGINT/SIGTERM, with the signal's name as the reason. */
  signal?: AbortSignal;
  /** CLAIM_AUDIT_DEBUG=1: an internal error prints its stack. */
  debug?: boolean;
  /** Told the lock and temporary folder a run takes, for the process to remove if the run dies. */
  onOwned?: (paths: Owned) => void;
  /** The clock (tests: the nights of a history). */
  now?: () => Date;
}

/** Exit codes of a run stopped by a signal: 128 + the signal number, as shells report them. */
const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

const MAX_ISSUES_SHOWN = 20;

export function formatIssue(issue: IngestIssue): string {
  const where = sourcePosition(issue);
  const value = issue.value !== undefined ? ` [${issue.value}]` : '';
  // File names, messages and values all may carry text of the input: escaped as a whole.
  return escapeTerminal(`${issue.file}${where !== '' ? ` (${where})` : ''}: ${issue.severity}: ${issue.message}${value}`);
}

export function load(files: ReferenceFiles, io: Io): Reference | null {
  try {
    const reference = loadReference(files);
    // A rule id the profile misspells would silently leave the rule as it was.
    const ids = new Set(RULES.map((r) => r.meta.id));
    for (const policy of Object.values(reference.policies)) {
      const unknown = Object.keys(policy.rules).find((id) => !ids.has(id));
      if (unknown !== undefined) {
        io.stderr(`${TOOL_NAME}: profile ${escapeTerminal(files.profile ?? '')}: no rule ${JSON.stringify(escapeTerminal(unknown))}${didYouMean(unknown, ids)} (claim-audit rules lists them)\n`);
        return null;
      }
    }
    return reference;
  } catch (error) {
    if (error instanceof PackError) {
      io.stderr(`${TOOL_NAME}: ${error.message}\n`);
      return null;
    }
    throw error;
  }
}

export const money = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 3 })}`;
export const plural = (n: number, noun: string) => `${count(n)} ${noun}${n === 1 ? '' : 's'}`;
const entries = (n: number) => `${count(n)} ${n === 1 ? 'entry' : 'entries'}`;


/** What a failure's message needs to know of the run: its output folder, and whether it had begun. */
export interface RunContext {
  outDir: string | null;
  started: boolean;
}

/** What the stages need loaded: the reference, the code selection, the CSV layout; or exit code 2 (said on stderr). */
export function stageSetup(files: ReferenceFiles, codesOption: string, csvProfileOption: string | null, io: Io): { reference: Reference; codes: CodeSelection; csvProfile: CsvProfile | null } | 2 {
  const reference = load(files, io);
  if (!reference) return 2;
  const codes = parseCodeSelection(codesOption, coveredCodes(reference.pack), articleCodes(reference.pack));
  let csvProfile: CsvProfile | null = null;
  if (csvProfileOption !== null) {
    try {
      csvProfile = loadCsvProfile(csvProfileOption);
    } catch (error) {
      if (!(error instanceof CsvProfileError)) throw error;
      io.stderr(`${TOOL_NAME}: ${error.message}\n`);
      return 2;
    }
  }
  return { reference, codes, csvProfile };
}

/** Runs the audit and prints its summary; returns the exit code. */
export async function auditAndPrint(options: AuditOptions, quiet: boolean, io: Io, context: RunContext): Promise<number> {
  const { reference, codes } = options;
  // The suppressions file: the one named, or the default beside the output folder when it exists.
  const cwd = io.cwd ?? options.cwd ?? '.';
  let suppressions: string | null = null;
  if (options.suppressions) {
    suppressions = resolve(cwd, options.suppressions);
    if (!existsSync(suppressions)) {
      io.stderr(`${TOOL_NAME}: --suppressions ${escapeTerminal(options.suppressions)}: no such file\n`);
      return 2;
    }
  } else if (options.outDir !== null && existsSync(defaultSuppressionsFile(options.outDir, cwd))) {
    suppressions = defaultSuppressionsFile(options.outDir, cwd);
  }
  const history = options.history ? { ...options.history, dir: resolve(cwd, options.history.dir) } : null;
  const bar = !quiet && io.stderrIsTty ? new ProgressBar(io.stderr, io.columns ?? (() => 80)) : null;
  const log = (text: string) => {
    if (quiet) return;
    bar?.clear();
    io.stderr(`${text}\n`);
  };
  // A code the pack does not know is audited, but no rule has facts for it: say so.
  if (codes.kind === 'list') {
    const unknown = [...codes.codes].filter((c) => !reference.pack.codes[c]);
    if (unknown.length > 0) {
      log(`${TOOL_NAME}: warning: --codes ${unknown.join(', ')}: not in the reference pack (${reference.pack.version}); such lines are selected, but the rules that need the code's facts will say not checked`);
    }
  }
  let result;
  try {
    result = await runAudit({
      ...options,
      history,
      suppressions,
      worklistNotes: typeof options.worklistNotes === 'string' ? resolve(cwd, options.worklistNotes) : (options.worklistNotes ?? null),
      // Printed even with --quiet: a note the team typed that is not carried must not go unnoticed.
      onNotesWarning: (text) => {
        bar?.clear();
        io.stderr(`${TOOL_NAME}: warning: worklist notes: ${escapeTerminal(text)}\n`);
      },
      ...(io.now ? { now: io.now } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
      onLockTakenOver: (holder) => log(`${TOOL_NAME}: took over the lock of ${escapeTerminal(holder)}`),
      onLockWait: (message) => log(`${TOOL_NAME}: ${escapeTerminal(message)}`),
      onCommitRecovered: (count) => log(`${TOOL_NAME}: completed the commit of a run killed while it renamed its reports (${plural(count, 'rename')}): ${escapeTerminal(options.outDir ?? '')} holds that run's whole set again`),
      onStaleRemoved: (count) => log(`${TOOL_NAME}: removed ${count} temporary file${count === 1 ? '' : 's'} left in ${escapeTerminal(options.outDir ?? '')} by a run that did not finish`),
      onOwned: (owned) => {
        if (owned.lock) context.started = true;
        io.onOwned?.(owned);
      },
      cwd: io.cwd ?? options.cwd,
      ...(bar
        ? { onProgress: (p) => bar.update(p) }
        : {
            onFileDone: (stats, drugLines) => {
              const errors = stats.issues.filter((i) => i.severity === 'error').length + stats.issuesOmitted;
              log(`${escapeTerminal(stats.file)}: ${plural(stats.claims.read, 'claim')}, ${plural(drugLines, 'drug line')}${errors > 0 ? `, ${plural(errors, 'input error')}` : ''}`);
            },
          }),
    });
  } catch (error) {
    bar?.clear();
    if (error instanceof LockError || error instanceof HistoryError || error instanceof FileReadError || error instanceof OutputPathError || error instanceof NotesError) {
      io.stderr(`${TOOL_NAME}: ${error instanceof NotesError ? '--worklist-notes ' : ''}${escapeTerminal(error.message)}\n`);
      return 2;
    }
    if (error instanceof StreamInputError) {
      io.stderr(`${TOOL_NAME}: ${escapeTerminal(error.message)}; nothing was written\n`);
      return 3;
    }
    if (io.signal?.aborted) {
      const name = String(io.signal.reason);
      io.stderr(`${TOOL_NAME}: stopped by ${name}; nothing was written${keptReports(options.outDir, options.cwd, 'are as they were')}\n`);
      return SIGNAL_EXIT[name] ?? 130;
    }
    throw error;
  }
  bar?.clear();

  const issues = result.summary.ingestIssues;
  const errors = issues.filter((i) => i.severity === 'error');
  const shown = quiet ? errors : issues;
  for (const issue of shown.slice(0, MAX_ISSUES_SHOWN)) io.stderr(`${formatIssue(issue)}\n`);
  if (result.nothingAudited !== null) {
    // Printed even with --quiet: cron mail must say why last night's reports were not replaced.
    if (shown.length > MAX_ISSUES_SHOWN) io.stderr(`… and ${shown.length - MAX_ISSUES_SHOWN} more issues\n`);
    io.stderr(`${TOOL_NAME}: nothing audited: ${escapeTerminal(result.nothingAudited)}; nothing was written${keptReports(options.outDir, options.cwd, 'are kept')}\n`);
    return result.exitCode;
  }
  if (shown.length > MAX_ISSUES_SHOWN) io.stderr(`… and ${shown.length - MAX_ISSUES_SHOWN} more issues in summary.json\n`);

  const t = result.totals;
  log(
    `Audited ${plural(t.files, 'file')}: ${plural(t.claims.read, 'claim')} read (${t.claims.audited} audited, ${t.claims.skipped} skipped, ${t.claims.unparseable} unparseable), ${plural(t.drugLines, 'drug line')}; ${plural(t.ingestIssues.errors, 'input error')}, ${plural(t.ingestIssues.warnings, 'warning')}.`,
  );
  const f = result.view.findingTotals;
  if (t.drugLines > 0) {
    const c = result.view.coverage;
    log(
      `${money(f.dollarsAtRisk)} at risk (${money(f.firm)} firm, ${money(f.toReview)} to review): ${plural(f.findings, 'finding')} (${plural(f.bySeverity.error, 'error')}, ${plural(f.bySeverity.warning, 'warning')}, ${f.bySeverity.info} info) on ${plural(f.claimsAffected, 'claim')}; drug lines: ${c.failed} with findings, ${c.passed + c.notChecked} without${c.notChecked > 0 ? ` (${c.notChecked} not fully checked${c.awaitingData > 0 ? `; ${c.awaitingData} of them only for want of data you can load` : ''})` : ''}.`,
    );
    dominantLine(f.largestLine, log);
    // What limited the checks, most lines first: a manager sees what to load, not a silent pass.
    const limited = (Object.entries(c.limitedBy) as Array<[MissingFact, number]>).sort((a, b) => b[1] - a[1]).slice(0, 3);
    if (limited.length > 0) log(`Checks limited: ${limited.map(([fact, lines]) => `${plural(lines, 'line')}: ${FACT_TEXT[fact].what}`).join(' · ')} (report.html: Coverage).`);
    const k = f.byCategory;
    log(`By category: ${money(k.denial.dollars)} denied, ${money(k.returned.dollars)} returned for correction (delayed), ${money(k.underbilling.dollars)} underbilled, ${money(k.overpayment.dollars)} overpaid${k.compliance.lines > 0 ? `; compliance: ${plural(k.compliance.lines, 'line')} paid the same, ${money(k.compliance.exposure ?? 0)} of payment exposed on audit` : ''}.`);
    const top = result.view.groups.rule.slice(0, 3);
    if (top.length > 0) {
      const said = (g: (typeof top)[number]) => (g.attributedDollars > 0 ? `${money(g.attributedDollars)}, ${plural(g.findings, 'finding')}` : plural(g.findings, 'finding'));
      log(`Top rules: ${top.map((g) => `${g.key} (${said(g)})`).join(' · ')}`);
    }
  }
  const h = result.view.history;
  if (h) {
    const s = h.byStatus;
    const since = h.since === null ? 'first run in the history: every finding is new' : `since ${h.since}`;
    const o = result.view.open;
    // A run with history always has the worklist's totals by status (audit.ts).
    const b = o?.byStatus;
    if (o && b) {
      // The open lines by status add up to the open dollars, as the report's cards do.
      log(
        `Open: ${money(o.dollars)} on ${plural(o.lines, 'claim line')} (${money(o.firm)} firm, ${money(o.toReview)} to review): ${plural(b.new.lines, 'line')} new tonight (${money(b.new.dollars)}), ${plural(b.updated.lines, 'line')} changed (${money(b.updated.dollars)}), ${plural(b.unchanged.lines + b.carried.lines, 'line')} still open (${money(b.unchanged.dollars + b.carried.dollars)}; ${plural(b.carried.lines, 'line')} not in tonight's files).`,
      );
      // The line that dominates the open dollars may be an earlier run's.
      dominantLine(o.largest, log);
    }
    log(`History (${since}): ${plural(s.resolved.findings, 'finding')} resolved (${money(s.resolved.dollars)}), ${plural(s.voided.findings, 'finding')} voided. This run: ${h.run}.`);
  }
  const cal = result.view.calibration;
  if (cal) {
    // The payers' word, when the history holds remittances: how the rules fared (report.html: Predicted against paid).
    const confirmed = cal.rules.reduce((n, r) => n + r.confirmed, 0);
    const outcomes = cal.rules.reduce((n, r) => n + r.outcomes, 0);
    log(`Payers: ${plural(cal.lines, 'audited line')} answered (${cal.byOutcome.denied} denied, ${cal.byOutcome.reduced} reduced, ${cal.byOutcome.paid} paid, ${cal.byOutcome.reversed} reversed); ${confirmed} of ${outcomes} rule findings with an answer confirmed; ${plural(cal.unpredicted.reduce((n, u) => n + u.lines, 0), 'denied line')} no rule predicted (calibration.csv).`);
  }
  const sup = result.view.suppressions;
  if (sup) {
    // Printed even with --quiet: an entry that silently stopped suppressing brings findings back to cron mail.
    for (const p of sup.problems) io.stderr(`${TOOL_NAME}: warning: ${escapeTerminal(sup.file ?? '')} line ${p.line}: ${escapeTerminal(p.message)}; it suppresses nothing\n`);
    if (sup.entries > 0 || sup.problems.length > 0) {
      log(`Suppressed: ${plural(sup.findings, 'finding')} (${money(sup.dollars)}) by ${entries(sup.entries)} in force${sup.unused.length > 0 ? `; ${entries(sup.unused.length)} matched nothing (claim-audit suppressions prune removes them)` : ''}.`);
    }
  }
  if (result.written.length > 0) log(`Reports: ${escapeTerminal(result.written.filter((w) => !w.endsWith('.ndjson')).join(' · '))} (and lines.ndjson, findings.ndjson)`);
  return result.exitCode;
}

/** A line over a quarter of the total it is in, named: one line's price is not the run's. */
function dominantLine(l: { share: number; claimId: string; lineNumber: number; ruleId: string; severity: string; dollars: number; dollarBasis: string; status?: string | null } | null, log: (text: string) => void): void {
  if (!l || l.share <= 0.25) return;
  log(`One line is ${Math.round(l.share * 100)}% of it: claim ${escapeTerminal(l.claimId)} line ${l.lineNumber}, ${l.ruleId} (${l.severity}), ${money(l.dollars)}${l.dollarBasis === 'billed-charge' ? ' priced at its billed charge (no CMS rate)' : ''}${l.status === 'carried' ? ', open from an earlier run' : ''}.`);
}

/** ", the previous reports in DIR are kept": only when the folder holds reports of an earlier run. */
function keptReports(outDir: string | null | undefined, cwd: string | undefined, how: string): string {
  if (!outDir) return '';
  const folder = resolve(cwd ?? '.', outDir);
  return OUTPUT_ORDER.some((name) => existsSync(join(folder, name))) ? `, the previous reports in ${escapeTerminal(outDir)} ${how}` : '';
}
