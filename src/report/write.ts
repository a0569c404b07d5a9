// Stage 5: the outputs, rendered from the ranked findings and the view. Each is written to a
// temporary name beside its target; the audit renames them all into place together.
//
// findings.ndjson is written as the ranked findings stream by, each after the status stage (the
// history) made its value; every other output is a reporter of the registry below, written after the
// view from the view, the worklist spool and findings.ndjson read back. Adding a format is one
// entry here and its writer.
import { join } from 'node:path';
import type { Finding } from '../model/index.js';
import { stage, stagedPath, stageWriter, type Staged } from '../output/atomic.js';
import { Breather, readLineBytes } from '../store/ndjson.js';
import { calibrationCsv, findingsCsv, worklistCsv } from './csv.js';
import { rankedRows } from './columns.js';
import { ruleTitle } from '../rules/docs.js';
import { WorklistSpool, type SpooledWorklist } from '../view/worklist.js';
import { renderHtml } from './html.js';
import type { Summary } from './json.js';
import { TOP_FINDINGS, type ReportView } from '../view/view.js';

/** What a reporter is given: the view and its summary, the worklist, the findings as written, the folder. */
export interface ReportContext {
  view: ReportView;
  summary: Summary;
  worklist: SpooledWorklist;
  /** findings.ndjson as staged (its temporary path). */
  findingsNdjson: string;
  suppressed: readonly Finding[];
  outDir: string;
  staged: Staged[];
  excel: boolean;
  signal?: AbortSignal;
}

export interface Reporter {
  /** Its name for --format. */
  format: string;
  /** The files it writes in the output folder, in the order outputs are listed. */
  files: readonly string[];
  /** What it is for, for --help and the docs. */
  description: string;
  /** Written when --format is not given. */
  byDefault: boolean;
  write(context: ReportContext): Promise<void> | void;
}

/** The findings as written to findings.ndjson, read back in rank order (the order the outputs number them in). */
export function* writtenFindings(findingsNdjson: string): Generator<Finding> {
  for (const bytes of readLineBytes(findingsNdjson)) yield JSON.parse(bytes.toString('utf8')) as Finding;
}

/** Writes text rows to a staged file, breathing now and then (so a stop signal is heard). */
async function writeRows(path: string, rows: Iterable<string>, context: ReportContext): Promise<void> {
  const out = stageWriter(path);
  context.staged.push(out.staged);
  const breath = new Breather(context.signal);
  try {
    for (const row of rows) {
      if (breath.due()) await breath.turn();
      out.writer.write(row);
    }
  } finally {
    out.writer.close();
  }
}

export const REPORTERS: readonly Reporter[] = [
  {
    format: 'csv',
    files: ['worklist.csv', 'findings.csv'],
    description: 'worklist.csv (a row a claim line to fix) and findings.csv (a row a finding)',
    byDefault: true,
    async write(context) {
      await writeRows(join(context.outDir, 'worklist.csv'), worklistCsv(context.worklist.rows(), { excel: context.excel }), context);
      await writeRows(join(context.outDir, 'findings.csv'), findingsCsv(writtenFindings(context.findingsNdjson), { excel: context.excel }), context);
      // With remittances in the history: each rule against what payers did (not a default file: only then).
      const calibration = context.view.calibration;
      if (calibration) await writeRows(join(context.outDir, 'calibration.csv'), calibrationCsv(calibration, { excel: context.excel }), context);
    },
  },
  {
    format: 'xlsx',
    files: ['findings.xlsx'],
    description: 'findings.xlsx: summary, trends, worklist, a sheet per owner queue, findings, suppressed and rules sheets',
    byDefault: true,
    async write(context) {
      const target = stagedPath(join(context.outDir, 'findings.xlsx'));
      context.staged.push(target);
      // The workbook writer loads only for a run that writes a workbook.
      const { writeXlsx } = await import('./xlsx.js');
      await writeXlsx(target.temp, context.view, context.worklist, writtenFindings(context.findingsNdjson), context.suppressed);
    },
  },
  {
    format: 'html',
    files: ['report.html'],
    description: 'report.html: the self-contained report',
    byDefault: true,
    write(context) {
      context.staged.push(stage(join(context.outDir, 'report.html'), renderHtml(context.view)));
    },
  },
  {
    format: 'json',
    files: ['summary.json'],
    description: 'summary.json: totals, categories, coverage, groups and the run manifest',
    byDefault: true,
    write(context) {
      context.staged.push(stage(join(context.outDir, 'summary.json'), `${JSON.stringify(context.summary, null, 2)}\n`));
    },
  },
  {
    format: 'parquet',
    files: ['worklist.parquet', 'findings.parquet'],
    description: 'worklist.parquet and findings.parquet: the CSVs\' columns, typed (money DECIMAL(18,2) in US dollars, dates as DATE)',
    byDefault: false,
    async write(context) {
      const { writeParquet } = await import('./parquet.js');
      for (const [name, columns, rows] of [
        ['worklist.parquet', 'worklist', context.worklist.rows()],
        ['findings.parquet', 'findings', rankedRows(writtenFindings(context.findingsNdjson))],
      ] as const) {
        const target = stagedPath(join(context.outDir, name));
        context.staged.push(target);
        await writeParquet(target.temp, columns, rows, context.signal);
      }
    },
  },
];

export type ReportFormat = string;
export const REPORT_FORMATS: readonly string[] = REPORTERS.map((r) => r.format);
export const DEFAULT_FORMATS: readonly string[] = REPORTERS.filter((r) => r.byDefault).map((r) => r.format);
/** The file each format writes first in the output folder (lines.ndjson and findings.ndjson always). */
export const REPORT_FILES: Record<string, string> = Object.fromEntries(REPORTERS.map((r) => [r.format, r.files.at(-1)!]));
/** The files the formats write, and the two always written. */
export const outputFiles = (formats: readonly string[]): string[] => [...REPORTERS.filter((r) => formats.includes(r.format)).flatMap((r) => r.files), 'lines.ndjson', 'findings.ndjson'];
/** The order outputs are listed in. */
export const OUTPUT_ORDER: readonly string[] = outputFiles(REPORT_FORMATS);

export interface RankedWritten {
  /** The first TOP_FINDINGS findings, for the view. */
  top: Finding[];
  /** Every finding, when asked to keep them. */
  all: Finding[];
  /** Findings a suppression entry took out of the worklist (the first SUPPRESSED_KEPT), in rank order. */
  suppressed: Finding[];
  /** The worklist's rows spooled on disk, to be ranked (with the lines carried from earlier runs) by finish(). */
  worklist: WorklistSpool;
}

/** The most suppressed findings kept for summary.json and the report (their count is in the totals). */
export const SUPPRESSED_KEPT = 1000;

/**
 * The ranked findings, read once: findings.ndjson written as they come (null folder: not), the
 * worklist spooled, the top kept for the view.
 */
export async function writeRanked(
  ranked: Iterable<Finding>,
  outDir: string | null,
  staged: Staged[],
  options: { keepAll: boolean; temp: string; signal?: AbortSignal; status?: (finding: Finding) => Finding; describeCode?: (code: string) => string | null; runDate?: string | null; runId?: string | null },
): Promise<RankedWritten> {
  const worklist = new WorklistSpool(options.temp, ruleTitle, options.describeCode ?? (() => null), undefined, options.runDate ?? null, options.runId ?? null);
  const written: Omit<RankedWritten, 'worklist'> = { top: [], all: [], suppressed: [] };
  const ndjson = outDir === null ? null : stageWriter(join(outDir, 'findings.ndjson'));
  if (ndjson) staged.push(ndjson.staged);
  const breath = new Breather(options.signal);
  try {
    for (const rankedFinding of ranked) {
      if (breath.due()) await breath.turn();
      // The status stage: tonight against the history, a new value.
      const finding = options.status ? options.status(rankedFinding) : rankedFinding;
      // A suppressed finding leaves the worklist: listed apart.
      if (finding.suppression) {
        if (written.suppressed.length < SUPPRESSED_KEPT) written.suppressed.push(finding);
        continue;
      }
      worklist.add(finding);
      if (written.top.length < TOP_FINDINGS) written.top.push(finding);
      if (options.keepAll) written.all.push(finding);
      ndjson?.writer.write(`${JSON.stringify(finding)}\n`);
    }
  } finally {
    ndjson?.writer.close();
  }
  return { ...written, worklist };
}

/** Every reporter the formats ask for, in the registry's order. */
export async function writeReports(formats: readonly string[], context: ReportContext): Promise<void> {
  for (const reporter of REPORTERS) {
    if (!formats.includes(reporter.format)) continue;
    context.signal?.throwIfAborted();
    await reporter.write(context);
  }
}
