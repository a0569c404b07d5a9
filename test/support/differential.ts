// The executors' differential check: the same inputs audited by the memory executor and by the
// local one (buckets and sorted runs made tiny, so everything spills and splits, and the worker
// pool forced on) must give byte-identical outputs. Runs the built code (the global setup built
// it): the pool's workers only run from compiled JavaScript.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type * as Audit from '../../src/audit.js';
import { xlsxText } from './xlsx.js';
import type * as ReferenceModule from '../../src/reference/index.js';
import type * as Select from '../../src/ingest/select.js';

const dist = (path: string) => fileURLToPath(new URL(`../../dist/${path}`, import.meta.url));

export const BYTE_IDENTICAL = ['findings.csv', 'worklist.csv', 'findings.ndjson', 'lines.ndjson'] as const;

export interface ExecutorRun {
  files: Record<string, string>;
  result: Audit.AuditResult;
}

/** Audits `inputs` with one executor into a fresh folder; the outputs' text by name. */
export interface DifferentialOptions {
  codes?: string;
  reference?: ReferenceModule.ReferenceFiles;
  suppressions?: string;
  /**
   * The local executor in one thread (no pool), holding its temporary files in memory up to
   * this many bytes (0: all on disk). Default: the pool forced on (every file on disk).
   */
  memoryBudget?: number;
}

export async function auditWith(executor: 'memory' | 'local', inputs: string[], options: DifferentialOptions = {}): Promise<ExecutorRun> {
  const { runAudit } = (await import(dist('audit.js'))) as typeof Audit;
  const { loadReference, coveredCodes } = (await import(dist('reference/index.js'))) as typeof ReferenceModule;
  const { parseCodeSelection } = (await import(dist('ingest/select.js'))) as typeof Select;
  const reference = loadReference(options.reference ?? {});
  const out = mkdtempSync(join(tmpdir(), `claim-audit-${executor}-`));
  const codesOption = options.codes ?? 'covered';
  const result = await runAudit({
    inputs,
    outDir: out,
    formats: ['csv', 'xlsx', 'json', 'html'],
    codes: parseCodeSelection(codesOption, coveredCodes(reference.pack)),
    codesOption,
    reference,
    asOf: null,
    concurrency: 2,
    failOn: 'error',
    phi: 'masked',
    executor,
    ...(executor === 'local' ? { tuning: { bucketLines: 20, sortRun: 7, pool: options.memoryBudget === undefined ? ('always' as const) : ('never' as const) }, memoryBudget: options.memoryBudget ?? 0 } : {}),
    now: () => new Date('2026-01-01T00:00:00Z'),
    ...(options.suppressions ? { suppressions: options.suppressions } : {}),
  });
  const files: Record<string, string> = {};
  for (const name of [...BYTE_IDENTICAL, 'summary.json', 'report.html']) {
    try {
      // The output folder is the run's own: named the same in both runs' manifests.
      files[name] = readFileSync(join(out, name), 'utf8').replaceAll(out, 'OUT');
    } catch {
      files[name] = '(not written)';
    }
  }
  // The workbook's cells (its zip's bytes carry write times).
  files['findings.xlsx'] = await xlsxText(join(out, 'findings.xlsx'));
  return { files, result };
}

/** The memory and the local executor on the same inputs: the same bytes in every output (the run's own times aside: the clock is fixed). */
export async function expectSame(inputs: string[], options: Parameters<typeof auditWith>[2] = {}) {
  const memory = await auditWith('memory', inputs, options);
  const local = await auditWith('local', inputs, options);
  expect(memory.result.execution).toMatchObject({ executor: 'memory', workers: 0 });
  expect(local.result.execution.executor).toBe('local');
  expect(local.result.execution.workers).toBe(options.memoryBudget === undefined ? 2 : 0);
  expect(local.result.execution.buckets).toBeGreaterThan(1);
  for (const name of BYTE_IDENTICAL) expect(local.files[name], name).toBe(memory.files[name]);
  // The summary and the report too, the run's own times aside (the clock is fixed here).
  expect(local.files['summary.json']).toBe(memory.files['summary.json']);
  expect(local.files['report.html']).toBe(memory.files['report.html']);
  expect(local.files['findings.xlsx']).toBe(memory.files['findings.xlsx']);
  return { memory, local };
}
