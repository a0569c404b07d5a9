// A pool of worker threads for the per-file phases: files are audited (phase 1) and their lines
// written (phase 3) on every core, the start-up (the reference pack, the rules) paid once per
// worker, not per file. Each worker writes to the same temporary folder the audit's thread
// would; the audit merges the results in input order, so the reports do not depend on which
// worker finished first.
import { loadDefaultPack } from '../reference/pack.js';
import { Worker } from 'node:worker_threads';
import type { InputFile } from '../ingest/inputs.js';
import type { PendingFile, Phase1Options, Phase1Progress } from './audit-file.js';
import type { LinesDone, LinesTask, Phase3Options } from './write-lines.js';
import type { BucketDone, BucketTask } from './cross-claims.js';

export interface FileTask {
  id: number;
  input: InputFile;
  fileIndex: number;
  temp: string;
}

export type FromWorker =
  | { id: number; read: number }
  | { id: number; claims: [number, number] }
  | { id: number; withdraw: [number, number] }
  | { id: number; done: PendingFile | BucketDone | LinesDone }
  | { id: number; failed: { name: string; message: string; stack: string; aborted: boolean; code?: string; path?: string } };

export type ToWorker = { task: FileTask } | { cross: { id: number; task: BucketTask } } | { lines: { id: number; task: LinesTask } } | { abort: string };

/** Progress of phase 1 as the pool reports it: a worker sends its claims in batches. */
export interface PoolProgress extends Phase1Progress {
  claims(claims: number, findings: number): void;
}

export type WorkerSetup = Omit<Phase1Options & Phase3Options, 'signal'>;

interface Running {
  resolve: (done: never) => void;
  reject: (error: Error) => void;
  progress: PoolProgress | null;
}

export class FileWorkerPool {
  /**
   * Workers load the compiled file-worker.js: running from TypeScript sources (the test
   * runner), there is none, and files are audited in the audit's own thread.
   */
  static readonly available = import.meta.url.endsWith('.js');

  private readonly idle: Worker[] = [];
  private readonly waiting: Array<(worker: Worker) => void> = [];
  private readonly running = new Map<number, Running>();
  private readonly workers: Worker[] = [];
  private nextId = 0;

  constructor(size: number, setup: WorkerSetup, signal?: AbortSignal) {
    // The default pack is read from its file by each worker (interned, a fifth of a second)
    // rather than cloned into it (its strings copied over and over, and the clone's garbage
    // carried in a 128 MB heap); a pack built or merged for this run is sent as it is.
    const fromFile = setup.reference.pack === loadDefaultPack();
    const data = fromFile ? { ...setup, reference: { ...setup.reference, pack: null } } : setup;
    for (let i = 0; i < size; i++) {
      // Phase 1 keeps a claim at a time, phase 3 a line and a run of findings: a small heap keeps
      // each worker's garbage from growing RSS.
      const worker = new Worker(new URL('./file-worker.js', import.meta.url), { workerData: data, resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 } });
      worker.on('message', (message: FromWorker) => this.onMessage(worker, message));
      worker.on('error', (error) => {
        for (const [, run] of this.running) run.reject(error);
        this.running.clear();
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
    signal?.addEventListener('abort', () => {
      for (const worker of this.workers) worker.postMessage({ abort: String(signal.reason) } satisfies ToWorker);
    });
  }

  private onMessage(worker: Worker, message: FromWorker): void {
    const run = this.running.get(message.id);
    if (!run) return;
    if ('read' in message) run.progress?.read(message.read);
    else if ('claims' in message) run.progress?.claims(...message.claims);
    else if ('withdraw' in message) run.progress?.withdraw(...message.withdraw);
    else {
      this.running.delete(message.id);
      if ('done' in message) run.resolve(message.done as never);
      else {
        // As thrown in the worker: name, and an fs error's code and path (ENOSPC on the output folder).
        const { name, code, path } = message.failed;
        const error: NodeJS.ErrnoException = Object.assign(new Error(message.failed.message), code ? { code } : {}, path ? { path } : {});
        error.stack = message.failed.stack;
        error.name = message.failed.aborted ? 'AbortError' : name;
        run.reject(error);
      }
      const waiter = this.waiting.shift();
      if (waiter) waiter(worker);
      else this.idle.push(worker);
    }
  }

  private async acquire(): Promise<Worker> {
    const worker = this.idle.pop();
    if (worker) return worker;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Sends a task to the next idle worker; resolves with what it sends back when done. */
  private async dispatch<T>(message: (id: number) => ToWorker, progress: PoolProgress | null = null): Promise<T> {
    const worker = await this.acquire();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.running.set(id, { resolve, reject, progress });
      worker.postMessage(message(id));
    });
  }

  /** Phase 1 of a file. */
  run(input: InputFile, fileIndex: number, temp: string, progress: PoolProgress | null): Promise<PendingFile> {
    return this.dispatch((id) => ({ task: { id, input, fileIndex, temp } }), progress);
  }

  /** Phase 2 of a bucket. */
  cross(task: BucketTask): Promise<BucketDone> {
    return this.dispatch((id) => ({ cross: { id, task } }));
  }

  /** Phase 3 of a file. */
  lines(task: LinesTask): Promise<LinesDone> {
    return this.dispatch((id) => ({ lines: { id, task } }));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
