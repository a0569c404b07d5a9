// Stage 5: the outputs, rendered from the ranked findings and the view. Each is written to a
// temporary name beside its target; the audit renames them all into place together.
import { join } from 'node:path';
import type { Finding } from '../model/index.js';
import { stage, stagedPath, stageWriter, type Staged } from '../output/atomic.js';
import { Breather, readLineBytes, TextWriter } from '../store/ndjson.js';
import { LINE_TOP } from '../model/order.js';
import { findingsCsv, worklistCsv } from './csv.js';
import { ruleDocs } from '../rules/docs.js';
import { lineDollars, WorklistSpool, type SpooledWorklist } from './worklist.js';
import { renderHtml } from './html.js';
import type { Summary } from './json.js';
import { TOP_FINDINGS, WORKLIST_TOP, type ReportView } from './view.js';

export type ReportFormat = 'csv' | 'xlsx' | 'html' | 'json';
export const REPORT_FORMATS: readonly ReportFormat[] = ['csv', 'xlsx', 'html', 'json'];
/** The file each format writes in the output folder (lines.ndjson and findings.ndjson always; csv also worklist.csv). */
export const REPORT_FILES: Record<ReportFormat, string> = { csv: 'findings.csv', xlsx: 'findings.xlsx', html: 'report.html', json: 'summary.json' };
/** The order outputs are listed in. */
export const OUTPUT_ORDER = ['worklist.csv', 'findings.csv', 'findings.xlsx', 'report.html', 'summary.json', 'lines.ndjson', 'findings.ndjson'];

export interface RankedWritten {
  /** The first TOP_FINDINGS findings, for the view. */
  top: Finding[];
  /** Every finding, when asked to keep them. */
  all: Finding[];
  /** Findings a suppression entry took out of the worklist (the first SUPPRESSED_KEPT), in rank order. */
  suppressed: Finding[];
  /** The worklist: one row per claim line with findings, ranked (spooled on disk: the first rows kept). */
  worklist: SpooledWorklist;
  /** Beside findings.ndjson, a line a finding: 1 when it is its line's first in the ranking, else 0 (the workbook reads both). */
  lineTops: string | null;
}

/** The most suppressed findings kept for summary.json and the report (their count is in the totals). */
export const SUPPRESSED_KEPT = 1000;

/**
 * The ranked findings, read once: findings.ndjson and findings.csv (null folder: neither) written
 * as they come, the top kept for the view.
 */
export async function writeRanked(
  ranked: Iterable<Finding>,
  outDir: string | null,
  staged: Staged[],
  options: { csv: boolean; excel: boolean; keepAll: boolean; temp: string; signal?: AbortSignal; onFinding?: (finding: Finding) => void; describeCode?: (code: string) => string | null },
): Promise<RankedWritten> {
  const titles = new Map(ruleDocs().map((r) => [r.id, r.title]));
  const worklist = new WorklistSpool(options.temp, (id) => titles.get(id) ?? id, options.describeCode ?? (() => null));
  const written: Omit<RankedWritten, 'worklist'> = { top: [], all: [], suppressed: [], lineTops: outDir === null ? null : join(options.temp, 'finding-line-tops.txt') };
  const tops = written.lineTops === null ? null : new TextWriter(written.lineTops);
  const lineDollarsOf = lineDollars();
  const ndjson = outDir === null ? null : stageWriter(join(outDir, 'findings.ndjson'));
  const csv = outDir === null || !options.csv ? null : stageWriter(join(outDir, REPORT_FILES.csv));
  for (const out of [csv, ndjson]) if (out) staged.push(out.staged);
  function* each(): Generator<Finding> {
    for (const finding of ranked) {
      options.onFinding?.(finding);
      // A suppressed finding leaves the worklist: listed apart.
      if (finding.suppression) {
        if (written.suppressed.length < SUPPRESSED_KEPT) written.suppressed.push(finding);
        continue;
      }
      worklist.add(finding);
      if (written.top.length < TOP_FINDINGS) written.top.push(finding);
      if (options.keepAll) written.all.push(finding);
      ndjson?.writer.write(`${JSON.stringify(finding)}\n`);
      tops?.write(lineDollarsOf(finding) === null ? '0\n' : '1\n');
      yield finding;
    }
  }
  const breath = new Breather(options.signal);
  try {
    if (csv) {
      for (const row of findingsCsv(each(), { excel: options.excel })) {
        if (breath.due()) await breath.turn();
        csv.writer.write(row);
      }
    } else {
      for (const _ of each()) if (breath.due()) await breath.turn();
    }
  } finally {
    csv?.writer.close();
    ndjson?.writer.close();
    tops?.close();
  }
  const spooled = worklist.finish(WORKLIST_TOP);
  if (outDir !== null && options.csv) {
    const out = stageWriter(join(outDir, 'worklist.csv'));
    staged.push(out.staged);
    try {
      for (const row of worklistCsv(spooled.rows(), { excel: options.excel })) {
        if (breath.due()) await breath.turn();
        out.writer.write(row);
      }
    } finally {
      out.writer.close();
    }
  }
  return { ...written, worklist: spooled };
}

/** findings.xlsx, from the view, the worklist and the findings.ndjson just written (read back, so they are not held twice). */
export async function writeWorkbook(view: ReportView, worklist: SpooledWorklist, findingsNdjson: string, lineTops: string | null, suppressed: readonly Finding[], outDir: string, staged: Staged[]): Promise<void> {
  const target = stagedPath(join(outDir, REPORT_FILES.xlsx));
  staged.push(target);
  function* findings(): Generator<Finding> {
    // Each finding read back with its line-top mark, so the Line dollars column needs no memory of lines.
    const marks = lineTops === null ? null : readLineBytes(lineTops);
    for (const bytes of readLineBytes(findingsNdjson)) {
      const finding = JSON.parse(bytes.toString('utf8')) as Finding;
      const mark = marks?.next();
      if (mark && !mark.done) LINE_TOP.set(finding, mark.value[0] === 0x31);
      yield finding;
    }
  }
  // The workbook writer loads only for a run that writes a workbook.
  const { writeXlsx } = await import('./xlsx.js');
  await writeXlsx(target.temp, view, worklist, findings(), suppressed);
}

/** The view's own reports: report.html and summary.json, as the formats ask. */
export function writeViewReports(view: ReportView, summary: Summary, outDir: string, formats: readonly ReportFormat[], staged: Staged[]): void {
  if (formats.includes('html')) staged.push(stage(join(outDir, REPORT_FILES.html), renderHtml(view)));
  if (formats.includes('json')) staged.push(stage(join(outDir, REPORT_FILES.json), `${JSON.stringify(summary, null, 2)}\n`));
}
