// After phase 3: the units' parts of lines.ndjson appended to the first, and the phases'
// temporary files removed. Both are only copying and unlinking, gigabytes of it on a large run,
// and nothing the ranking and the reports wait for: a thread of their own does them while the
// audit's thread writes the reports (the audit waits for it before it reads lines.ndjson back or
// commits). Where worker threads cannot start (the tests, run from the TypeScript sources), the
// same is done at once, in this thread.
import { rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { appendFileTo } from '../../store/ndjson.js';

export interface TidyTask {
  /** lines.ndjson (its first part already in place), and the other parts to append, in order. */
  target: string | null;
  parts: string[];
  /** Files or folders no longer needed. */
  remove: string[];
}

export function tidyNow({ target, parts, remove }: TidyTask): void {
  for (const part of parts) {
    if (target !== null) appendFileTo(target, part);
    rmSync(part, { force: true });
  }
  for (const path of remove) rmSync(path, { recursive: true, force: true });
}

/**
 * Starts the task in a thread of its own (at once here when threads are not available); settles
 * when it is done. The promise is the audit's to await (ExecResult.settled): its failure is
 * reported there, never as an unhandled rejection.
 */
export function tidy(task: TidyTask): Promise<void> {
  const settled = start(task);
  settled.catch(() => {});
  return settled;
}

function start(task: TidyTask): Promise<void> {
  // The same test as WorkerPool.available, not imported: pool.ts would load the reference modules into this thread's worker.
  if (!import.meta.url.endsWith('.js') || (task.parts.length === 0 && task.remove.length === 0)) {
    try {
      tidyNow(task);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }
  return new Promise<void>((resolve, reject) => {
    const worker = new Worker(new URL('./tidy-worker.js', import.meta.url), { workerData: task, resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 } });
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the thread that puts lines.ndjson together stopped (exit code ${code})`))));
  });
}
