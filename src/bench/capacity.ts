// Capacity on paper, from a benchmark's measured figures (reports/bench.json): the time and cost
// to audit a large health system's year (20 GB) and a clearinghouse's day (500 GB) on one 2-core
// machine, on 16 shards and on 64 shards. `npm run bench` prints it at the end;
// `node dist/bench/capacity.js reports/bench.json` prints it from an earlier run.
//
// The model, every figure but the price measured by the bench on its 2-core machine:
// - one machine: the full audit at --concurrency 2 (its MB/s on the 1 GB input);
// - a shard is one map step on one vCPU, at the MB/s one of the bench's two map steps made
//   while the other ran beside it; the maps run all at once;
// - then one merge step on a 2-vCPU machine, at the bench's merge MB/s (of input): merge
//   checks every bucket no reduce step did, joins every drug line's entry, ranks the findings and
//   writes every report, so its time grows with the input however many shards there are;
// - cost: vCPU-hours at PRICE_PER_VCPU_HOUR (on-demand compute only: no shared file system,
//   no job runner's own charges, no start-up or queueing time).
import { readFileSync } from 'node:fs';

/** US dollars per vCPU-hour: an on-demand 2-vCPU general-purpose instance (e.g. AWS c6i.large at $0.085/h, us-east-1, 2026). */
export const PRICE_PER_VCPU_HOUR = 0.0425;

const SIZES = [
  { label: 'a health system’s year', gb: 20 },
  { label: 'a clearinghouse’s day', gb: 500 },
];

interface BenchRow {
  input: string;
  mode: string;
  concurrency: number | null;
  cores: number | null;
  seconds: number;
  bytes: number;
  mbPerSecond: number;
}

export interface Rates {
  /** MB/s of input. */
  single: number;
  mapPerShard: number;
  merge: number;
}

/** The three rates of one input kind, from a bench report's rows. */
export function ratesOf(rows: readonly BenchRow[], input: string): Rates | null {
  const find = (mode: string, concurrency: number | null) => rows.find((r) => r.input === input && r.mode === mode && r.concurrency === concurrency && r.cores === null);
  const single = find('audit', 2);
  const map = find('sharded map', 2);
  const merge = find('sharded merge', 2);
  if (!single || !map || !merge) return null;
  // Two map steps ran at once, each over half the input.
  return { single: single.mbPerSecond, mapPerShard: map.mbPerSecond / 2, merge: merge.mbPerSecond };
}

const duration = (seconds: number) => (seconds >= 3600 ? `${(seconds / 3600).toFixed(1)} h` : seconds >= 60 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds)} s`);
const dollars = (n: number) => `$${n < 10 ? n.toFixed(2) : Math.round(n).toLocaleString('en-US')}`;

/** The table's rows for one input kind: per size, one machine, 16 shards, 64 shards. */
export function capacityRows(rates: Rates, kind: string): string[] {
  const rows: string[] = [];
  for (const { label, gb } of SIZES) {
    const mb = gb * 1024;
    const one = mb / rates.single;
    const cells = [`${gb} GB (${label}), ${kind}`, `${duration(one)} · ${dollars((one / 3600) * 2 * PRICE_PER_VCPU_HOUR)}`];
    for (const shards of [16, 64]) {
      const map = mb / shards / rates.mapPerShard;
      const merge = mb / rates.merge;
      const cost = ((map * shards + merge * 2) / 3600) * PRICE_PER_VCPU_HOUR;
      cells.push(`${duration(map + merge)} (map ${duration(map)} + merge ${duration(merge)}) · ${dollars(cost)}`);
    }
    rows.push(`| ${cells.join(' | ')} |`);
  }
  return rows;
}

/** The whole table, from a bench report (null when it has no sharded rows). */
export function capacityTable(report: { results: BenchRow[]; sizeMB: number }): string | null {
  const lines: string[] = [];
  for (const [input, kind] of [
    [`${report.sizeMB} MB realistic 837`, 'realistic mix'],
    [`${report.sizeMB} MB 837P`, 'drug-heavy'],
  ] as const) {
    const rates = ratesOf(report.results, input);
    if (rates) lines.push(...capacityRows(rates, kind));
  }
  if (lines.length === 0) return null;
  return ['| input | one 2-core machine | 16 shards | 64 shards |', '|---|---|---|---|', ...lines].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report = JSON.parse(readFileSync(process.argv[2] ?? 'reports/bench.json', 'utf8')) as { results: BenchRow[]; sizeMB: number };
  process.stdout.write(`${capacityTable(report) ?? 'no sharded rows in this report: run npm run bench'}\n`);
}
