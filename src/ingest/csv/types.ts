// What the CSV reader hands over and reports (ingest/index.ts turns it into the file's stats).
import type { Claim } from '../../model/index.js';
import type { PhiMode } from '../../model/phi.js';
import type { CsvProfile } from './mapping.js';
import type { DateOrder } from './normalise.js';
import type { IngestIssueCode } from '../issues.js';

export interface CsvIssue {
  severity: 'error' | 'warning';
  code: IngestIssueCode;
  message: string;
  row?: number;
  column?: string;
  byteOffset?: number;
  value?: string;
}

export interface CsvSink {
  claim(claim: Claim): void;
  issue(issue: CsvIssue): void;
}

export interface SkippedClaim {
  claimId: string;
  reason: string;
  row: number;
  byteOffset: number;
}

/** What summary.json says of a CSV input. */
export interface CsvReport {
  layout: string | null;
  title: string | null;
  encoding: string;
  delimiter: string;
  columns: Record<string, string | string[]>;
  unmappedColumns: string[];
  /** Facts the layout cannot carry (their rules are not checked), with why. */
  unavailable: Record<string, string>;
  dateOrders: Record<string, DateOrder>;
  rows: { read: number; used: number; rejected: number; superseded: number };
  /** contiguous: claims streamed as read; spilled: regrouped on disk (rows of a claim were apart, or the file could not be scanned plainly). */
  grouping: 'contiguous' | 'spilled';
  chargeBasis: { line: number; claimRepeated: number; none: number };
  trailingDelimiter: boolean;
}

export interface CsvResult {
  claims: { read: number; audited: number; skipped: number; unparseable: number };
  lines: number;
  skippedClaims: SkippedClaim[];
  unparseableClaims: Array<{ claimId: string; reason: string; row: number; byteOffset: number }>;
  report: CsvReport;
}

export interface CsvReadOptions {
  file: string;
  profile: CsvProfile | null;
  /** The file's size on disk, for sizing the spill. */
  sizeHint: number;
  /** masked: header cells are named only when they are known headers (the row may be data). */
  phi?: PhiMode;
  /** 'csv-parse': parse with csv-parse even a file the project's scanner could read (the tests compare the two). */
  parser?: 'auto' | 'csv-parse';
}
