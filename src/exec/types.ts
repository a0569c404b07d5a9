// What an executor is given and gives back. An executor runs the domain stages (stages.ts) over
// the inputs however it likes (in memory, spilled to disk across worker threads, as shards on
// other machines) and must give the same lines.ndjson bytes, tally and ranking as any other.
import type { Finding } from '../model/index.js';
import type { InputFile } from '../ingest/inputs.js';
import type { TallyState } from '../view/tally.js';
import type { FileResult, IngestProgress, LineageEntry, StageOptions } from '../stages.js';
import type { HoldStats } from '../store/ndjson.js';

/** Progress as counts only (never claim data). */
export interface ExecProgress extends IngestProgress {
  /** Claims audited (and their findings so far); negative counts take back a worker's batch. */
  claims(claims: number, findings: number): void;
  /** A file is read and its claims audited. */
  fileDone(): void;
  phase(phase: 'reading' | 'cross-claim' | 'writing'): void;
}

/** Sizes the local executor's machinery is tuned by; tests set them small to force it into use. */
export interface ExecTuning {
  /** Group records per bucket of the cross-claim phase. */
  bucketLines?: number;
  /** Findings per sorted run of the ranking. */
  sortRun?: number;
  /** The worker pool: started when the input is large enough (auto), always (where it can run), or never. */
  pool?: 'auto' | 'always' | 'never';
  /**
   * The memory executor: deep-freeze every line and finding once the rules are done, so a later
   * stage that writes to a value it did not make throws (tests hold "findings are values" so).
   */
  freezeAfterRules?: boolean;
}

export interface ExecPlan {
  inputs: InputFile[];
  /** The inputs' bytes on disk (compressed for .gz). */
  inputBytes: number;
  options: StageOptions;
  /** Where lines.ndjson is written (the audit commits it), or null: not written. */
  linesOut: string | null;
  /** A folder the executor may use for its own files; the audit removes it. */
  temp: string;
  /** Keep every line's record in the result (memory grows with them). */
  keep: boolean;
  concurrency: number;
  progress: ExecProgress | null;
  onFileDone?: (result: FileResult) => void;
  signal?: AbortSignal;
  tuning?: ExecTuning;
  /**
   * Bytes of temporary records the local executor may hold in memory before it writes them to
   * disk (--memory-budget). Held only when every phase runs in the audit's thread (no worker
   * pool): a worker's files must be on disk for the next phase. 0: all on disk.
   */
  memoryBudget: number;
}

export interface ExecResult {
  files: FileResult[];
  tally: TallyState;
  /** Every finding, member ids masked, in rank order; iterated once. */
  ranked: Iterable<Finding>;
  /** The claims the run's replacements and voids supersede (rules/lineage.ts), for the history. */
  lineage: LineageEntry[];
  /** How the run was executed (never in the outputs: they are the same whichever ran). */
  execution: Execution;
  /**
   * Settles when lines.ndjson is whole and the executor's temporary files are removed (work
   * done beside the reports); the audit waits for it before it reads lines.ndjson or commits.
   */
  settled?: Promise<void>;
}

export interface Execution {
  executor: Executor['name'];
  /** Worker threads used (0: the audit's thread only). */
  workers: number;
  /** Buckets of the cross-claim phase (memory: 0). */
  buckets: number;
  /**
   * The local executor's temporary files held in memory (--memory-budget): the budget, the most
   * bytes held at once, and the files that passed it and went to disk. Absent: every temporary
   * file was on disk (worker threads, a budget of 0, the other executors).
   */
  held?: HoldStats;
}

export interface Executor {
  readonly name: 'memory' | 'local' | 'sharded';
  run(plan: ExecPlan): Promise<ExecResult>;
}
