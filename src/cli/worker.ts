// The CLI run inside the worker thread that process.ts starts: output and the exit code go to
// the main thread as messages (in order), and a signal there aborts the run here.
import { parentPort, workerData } from 'node:worker_threads';
import type { ToMain, ToWorker } from './process.js';
import { runCli } from './run.js';

const { argv, stderrIsTty, columns } = workerData as { argv: string[]; stderrIsTty: boolean; columns: number };
const port = parentPort!;
const send = (message: ToMain) => port.postMessage(message);
const controller = new AbortController();
port.on('message', (message: ToWorker) => controller.abort(message.abort));

runCli(argv, {
  signal: controller.signal,
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
    send({ crashed: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    port.close();
  },
);
