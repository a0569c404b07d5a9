// The sharded executor's differential check: the same inputs audited by one process and by
// map --shard K/N steps (and reduce steps, when asked) plus a merge must give byte-identical
// outputs. Runs the built CLI in this process (the global setup built it), so the steps' worker
// pools run as they do in production.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Run from '../../src/cli/run.js';
import { BYTE_IDENTICAL } from './differential.js';

const dist = (path: string) => fileURLToPath(new URL(`../../dist/${path}`, import.meta.url));

export interface CliRun {
  code: number;
  stderr: string;
}

const CLOCK = () => new Date('2026-01-01T00:00:00Z');

/** The built CLI, in this process; what it wrote to stderr. */
export async function cli(argv: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const { runCli } = (await import(dist('cli/run.js'))) as typeof Run;
  let stderr = '';
  const code = await runCli(argv, { stdout: () => {}, stderr: (t) => (stderr += t), now: CLOCK, env });
  return { code, stderr };
}

/** What the sharded runs are compared on: every output a run writes. */
export const COMPARED = [...BYTE_IDENTICAL, 'summary.json', 'report.html', 'findings.xlsx'] as const;

/**
 * The outputs compared, by name: the four byte-identical ones, summary.json and report.html with
 * the output folder's path made neutral (the clock is fixed), and findings.xlsx by its bytes'
 * sha256 (the workbook holds no run time, so it is byte for byte the same too).
 */
export function outputs(out: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of COMPARED) {
    try {
      const bytes = readFileSync(join(out, name));
      files[name] = name.endsWith('.xlsx') ? createHash('sha256').update(bytes).digest('hex') : bytes.toString('utf8').replaceAll(out, 'OUT');
    } catch {
      files[name] = '(not written)';
    }
  }
  return files;
}

export const freshDir = (prefix: string) => mkdtempSync(join(tmpdir(), `claim-audit-${prefix}-`));

export interface ShardedOptions {
  /** Options of the stages, given to every map step (and to the single run). */
  stage?: string[];
  /** --split-mb for the map steps. */
  splitMb?: string;
  /** Reduce steps first, as K/N shards of the buckets (merge checks the rest). */
  reduceShards?: number;
  /** Runs between the map steps and the merge (a killed shard re-run, a reduce). */
  between?: (work: string) => Promise<void>;
}

/** One process: the outputs. */
export async function singleRun(inputs: string[], stage: string[] = []): Promise<{ run: CliRun; files: Record<string, string> }> {
  const out = freshDir('single');
  const run = await cli([...inputs, ...stage, '--out', out, '--quiet']);
  return { run, files: outputs(out) };
}

/** n map steps, optional reduce steps, a merge: the outputs, and every step's exit code. */
export async function shardedRun(inputs: string[], n: number, options: ShardedOptions = {}): Promise<{ codes: number[]; merge: CliRun; files: Record<string, string>; work: string }> {
  const work = freshDir('work');
  const out = freshDir('merged');
  const codes: number[] = [];
  const split = options.splitMb ? ['--split-mb', options.splitMb] : [];
  // Shards out of order, as a job runner may start them.
  for (let i = 0; i < n; i++) {
    const k = (i * 5 + 1) % n;
    codes.push((await cli(['map', '--shard', `${k}/${n}`, '--work', work, ...inputs, ...(options.stage ?? []), ...split, '--quiet'])).code);
  }
  if (options.reduceShards) {
    for (let k = 0; k < options.reduceShards; k++) codes.push((await cli(['reduce', '--shard', `${k}/${options.reduceShards}`, '--work', work, '--quiet'])).code);
  }
  await options.between?.(work);
  const merge = await cli(['merge', '--work', work, '--out', out, '--quiet']);
  return { codes, merge, files: outputs(out), work };
}
