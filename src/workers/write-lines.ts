// Phase 3 of an audit, for one file: each drug line's entry joined with what the rules across
// claims found (in seq order). A line they found nothing on has its lines.ndjson record copied
// to the file's part as phase 1 wrote it, bytes to bytes; the others have theirs made again.
// Its coverage and report counts are tallied and its findings serialised once and sorted into
// ranked runs. Runs in the audit's thread or in a worker of the pool; the audit then joins the
// parts in input order and merges the runs, so the reports do not depend on which worker
// finished first.
import { join } from 'node:path';
import type { Finding, LineRecord } from '../model/index.js';
import { compareFindings, compareText, type RankFields } from '../model/order.js';
import type { Reference } from '../reference/index.js';
import { csvRow, findingRow } from '../report/csv.js';
import { maskMemberId, type PhiMode } from '../model/phi.js';
import { ReportAggregator, type AggregatorState, type Coverage, type NotCheckedReason } from '../report/view.js';
import { runFindings, type NotCheckedEntry, type RunLineResult } from '../rules/engine.js';
import { ruleDocs } from '../rules/docs.js';
import { Breather, ExternalSorter, readLineBytes, readNdjson, TextWriter, type RecordCodec } from '../store/ndjson.js';
import { entryBase, entryFindings, EntryView, lineRecord } from './line-entry.js';

/** What the rules across claims found for a line (phase 2), by seq: drafts, made findings here. */
export interface RunResult extends RunLineResult {
  seq: number;
}

/** What phase 3 needs of the audit's options (all of it can cross to a worker). */
export interface Phase3Options {
  reference: Reference;
  phi: PhiMode;
  failOn: 'error' | 'warning';
  /** findings.csv is written: each finding's row is made with it. */
  csv: boolean;
  signal?: AbortSignal;
}

export interface LinesTask {
  fileIndex: number;
  /** The file's entries (phase 1) and what phase 2 found on its lines, both in seq order. */
  entries: string;
  /** The not-checked reasons the entries point at. */
  reasons: NotCheckedEntry[];
  results: string | null;
  /** Where the file's lines.ndjson records go (null: not written). */
  lines: string | null;
  temp: string;
  /** Keep every line record and finding (tests, and runs without an output folder): this thread only. */
  keep?: boolean;
}

export interface LinesDone {
  coverage: CoverageState;
  report: AggregatorState;
  /** The file's findings as ranked runs on disk (RANKED_CODEC), for the audit to merge. */
  runs: string[];
  findings: number;
  /** A finding at or above --fail-on. */
  failing: boolean;
  kept: LineRecord[];
}

/**
 * A finding on its way to the ranking: the fields it is ranked by, and its findings.ndjson and
 * findings.csv text, each written once (the CSV row with rank 0, numbered on the way out).
 */
export interface RankedFinding {
  key: RankFields;
  json: string;
  csv: string;
}

export const compareRanked = (a: RankedFinding, b: RankedFinding) => compareFindings(a.key, b.key);

/** The ranking's run files: the key as a small JSON array, then the two texts, tab-separated (JSON text holds no raw tab). */
export const RANKED_CODEC: RecordCodec<RankedFinding> = {
  encode: ({ key, json, csv }) => `${JSON.stringify([key.dollarsAtRisk, key.severity, key.claimId, key.lineNumber, key.ruleId, key.id])}\t${json}\t${JSON.stringify(csv)}`,
  decode: (line) => {
    const first = line.indexOf('\t');
    const last = line.lastIndexOf('\t');
    const [dollarsAtRisk, severity, claimId, lineNumber, ruleId, id] = JSON.parse(line.slice(0, first)) as [number, Finding['severity'], string, number, string, string];
    return { key: { dollarsAtRisk, severity, claimId, lineNumber, ruleId, id }, json: line.slice(first + 1, last), csv: JSON.parse(line.slice(last + 1)) as string };
  },
};

/** Coverage counts as plain data, to cross from a worker thread. */
export interface CoverageState {
  passed: number;
  failed: number;
  notChecked: number;
  reasons: NotCheckedReason[];
}

/** Coverage counted line by line as the records are written. */
export class CoverageCounter {
  private passed = 0;
  private failed = 0;
  private notChecked = 0;
  private readonly reasons = new Map<string, NotCheckedReason>();
  /** Each reason as written → its generalised entry. */
  private readonly byReason = new Map<string, NotCheckedReason>();

  add(line: Pick<LineRecord, 'verdict' | 'notChecked'>): void {
    if (line.verdict === 'pass') this.passed++;
    else if (line.verdict === 'fail') this.failed++;
    else this.notChecked++;
    for (const { ruleId, reason } of line.notChecked) {
      // Reasons naming a code count together ("no rate for the code in 2025Q1"); the same few
      // reasons recur on millions of lines, so each is generalised once.
      const key = `${ruleId}\u0000${reason}`;
      let entry = this.byReason.get(key);
      if (!entry) {
        entry = this.reason(ruleId, reason.replace(/\b[JQ]\d{4}\b/g, 'the code'));
        this.byReason.set(key, entry);
      }
      entry.lines++;
    }
  }

  private reason(ruleId: string, reason: string): NotCheckedReason {
    const key = `${ruleId}\u0000${reason}`;
    let entry = this.reasons.get(key);
    if (!entry) {
      entry = { ruleId, reason, lines: 0 };
      this.reasons.set(key, entry);
    }
    return entry;
  }

  state(): CoverageState {
    return { passed: this.passed, failed: this.failed, notChecked: this.notChecked, reasons: [...this.reasons.values()].map((r) => ({ ...r })) };
  }

  /** Adds another part's counts (its reasons are generalised already). */
  absorb(part: CoverageState): void {
    this.passed += part.passed;
    this.failed += part.failed;
    this.notChecked += part.notChecked;
    for (const { ruleId, reason, lines } of part.reasons) this.reason(ruleId, reason).lines += lines;
  }

  coverage(): Coverage {
    return {
      linesAudited: this.passed + this.failed + this.notChecked,
      passed: this.passed,
      failed: this.failed,
      notChecked: this.notChecked,
      notCheckedReasons: [...this.reasons.values()].sort((a, b) => compareText(a.ruleId, b.ruleId) || compareText(a.reason, b.reason)),
    };
  }
}

/** The report's counts, with the rule titles and code descriptors it shows. */
export const newAggregator = (reference: Reference) => new ReportAggregator(ruleDocs(), (code) => reference.pack.codes[code]?.shortDescriptor.value ?? null);

/** Findings per ranked run: a run is sorted in memory, then written. */
const RANKED_RUN = 5_000;

export async function writeLines(task: LinesTask, options: Phase3Options): Promise<LinesDone> {
  const coverage = new CoverageCounter();
  const report = newAggregator(options.reference);
  const sorter = new ExternalSorter<RankedFinding>(compareRanked, (n) => join(task.temp, `file-${task.fileIndex}-ranked-${n}.ndjson`), RANKED_RUN, RANKED_CODEC);
  const breath = new Breather(options.signal);
  const out = task.lines === null ? null : new TextWriter(task.lines);
  const kept: LineRecord[] = [];
  let failing = false;
  const results = task.results === null ? null : readNdjson<RunResult>(task.results);
  // The reasons of each set of not-checked indexes, as entries carry them ('' for none).
  const reasonSets = new Map<string, NotCheckedEntry[]>([['', []]]);
  const reasonsOf = (indexes: string) => {
    let set = reasonSets.get(indexes);
    if (!set) {
      set = indexes.split(',').map((i) => task.reasons[Number(i)]!);
      reasonSets.set(indexes, set);
    }
    return set;
  };
  try {
    let next = results?.next();
    const entry = new EntryView();
    for (const bytes of readLineBytes(task.entries)) {
      if (breath.due()) await breath.turn();
      entry.read(bytes);
      const seq = entry.seq;
      const findings = entryFindings(entry);
      let notChecked = reasonsOf(entry.notChecked);
      // The record as phase 1 wrote it, unless the rules across claims found something on the line.
      let text: string | null = null;
      while (next && !next.done && next.value.seq < seq) next = results!.next();
      if (next && !next.done && next.value.seq === seq) {
        const base = entryBase(entry);
        for (const f of runFindings(next.value.drafts, base, options.reference)) if (!findings.some((g) => g.id === f.id)) findings.push(f);
        notChecked = [...notChecked, ...next.value.notChecked];
        text = JSON.stringify(lineRecord({ base, findings, notChecked }, options.phi));
        next = results!.next();
      }
      // Findings are this run's own objects: mask member ids as --phi says before any output.
      for (const f of findings) {
        f.memberId = maskMemberId(f.memberId, options.phi);
        if (f.severity === 'error' || (options.failOn === 'warning' && f.severity === 'warning')) failing = true;
        sorter.add({ key: f, json: JSON.stringify(f), csv: options.csv ? csvRow(findingRow(f, 0)) : '' });
      }
      if (out) {
        if (text === null) out.writeBytes(entry.recordBytes());
        else out.write(text);
        out.write('\n');
      }
      if (task.keep) kept.push(JSON.parse(text ?? entry.record) as LineRecord);
      coverage.add({ verdict: findings.length > 0 ? 'fail' : notChecked.length > 0 ? 'not-checked' : 'pass', notChecked });
      report.addLine(findings);
    }
  } finally {
    results?.return(undefined);
    out?.close();
  }
  return { coverage: coverage.state(), report: report.state(), runs: sorter.finish(), findings: sorter.count, failing, kept };
}
