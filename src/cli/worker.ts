// The CLI run inside the worker thread that process.ts starts: output and the exit code go to
// the main thread as messages (in order), and a signal there aborts the run here.
import { parentPort, workerData } from 'node:worker_threads';
import type { ToMain, ToWorker } from './process.js';
import { runCli } from './run.js';
import { commitHooks } from '../output/atomic.js';

const { argv, stderrIsTty, columns, debug } = workerData as { argv: string[]; stderrIsTty: boolean; columns: number; debug: boolean };
const port = parentPort!;

// Fault injection for the tests that kill a run at each step of its commit: CLAIM_AUDIT_FAULT=
// commit-rename:N (SIGKILL before the N-th rename) or commit-journal (before the journal).
const fault = /^commit-(rename:(\d+)|journal)$/.exec(process.env.CLAIM_AUDIT_FAULT ?? '');
if (fault) {
  const kill = () => process.kill(process.pid, 'SIGKILL');
  if (fault[2] !== undefined) commitHooks.beforeRename = (i) => i === Number(fault[2]) && kill();
  else commitHooks.beforeJournal = kill;
}
const send = (message: ToMain) => port.postMessage(message);
const controller = new AbortController();
port.on('message', (message: ToWorker) => controller.abort(message.abort));

runCli(argv, {
  signal: controller.signal,
  debug,
  onOwned: (owned) => send({ owned }),
  stdout: (t) => send({ stdout: t }),
  stderr: (t) => send({ stderr: t }),
  stderrIsTty,
  columns: () => columns,
}).then(
  (exitCode) => {
    send({ exitCode });
    port.close();
  },
  (error: unknown) => {
    // runCli catches what it can; this is the last resort, and says no more than it does.
    send({ crashed: debug && error instanceof Error ? (error.stack ?? error.name) : error instanceof Error ? error.name : typeof error });
    port.close();
  },
);
