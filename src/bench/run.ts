// npm run bench -- [--size MB] [--small MB] [--seed N] [--out FILE]
// Generates a large and a small drug-heavy 837P, then measures, each in a fresh process and
// in the same run: (a) the plain split-only tokenizer baseline, (b) our tokenizer, (c) our
// full ingest to claims, all with the node flags claim-audit runs with; and (c) again with
// V8's defaults. Then the same claims as a canonical CSV: a plain split-only CSV reader and our
// CSV ingest (csv-parse, layout mapping, normalisation, grouping into claims). Prints MB/s, segments/s, claims/s and peak RSS, and writes JSON.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generate837, generateCanonicalCsv } from './generate.js';
import type { Measurement, Mode } from './measure.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '200' },
    small: { type: 'string', default: '20' },
    seed: { type: 'string', default: '42' },
    out: { type: 'string', default: 'reports/bench.json' },
    keep: { type: 'boolean', default: false },
  },
});

const MB = 1024 * 1024;
const measureScript = join(dirname(fileURLToPath(import.meta.url)), 'measure.js');
const modes: Mode[] = ['baseline', 'tokenizer', 'ingest'];

/**
 * The node flags claim-audit runs with: a 4 MB semi-space (npm start) keeps V8's young
 * generation from growing to 2×16 MB on long runs, which is what makes peak RSS flat; the CLI
 * turns off allocation-site pretenuring itself (src/cli/process.ts).
 */
export const RUNTIME_FLAGS = ['--max-old-space-size=256', '--max-semi-space-size=4', '--no-allocation-site-pretenuring'];

function run(mode: Mode, path: string, flags: string[] = RUNTIME_FLAGS): Measurement {
  const output = execFileSync(process.execPath, [...flags, measureScript, mode, path], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(output) as Measurement;
}

const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main() {
  const seed = Number(values.seed);
  const dir = join(tmpdir(), `claim-audit-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const sizes = [Number(values.small), Number(values.size)];
  type Row = Measurement & { sizeMB: number; v8: 'claim-audit' | 'default'; mbPerSecond: number; segmentsPerSecond: number; claimsPerSecond: number };
  const results: Row[] = [];
  const record = (m: Measurement, sizeMB: number, v8: Row['v8']) => {
    const row: Row = { ...m, sizeMB, v8, mbPerSecond: m.bytes / MB / m.seconds, segmentsPerSecond: m.segments / m.seconds, claimsPerSecond: m.claims / m.seconds };
    results.push(row);
    process.stderr.write(
      `  ${`${m.mode}${v8 === 'default' ? ' (V8 defaults)' : ''}`.padEnd(23)} ${fmt(row.mbPerSecond).padStart(7)} MB/s  ${fmt(row.segmentsPerSecond / 1e6, 2)} M segments/s  ${fmt(row.claimsPerSecond / 1e3)} k claims/s  peak RSS ${fmt(m.peakRssMB, 0)} MB\n`,
    );
  };
  try {
    for (const sizeMB of sizes) {
      const path = join(dir, `bench-${sizeMB}mb-seed${seed}.edi`);
      const generated = await generate837(path, sizeMB * MB, { seed });
      process.stderr.write(`generated ${fmt(generated.bytes / MB)} MB: ${generated.interchanges} interchanges, ${generated.claims} claims, ${generated.drugLines} drug lines\n`);
      for (const mode of modes) record(run(mode, path), sizeMB, 'claim-audit');
      record(run('ingest', path, []), sizeMB, 'default');
      const csvPath = join(dir, `bench-${sizeMB}mb-seed${seed}.csv`);
      const csv = await generateCanonicalCsv(csvPath, sizeMB * MB, { seed });
      process.stderr.write(`generated ${fmt(csv.bytes / MB)} MB of canonical CSV: ${csv.claims} claims, ${csv.drugLines} drug lines\n`);
      for (const mode of ['csv-baseline', 'csv-ingest'] as const) record(run(mode, csvPath), sizeMB, 'claim-audit');
    }
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }

  const find = (sizeMB: number, mode: Mode) => results.find((r) => r.sizeMB === sizeMB && r.mode === mode && r.v8 === 'claim-audit')!;
  const large = sizes[1]!;
  const small = sizes[0]!;
  const checks = {
    ingestVsBaseline: find(large, 'ingest').mbPerSecond / find(large, 'baseline').mbPerSecond,
    ingestRssGrowth: find(large, 'ingest').peakRssMB / find(small, 'ingest').peakRssMB - 1,
    csvIngestVsBaseline: find(large, 'csv-ingest').mbPerSecond / find(large, 'csv-baseline').mbPerSecond,
    csvIngestRssGrowth: find(large, 'csv-ingest').peakRssMB / find(small, 'csv-ingest').peakRssMB - 1,
  };
  const report = {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    seed,
    runtimeFlags: RUNTIME_FLAGS,
    results,
    checks: {
      ...checks,
      ingestAtLeastHalfBaseline: checks.ingestVsBaseline >= 0.5,
      ingestRssFlatWithin20Percent: Math.abs(checks.ingestRssGrowth) <= 0.2,
      csvIngestRssFlatWithin20Percent: Math.abs(checks.csvIngestRssGrowth) <= 0.2,
    },
  };
  mkdirSync(dirname(values.out!), { recursive: true });
  writeFileSync(values.out!, `${JSON.stringify(report, null, 2)}\n`);

  const table = [
    '| input | mode | MB/s | segments or rows/s | claims/s | peak RSS |',
    '|---|---|---:|---:|---:|---:|',
    ...results.map((r) => `| ${r.sizeMB} MB | ${r.mode}${r.v8 === 'default' ? ' (V8 defaults)' : ''} | ${fmt(r.mbPerSecond)} | ${fmt(r.segmentsPerSecond / 1e6, 2)} M | ${fmt(r.claimsPerSecond / 1e3)} k | ${fmt(r.peakRssMB, 0)} MB |`),
  ];
  process.stdout.write(`${table.join('\n')}\n\n`);
  process.stdout.write(`full ingest / baseline MB/s at ${large} MB: ${fmt(checks.ingestVsBaseline, 2)} (target >= 0.50)\n`);
  process.stdout.write(`ingest peak RSS ${large} MB vs ${small} MB: ${checks.ingestRssGrowth >= 0 ? '+' : ''}${fmt(checks.ingestRssGrowth * 100)}% (target within ±20%)\n`);
  process.stdout.write(`CSV ingest / plain CSV split MB/s at ${large} MB: ${fmt(checks.csvIngestVsBaseline, 2)}; CSV ingest peak RSS ${large} MB vs ${small} MB: ${checks.csvIngestRssGrowth >= 0 ? '+' : ''}${fmt(checks.csvIngestRssGrowth * 100)}%\n`);
  process.stdout.write(`written: ${values.out}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
