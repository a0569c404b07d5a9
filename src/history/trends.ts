// Trends from the history: a point a night (each run's record keeps its own), read back for the
// report's charts, the workbook's Trends sheet and summary.json. Open dollars count each open line
// once, at its largest amount, as the worklist does; aging buckets by days since a line's findings
// were first seen.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { lineDollarsOnce } from './status.js';
import { listRuns, readOpen, readRun } from './store.js';
import type { TrendPoint } from './trend-point.js';
export { AGING_BUCKETS, agingBucket, type AgingBucket, type Amount, type TrendPoint } from './trend-point.js';

/** Nights shown at most (the workbook's Trends sheet has every run kept). */
export const TREND_NIGHTS = 90;

/** A run recorded before its record kept a trend point: what its files still say. */
function pointFromFiles(dir: string, id: string): TrendPoint {
  const record = readRun(dir, id);
  const open = [...readOpen(dir, id).values()];
  const dollars = lineDollarsOnce(open);
  const lines = new Set(open.map((e) => `${e.claimKey}\u0000${e.lineKey}`));
  const cents = dollars.reduce((n, d) => n + Math.round(d * 100), 0);
  const count = (s: string) => record.counts[s] ?? { findings: 0, dollars: 0 };
  return {
    run: id,
    date: record.date,
    open: { lines: lines.size, dollars: cents / 100 },
    new: { lines: count('new').findings, dollars: count('new').dollars },
    resolved: { findings: count('resolved').findings + count('voided').findings, dollars: Math.round((count('resolved').dollars + count('voided').dollars) * 100) / 100 },
    aging: null,
    owners: null,
  };
}

/** The history's nights before tonight, oldest first (the last `limit`). */
export function readTrends(dir: string, limit = TREND_NIGHTS): TrendPoint[] {
  if (!existsSync(dir)) return [];
  return listRuns(dir)
    .slice(-limit)
    .map((id) => readRun(dir, id).trend ?? (existsSync(join(dir, id, 'open.ndjson')) ? pointFromFiles(dir, id) : null))
    .filter((p): p is TrendPoint => p !== null);
}
