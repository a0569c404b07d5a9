// npm run bench -- [--size MB] [--files N] [--small-files N] [--small-kb KB] [--seed N] [--out FILE] [--keep]
// Generates --size MB of a realistic 837 mix (drug lines about 5% of service lines, 837P and
// 837I), the same of drug-heavy 837P and of canonical CSV, each as --files files
// (default 1024 MB as 2 files), and --small-files files of --small-kb KB (default 500 × 10 KB).
// Then measures, each in a fresh process and in the same run: the plain split-only tokenizer
// (the baseline), our ingest, the floor (ingest, per-claim rules and lines.ndjson: the least a
// full audit does), and the full audit with every report at concurrency 1 held to one core
// (taskset), at concurrency 1 free, and at concurrency 2; the same for the CSV (a plain
// split-only CSV reader as its baseline); and the small files audited in one process, against
// one small file's run (the start-up a process a file would pay).
// Prints MB/s, claims/s, drug lines/s and peak RSS, and writes JSON (reports/bench.json).
// First, what every run pays before its first claim: the reference pack's load time, and the wall
// time of a whole one-file audit of a sample through the binary (median of 5 each);
// --startup-only measures just that.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generate835, generate837, generateCanonicalCsv, generateRealistic837, type GenerateResult } from './generate.js';
import type { Measurement, Mode } from './measure.js';
import { capacityTable, PRICE_PER_VCPU_HOUR } from './capacity.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1024' },
    files: { type: 'string', default: '2' },
    'small-files': { type: 'string', default: '500' },
    'small-kb': { type: 'string', default: '10' },
    seed: { type: 'string', default: '42' },
    out: { type: 'string', default: 'reports/bench.json' },
    keep: { type: 'boolean', default: false },
    'startup-only': { type: 'boolean', default: false },
  },
});

const MB = 1024 * 1024;
const measureScript = join(dirname(fileURLToPath(import.meta.url)), 'measure.js');

/**
 * The node flags claim-audit runs with: a 4 MB semi-space (npm start) keeps V8's young
 * generation from growing to 2×16 MB on long runs, which is what makes peak RSS flat; the CLI
 * turns off allocation-site pretenuring itself (src/cli/process.ts).
 */
export const RUNTIME_FLAGS = ['--max-old-space-size=256', '--max-semi-space-size=4', '--no-allocation-site-pretenuring'];

interface Row extends Measurement {
  input: string;
  files: number;
  concurrency: number | null;
  /** 1: the process was held to one core (taskset); null: it could use every core. */
  cores: number | null;
  mbPerSecond: number;
  claimsPerSecond: number;
  drugLinesPerSecond: number;
}

const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Whether a process can be held to one core here (util-linux taskset). */
const canPin = (() => {
  try {
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * One measurement in a fresh process; `oneCore`: held to the first core, so V8's helper threads
 * (the garbage collector's, the compiler's) share that core with the run, as "one core" means.
 */
function run(args: string[], oneCore = false): Measurement {
  const node = [process.execPath, ...RUNTIME_FLAGS, measureScript, ...args];
  const [command, ...argv] = oneCore ? ['taskset', '-c', '0', ...node] : node;
  const output = execFileSync(command!, argv, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = output.split('\n').filter((l) => l.startsWith('{"mode"')).pop();
  if (!line) throw new Error(`no measurement in the output of ${args.join(' ')}:\n${output}`);
  return JSON.parse(line) as Measurement;
}

/** The same, not waiting: several at once (a sharded run's map steps, as on several machines). */
async function runAsync(args: string[]): Promise<Measurement> {
  const { stdout } = await promisify(execFile)(process.execPath, [...RUNTIME_FLAGS, measureScript, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = stdout.split('\n').filter((l) => l.startsWith('{"mode"')).pop();
  if (!line) throw new Error(`no measurement in the output of ${args.join(' ')}:\n${stdout}`);
  return JSON.parse(line) as Measurement;
}

const distDir = dirname(dirname(fileURLToPath(import.meta.url)));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The reference pack's load, in a fresh process (ms), and a one-file audit's wall time (ms). */
function startup(runs = 5): { packLoadMs: number; oneFileAuditMs: number; sample: string } {
  const reference = join(distDir, 'reference', 'index.js');
  const load = `const t = performance.now(); const { loadReference } = await import(${JSON.stringify(reference)}); loadReference(); console.log(performance.now() - t);`;
  const loads = Array.from({ length: runs }, () => Number(execFileSync(process.execPath, ['--input-type=module', '-e', load], { encoding: 'utf8' }).trim()));
  const sample = join(dirname(distDir), 'samples', '837p-infusion-center-medicare.edi');
  const out = mkdtempSync(join(tmpdir(), 'claim-audit-bench-one-'));
  const audits = Array.from({ length: runs }, () => {
    const t = performance.now();
    try {
      execFileSync(process.execPath, [join(distDir, 'cli', 'main.js'), sample, '--out', out, '--quiet'], { stdio: 'ignore' });
    } catch {
      // Exit 1: the sample has findings.
    }
    return performance.now() - t;
  });
  rmSync(out, { recursive: true, force: true });
  return { packLoadMs: median(loads), oneFileAuditMs: median(audits), sample: 'samples/837p-infusion-center-medicare.edi' };
}

async function main() {
  const start = startup();
  process.stdout.write(`reference pack load: ${fmt(start.packLoadMs, 0)} ms; one-file audit of ${start.sample} (the binary, start to exit): ${fmt(start.oneFileAuditMs, 0)} ms (target < 1,000 ms); median of 5\n`);
  if (values['startup-only']) {
    mkdirSync(dirname(values.out!), { recursive: true });
    writeFileSync(values.out!, `${JSON.stringify({ node: process.version, cpu: cpus()[0]?.model ?? 'unknown', startup: start }, null, 2)}\n`);
    return;
  }
  const seed = Number(values.seed);
  const sizeMB = Number(values.size);
  const fileCount = Number(values.files);
  const smallFiles = Number(values['small-files']);
  const smallKB = Number(values['small-kb']);
  const dir = mkdtempSync(join(tmpdir(), 'claim-audit-bench-'));
  const rows: Row[] = [];
  const record = (input: string, files: number, concurrency: number | null, m: Measurement, cores: number | null = null) => {
    const row: Row = { ...m, input, files, concurrency, cores, mbPerSecond: m.bytes / MB / m.seconds, claimsPerSecond: m.claims / m.seconds, drugLinesPerSecond: m.drugLines / m.seconds };
    rows.push(row);
    process.stderr.write(
      `  ${input.padEnd(24)} ${`${m.mode}${concurrency ? ` c${concurrency}` : ''}${cores ? ' 1 core' : ''}`.padEnd(18)} ${fmt(m.seconds).padStart(7)} s ${fmt(row.mbPerSecond).padStart(6)} MB/s ${fmt(row.claimsPerSecond / 1e3).padStart(6)} k claims/s ${fmt(row.drugLinesPerSecond / 1e3).padStart(6)} k drug lines/s  peak RSS ${fmt(m.peakRssMB, 0)} MB\n`,
    );
    return row;
  };
  const generated: Record<string, GenerateResult[]> = { realistic: [], '837p': [], csv: [] };
  try {
    // The realistic mix (drug lines about 5% of service lines, 837P and 837I) as most users' files
    // are; then the drug-heavy worst case (an infusion center's year) as 837P and as CSV.
    for (const format of ['realistic', '837p', 'csv'] as const) {
      const paths: string[] = [];
      for (let i = 0; i < fileCount; i++) {
        const path = join(dir, `bench-${format}-${i}.${format === 'csv' ? 'csv' : 'edi'}`);
        const options = { seed: seed + i };
        const bytes = (sizeMB * MB) / fileCount;
        generated[format]!.push(format === 'csv' ? await generateCanonicalCsv(path, bytes, options) : format === 'realistic' ? await generateRealistic837(path, bytes, options) : await generate837(path, bytes, options));
        paths.push(path);
      }
      const made = generated[format]!;
      process.stderr.write(`generated ${format}: ${fileCount} files, ${fmt(made.reduce((n, g) => n + g.bytes, 0) / MB)} MB, ${made.reduce((n, g) => n + g.claims, 0)} claims, ${made.reduce((n, g) => n + g.drugLines, 0)} drug lines\n`);
      const input = `${sizeMB} MB ${format === 'csv' ? 'CSV' : format === 'realistic' ? 'realistic 837' : '837P'}`;
      const plain: Mode = format === 'csv' ? 'csv-baseline' : 'baseline';
      const ingest: Mode = format === 'csv' ? 'csv-ingest' : 'ingest';
      record(input, fileCount, null, run([plain, ...paths]));
      if (format === 'csv') record(input, fileCount, null, run(['csv-parse', ...paths]));
      record(input, fileCount, null, run([ingest, ...paths]));
      record(input, fileCount, null, run(['floor', ...paths]));
      // Concurrency 1 held to one core (when taskset is here), then as a user runs it, then 2.
      for (const [concurrency, oneCore] of [...(canPin ? ([[1, true]] as const) : []), [1, false], [2, false]] as const) {
        const out = join(dir, `out-${format}-c${concurrency}`);
        record(input, fileCount, concurrency, run(['audit', String(concurrency), out, ...paths], oneCore), oneCore ? 1 : null);
        rmSync(out, { recursive: true, force: true });
      }
      // The sharded executor on this machine: 2 map steps at once (each one process, concurrency
      // 1, as on two machines of one core), then the merge; the map wall time is the slower step's.
      if (format !== 'csv') {
        const work = join(dir, `work-${format}`);
        const out = join(dir, `out-${format}-sharded`);
        const bytes = made.reduce((n, g) => n + g.bytes, 0);
        const claims = made.reduce((n, g) => n + g.claims, 0);
        const drugLines = made.reduce((n, g) => n + g.drugLines, 0);
        const started = performance.now();
        const maps = await Promise.all([0, 1].map((k) => runAsync(['step', 'map', '--shard', `${k}/2`, '--work', work, ...paths, '--concurrency', '1', '--quiet'])));
        const mapSeconds = (performance.now() - started) / 1000;
        record(input, fileCount, 2, { mode: 'sharded map', bytes, seconds: mapSeconds, segments: 0, claims, drugLines, peakRssMB: Math.max(...maps.map((m) => m.peakRssMB)) });
        const merge = run(['step', 'merge', '--work', work, '--out', out, '--concurrency', '2', '--quiet']);
        record(input, fileCount, 2, { ...merge, mode: 'sharded merge', bytes, claims, drugLines });
        rmSync(work, { recursive: true, force: true });
        rmSync(out, { recursive: true, force: true });
      }
      for (const path of paths) rmSync(path, { force: true });
    }
    // A payer's remittances: the 835 reader against the plain tokenizer on the same bytes.
    const remitPaths: string[] = [];
    for (let i = 0; i < fileCount; i++) {
      const path = join(dir, `bench-remits-${i}.835`);
      await generate835(path, (sizeMB * MB) / fileCount, { seed: seed + 500 + i });
      remitPaths.push(path);
    }
    const remitInput = `${sizeMB} MB 835`;
    record(remitInput, fileCount, null, run(['baseline', ...remitPaths]));
    record(remitInput, fileCount, null, run(['remits', ...remitPaths]));
    for (const path of remitPaths) rmSync(path, { force: true });
    // Many small files: one process for all of them, against one process for one of them. One
    // interchange of 22 claims a file: 10.1–11.7 KB (20 claims sometimes spill into a second).
    const smallDir = join(dir, 'small');
    mkdirSync(smallDir);
    for (let i = 0; i < smallFiles; i++) await generate837(join(smallDir, `small-${String(i).padStart(4, '0')}.edi`), smallKB * 1024, { seed: seed + 1000 + i, claimsPerTransaction: 22 });
    const small = `${smallFiles} × ${smallKB} KB 837P`;
    for (const concurrency of [1, 2]) record(small, smallFiles, concurrency, run(['audit', String(concurrency), join(dir, `out-small-c${concurrency}`), smallDir]));
    record(`1 × ${smallKB} KB 837P`, 1, 1, run(['audit', '1', join(dir, 'out-one'), join(smallDir, 'small-0000.edi')]));
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }

  const find = (input: string, mode: Mode, concurrency: number | null = null, cores: number | null = null) => rows.find((r) => r.input === input && r.mode === mode && r.concurrency === concurrency && r.cores === cores)!;
  // Concurrency 1 on one core when it could be measured so, else as run.
  const oneCore = (input: string) => (canPin ? find(input, 'audit', 1, 1) : find(input, 'audit', 1));
  const edi = `${sizeMB} MB 837P`;
  const realistic = `${sizeMB} MB realistic 837`;
  const csv = `${sizeMB} MB CSV`;
  const remit = `${sizeMB} MB 835`;
  const one = rows[rows.length - 1]!;
  const smallC1 = find(`${smallFiles} × ${smallKB} KB 837P`, 'audit', 1);
  /** Microseconds a drug line costs in a mode, beyond ingest: (mode's seconds − ingest's) / drug lines. */
  const perDrugLine = (input: string, row: Row) => ((row.seconds - find(input, input === csv ? 'csv-ingest' : 'ingest').seconds) / Math.max(1, row.drugLines)) * 1e6;
  const usPerDrugLine = Object.fromEntries(
    [realistic, edi, csv].map((input) => [input, { floor: perDrugLine(input, find(input, 'floor')), audit: perDrugLine(input, oneCore(input)) }]),
  ) as Record<string, { floor: number; audit: number }>;
  const checks = {
    realisticAuditVsBaseline: oneCore(realistic).mbPerSecond / find(realistic, 'baseline').mbPerSecond,
    realisticFloorVsBaseline: find(realistic, 'floor').mbPerSecond / find(realistic, 'baseline').mbPerSecond,
    realisticAuditVsFloor: oneCore(realistic).mbPerSecond / find(realistic, 'floor').mbPerSecond,
    csvAuditVsCsvParse: oneCore(csv).mbPerSecond / find(csv, 'csv-parse').mbPerSecond,
    csvFloorVsCsvParse: find(csv, 'floor').mbPerSecond / find(csv, 'csv-parse').mbPerSecond,
    usPerDrugLine,
    realisticIngestVsBaseline: find(realistic, 'ingest').mbPerSecond / find(realistic, 'baseline').mbPerSecond,
    ingestVsBaseline: find(edi, 'ingest').mbPerSecond / find(edi, 'baseline').mbPerSecond,
    floorVsBaseline: find(edi, 'floor').mbPerSecond / find(edi, 'baseline').mbPerSecond,
    oneCoreMeasured: canPin,
    auditVsBaseline: oneCore(edi).mbPerSecond / find(edi, 'baseline').mbPerSecond,
    auditVsFloor: oneCore(edi).mbPerSecond / find(edi, 'floor').mbPerSecond,
    auditScaling837: oneCore(edi).seconds / find(edi, 'audit', 2).seconds,
    auditScalingCsv: oneCore(csv).seconds / find(csv, 'audit', 2).seconds,
    auditScaling837AllCores: find(edi, 'audit', 1).seconds / find(edi, 'audit', 2).seconds,
    auditScalingCsvAllCores: find(csv, 'audit', 1).seconds / find(csv, 'audit', 2).seconds,
    peakRssMB: Math.max(...rows.map((r) => r.peakRssMB)),
    csvIngestVsCsvParse: find(csv, 'csv-ingest').mbPerSecond / find(csv, 'csv-parse').mbPerSecond,
    smallFilesC2VsC1: smallC1.seconds / find(`${smallFiles} × ${smallKB} KB 837P`, 'audit', 2).seconds,
    shardedVsAudit837: (find(edi, 'sharded map', 2).seconds + find(edi, 'sharded merge', 2).seconds) / find(edi, 'audit', 2).seconds,
    shardedVsAuditRealistic: (find(realistic, 'sharded map', 2).seconds + find(realistic, 'sharded merge', 2).seconds) / find(realistic, 'audit', 2).seconds,
    remitsVsBaseline: find(remit, 'remits').mbPerSecond / find(remit, 'baseline').mbPerSecond,
    remitsPeakRssMB: find(remit, 'remits').peakRssMB,
    smallFilesOneProcessSeconds: smallC1.seconds,
    smallFilesProcessEachSeconds: one.seconds * smallFiles,
  };
  const report = { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, seed, sizeMB, files: fileCount, runtimeFlags: RUNTIME_FLAGS, startup: start, generated, results: rows, checks };
  mkdirSync(dirname(values.out!), { recursive: true });
  writeFileSync(values.out!, `${JSON.stringify(report, null, 2)}\n`);

  const table = [
    '| input | mode | concurrency | time | MB/s | claims/s | drug lines/s | peak RSS |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.input}${r.files > 1 && r.files < 100 ? ` (${r.files} files)` : ''} | ${r.mode} | ${r.concurrency ?? ''}${r.cores ? ' (1 core)' : ''} | ${fmt(r.seconds)} s | ${fmt(r.mbPerSecond)} | ${fmt(r.claimsPerSecond / 1e3)} k | ${fmt(r.drugLinesPerSecond / 1e3)} k | ${fmt(r.peakRssMB, 0)} MB |`),
  ];
  process.stdout.write(`${table.join('\n')}\n\n`);
  const basis = canPin ? 'concurrency 1 on one core' : 'concurrency 1 (taskset not found: not held to one core)';
  process.stdout.write(`realistic 837 full audit (${basis}) / baseline MB/s: ${fmt(checks.realisticAuditVsBaseline, 2)} (target >= 0.40); / floor: ${fmt(checks.realisticAuditVsFloor, 2)} (target >= 0.70); ingest / baseline: ${fmt(checks.realisticIngestVsBaseline, 2)}; floor / baseline: ${fmt(checks.realisticFloorVsBaseline, 2)}\n`);
  process.stdout.write(`837P ingest / baseline MB/s: ${fmt(checks.ingestVsBaseline, 2)}\n`);
  process.stdout.write(`837P floor (ingest + per-claim rules + lines.ndjson) / baseline MB/s: ${fmt(checks.floorVsBaseline, 2)}\n`);
  process.stdout.write(`837P full audit (${basis}) / baseline MB/s: ${fmt(checks.auditVsBaseline, 2)} (target >= 0.15); / floor: ${fmt(checks.auditVsFloor, 2)}\n`);
  process.stdout.write(`canonical CSV full audit (${basis}) / csv-parse alone MB/s: ${fmt(checks.csvAuditVsCsvParse, 2)} (target >= 0.30); floor / csv-parse: ${fmt(checks.csvFloorVsCsvParse, 2)}\n`);
  for (const [input, us] of Object.entries(usPerDrugLine)) process.stdout.write(`µs per drug line beyond ingest, ${input}: floor ${fmt(us.floor)}, full audit ${fmt(us.audit)}\n`);
  process.stdout.write(`full audit, concurrency 2 vs ${basis}, ${fileCount} files: 837P ${fmt(checks.auditScaling837, 2)}x, CSV ${fmt(checks.auditScalingCsv, 2)}x (target >= 1.60x)\n`);
  process.stdout.write(`full audit, concurrency 2 vs 1, both free to use every core: 837P ${fmt(checks.auditScaling837AllCores, 2)}x, CSV ${fmt(checks.auditScalingCsvAllCores, 2)}x\n`);
  process.stdout.write(`peak RSS, every run: ${fmt(checks.peakRssMB, 0)} MB (target < 300 MB)\n`);
  process.stdout.write(`canonical CSV ingest / csv-parse alone (with positions) MB/s: ${fmt(checks.csvIngestVsCsvParse, 2)} (target >= 0.80)\n`);
  process.stdout.write(`${smallFiles} small files, concurrency 1 time / concurrency 2 time: ${fmt(checks.smallFilesC2VsC1, 2)} (target >= 1: concurrency 2 no slower)\n`);
  process.stdout.write(`sharded (2 map steps at once, then merge) time / full audit concurrency 2 time: 837P ${fmt(checks.shardedVsAudit837, 2)}, realistic ${fmt(checks.shardedVsAuditRealistic, 2)}\n`);
  process.stdout.write(`835 remittance read / baseline MB/s: ${fmt(checks.remitsVsBaseline, 2)}; peak RSS ${fmt(checks.remitsPeakRssMB, 0)} MB (target < 300 MB)\n`);
  process.stdout.write(`${smallFiles} small files in one process: ${fmt(checks.smallFilesOneProcessSeconds)} s; a process each would take about ${fmt(checks.smallFilesProcessEachSeconds)} s\n`);
  const capacity = capacityTable(report);
  if (capacity) process.stdout.write(`\ncapacity on paper (src/bench/capacity.ts: shards of one vCPU, one 2-vCPU merge, $${PRICE_PER_VCPU_HOUR} a vCPU-hour):\n${capacity}\n\n`);
  process.stdout.write(`written: ${values.out}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
