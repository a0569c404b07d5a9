// A night of the history as the trends show it (kept in its run.json; read by trends.ts).
/** Days since first seen, as revenue-cycle teams bucket receivables. */
export const AGING_BUCKETS = ['0-7', '8-30', '31-90', '90+'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

export const agingBucket = (days: number): AgingBucket => (days <= 7 ? '0-7' : days <= 30 ? '8-30' : days <= 90 ? '31-90' : '90+');

export interface Amount {
  lines: number;
  dollars: number;
}

/** One night of the history. */
export interface TrendPoint {
  run: string;
  date: string;
  /** Every line open after the run (on its worklist), each once. */
  open: Amount;
  /** Of them, lines with a finding new that night. */
  new: Amount;
  /** Findings that ended that night (resolved or voided), their lines' dollars once. */
  resolved: { findings: number; dollars: number };
  /** The open lines by age; null for runs recorded before it was kept. */
  aging: Record<AgingBucket, Amount> | null;
  /** The open lines by owner queue; null for runs recorded before it was kept. */
  owners: Record<string, Amount> | null;
}

