// A pool of worker threads for the local executor's phases: files mapped (phase 1), buckets
// checked (phase 2) and files joined (phase 3) on every core, the start-up (the reference pack,
// the rules) paid once per worker, not per file. Each worker writes to the same temporary folder
// the audit's thread would; the executor merges the results in input order, so the outputs do
// not depend on which worker finished first.
import { Worker } from 'node:worker_threads';
import type { InputFile } from '../../ingest/inputs.js';
import { loadDefaultPack } from '../../reference/pack.js';
import type { StageOptions } from '../../stages.js';
import type { BucketDone, BucketTask } from './groups.js';
import type { JoinDone, JoinTask } from './join.js';
import type { MappedFile, MapProgress } from './map.js';

export type FromWorker =
  | { id: number; read: number }
  | { id: number; claims: [number, number] }
  | { id: number; done: MappedFile | BucketDone | JoinDone }
  | { id: number; failed: { name: string; message: string; stack: string; aborted: boolean; code?: string; path?: string } };

export type ToWorker =
  | { map: { id: number; input: InputFile; fileIndex: number; buckets: number; temp: string } }
  | { bucket: { id: number; task: BucketTask } }
  | { join: { id: number; task: JoinTask } }
  | { abort: string };

/** Progress of phase 1 as the pool reports it: a worker sends its claims in batches. */
export interface PoolProgress extends Pick<MapProgress, 'read'> {
  claims(claims: number, findings: number): void;
}

interface Running {
  resolve: (done: never) => void;
  reject: (error: Error) => void;
  progress: PoolProgress | null;
}

export class WorkerPool {
  /**
   * Workers load the compiled worker.js: running from TypeScript sources (the test runner) there
   * is none, and the executor runs every phase in the audit's thread. The tests run the pool
   * through the built code (test/e2e/executors.test.ts).
   */
  static readonly available = import.meta.url.endsWith('.js');

  private readonly idle: Worker[] = [];
  private readonly waiting: Array<(worker: Worker) => void> = [];
  private readonly running = new Map<number, Running>();
  private readonly workers: Worker[] = [];
  private nextId = 0;

  constructor(size: number, options: StageOptions, signal?: AbortSignal) {
    // The default pack is read from its file by each worker (interned, a fifth of a second)
    // rather than cloned into it (its strings copied over and over, and the clone's garbage
    // carried in a 128 MB heap); a pack built or merged for this run is sent as it is.
    const fromFile = options.reference.pack === loadDefaultPack();
    const data = fromFile ? { ...options, reference: { ...options.reference, pack: null } } : options;
    for (let i = 0; i < size; i++) {
      // A worker holds a claim, a bucket or a run of findings at a time: a small heap keeps its
      // garbage from growing RSS. An 8 MB young generation (16 before) took about 20 MB off the
      // peak of a concurrency-2 run, in the join, at no cost in time measured; the audit's own
      // thread keeps 16 MB (cli/process.ts): at 8 a one-core run took 1.7 times as long.
      const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: data, resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 8 } });
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

  map(input: InputFile, fileIndex: number, buckets: number, temp: string, progress: PoolProgress | null): Promise<MappedFile> {
    return this.dispatch((id) => ({ map: { id, input, fileIndex, buckets, temp } }), progress);
  }

  bucket(task: BucketTask): Promise<BucketDone> {
    return this.dispatch((id) => ({ bucket: { id, task } }));
  }

  join(task: JoinTask): Promise<JoinDone> {
    return this.dispatch((id) => ({ join: { id, task } }));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
