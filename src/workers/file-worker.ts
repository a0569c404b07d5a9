// A worker of the phase-1 pool: audits the files it is given, one at a time, with the reference
// data it was started with, and reports progress and the result as messages.
import { parentPort, workerData } from 'node:worker_threads';
import { setFlagsFromString } from 'node:v8';
import { auditFile } from './audit-file.js';
import type { FromWorker, ToWorker, WorkerSetup } from './pool.js';

// As in the CLI's own thread (cli/process.ts): steadier speed and memory without it.
setFlagsFromString('--no-allocation-site-pretenuring');

const setup = workerData as WorkerSetup;
const port = parentPort!;
const controller = new AbortController();
const send = (message: FromWorker) => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  if ('abort' in message) {
    controller.abort(message.abort);
    return;
  }
  const { id, input, fileIndex, temp } = message.task;
  auditFile(input, fileIndex, { ...setup, signal: controller.signal }, {
    read: (bytes) => send({ id, read: bytes }),
    claim: (findings) => send({ id, claim: findings }),
    withdraw: (claims, findings) => send({ id, withdraw: [claims, findings] }),
  }, temp).then(
    (done) => send({ id, done }),
    (error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      send({ id, failed: { message: e.message, stack: e.stack ?? e.message, aborted: controller.signal.aborted } });
    },
  );
});
