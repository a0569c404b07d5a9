// Runs the CLI against the real process: the one place that touches process. The run itself
// goes in a worker thread with a capped heap: the audit keeps only bounded state (drug lines
// go to disk), and without a cap V8 lets garbage grow the heap with the input, so peak RSS
// would too. CLAIM_AUDIT_HEAP_MB raises the cap.
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { setFlagsFromString } from 'node:v8';
import { removeRunDir } from '../output/work.js';
import { releaseIfHeld } from '../output/lock.js';
import type { Owned } from '../audit.js';

// With the reference pack resident, V8's allocation-site pretenuring sometimes moves the
// short-lived claim objects to old space: ingest then runs ~40% slower with ~40% more RSS, on
// some runs and not others. Measured steady without it (npm run bench). Set before the worker
// starts; V8's flags are the process's.
setFlagsFromString('--no-allocation-site-pretenuring');

/** The run's heap, in MB. */
export const HEAP_MB = Number(process.env.CLAIM_AUDIT_HEAP_MB ?? 256);

export type ToMain = { stdout: string } | { stderr: string } | { exitCode: number } | { crashed: string } | { owned: Owned };

/** CLAIM_AUDIT_DEBUG=1: internal errors print their stack trace. */
const DEBUG = /^(1|true|yes)$/i.test(process.env.CLAIM_AUDIT_DEBUG ?? '');

/**
 * Removes what a run that died (out of memory: its own cleanup never ran) had taken: its
 * temporary folder, and the output folder's lock when it is still this process's.
 */
function removeOwned(owned: Owned): void {
  // Not if another run took the lock over: the temporary folder and the lock are then its business.
  const ours = owned.lock === undefined || owned.lockToken === undefined || releaseIfHeld(owned.lock, owned.lockToken);
  // The run's folder sits in the output folder's work area: <out>/.claim-audit-work/run-…
  if (ours && owned.temp) removeRunDir(dirname(dirname(owned.temp)), owned.temp);
}
export type ToWorker = { abort: string };

/** Exit codes of a run stopped by a signal: 128 + the signal number, as shells report them. */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
/** How long a run may take to stop after the first signal. */
const STOP_GRACE_MS = Number(process.env.CLAIM_AUDIT_STOP_GRACE_MS ?? 10_000);

/**
 * A writer to stdout or stderr that survives the reader going away: a closed pipe (EPIPE, as in
 * `claim-audit … 2>&1 | head -1`) stops the printing, never the audit, which finishes, commits
 * its reports and exits with its own code.
 */
export function survivingWriter(stream: NodeJS.WritableStream): (text: string) => void {
  let open = true;
  stream.on('error', () => {
    open = false;
  });
  return (text) => {
    if (!open) return;
    try {
      stream.write(text);
    } catch {
      open = false;
    }
  };
}

export function runFromProcess(argv: readonly string[], mapExitCode: (code: number) => number = (code) => code): void {
  const worker = new Worker(new URL('./worker.js', import.meta.url), {
    workerData: { argv: [...argv], stderrIsTty: process.stderr.isTTY === true, columns: process.stderr.columns || 80, debug: DEBUG },
    resourceLimits: { maxOldGenerationSizeMb: HEAP_MB, maxYoungGenerationSizeMb: 16 },
  });
  let done = false;
  const owned: Owned = {};
  const stdout = survivingWriter(process.stdout);
  const stderr = survivingWriter(process.stderr);
  // The first SIGINT/SIGTERM stops the run cleanly (temporary files removed, lock released,
  // previous reports untouched); a second one exits at once. A run that has not stopped
  // STOP_GRACE_MS after the first (blocked in a system call: a FIFO whose writer never came)
  // is ended here, what it owned removed: a signal is honoured at every stage.
  let stopping = false;
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(name, () => {
      const code = SIGNAL_EXIT[name];
      if (stopping) process.exit(code);
      stopping = true;
      worker.postMessage({ abort: name } satisfies ToWorker);
      setTimeout(() => {
        if (done) return;
        removeOwned(owned);
        stderr(`claim-audit: stopped by ${name}; the run did not stop within ${STOP_GRACE_MS / 1000} s and was ended; nothing was written\n`);
        process.exit(code);
      }, STOP_GRACE_MS).unref();
    });
  }
  worker.on('message', (message: ToMain) => {
    if ('owned' in message) Object.assign(owned, message.owned);
    else if ('stdout' in message) stdout(message.stdout);
    else if ('stderr' in message) stderr(message.stderr);
    else if ('exitCode' in message) {
      done = true;
      process.exitCode = mapExitCode(message.exitCode);
      // The run is over; a system call it left blocked (a FIFO's open, stopped by a signal) must
      // not keep the process: if the worker has not ended a moment later, exit without it.
      setTimeout(() => process.exit(), 2_000).unref();
    } else {
      done = true;
      stderr(`claim-audit: internal error (${message.crashed})${DEBUG ? '' : '; set CLAIM_AUDIT_DEBUG=1 to print the details'}\n`);
      process.exitCode = 2;
    }
  });
  worker.on('error', (error: Error & { code?: string }) => {
    done = true;
    removeOwned(owned);
    const kept = owned.lock ? '; nothing was written, the previous reports are as they were' : '';
    stderr(
      error.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? `claim-audit: the run needed more than its ${HEAP_MB} MB heap; set CLAIM_AUDIT_HEAP_MB to allow more${kept}\n`
        : DEBUG
          ? `claim-audit: internal error: ${error.stack ?? error.message}\n`
          : `claim-audit: internal error (${error.name})${kept}; set CLAIM_AUDIT_DEBUG=1 to print the details\n`,
    );
    process.exitCode = 2;
  });
  worker.on('exit', () => {
    if (!done) {
      removeOwned(owned);
      process.exitCode = 2;
    }
  });
}
