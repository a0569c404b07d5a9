// A worker of the pool: audits the files it is given (phase 1), checks buckets across claims
// (phase 2) and writes files' lines (phase 3),
// one task at a time, with the reference data it was started with, and reports progress and
// the result as messages.
import { internPack, loadDefaultPack } from '../reference/pack.js';
import { parentPort, workerData } from 'node:worker_threads';
import { setFlagsFromString } from 'node:v8';
import { auditFile } from './audit-file.js';
import type { FromWorker, ToWorker, WorkerSetup } from './pool.js';
import { writeLines } from './write-lines.js';
import { checkBucket } from './cross-claims.js';

// As in the CLI's own thread (cli/process.ts): steadier speed and memory without it.
setFlagsFromString('--no-allocation-site-pretenuring');

const setup = workerData as WorkerSetup;
// The default pack comes from its file (the pool sends null for it); another pack arrives as a
// structured clone, every repeated string its own copy again.
if (setup.reference.pack === null) (setup.reference as { pack: unknown }).pack = loadDefaultPack();
else internPack(setup.reference.pack);
const port = parentPort!;
const controller = new AbortController();
const send = (message: FromWorker) => port.postMessage(message);

const failed = (id: number) => (error: unknown) => {
  const e = error instanceof Error ? error : new Error(String(error));
  const { code, path } = e as NodeJS.ErrnoException;
  send({ id, failed: { name: e.name, message: e.message, stack: e.stack ?? e.message, aborted: controller.signal.aborted, ...(code ? { code } : {}), ...(path ? { path } : {}) } });
};

port.on('message', (message: ToWorker) => {
  if ('abort' in message) {
    controller.abort(message.abort);
    return;
  }
  if ('cross' in message) {
    const { id, task } = message.cross;
    try {
      send({ id, done: checkBucket(task) });
    } catch (error) {
      failed(id)(error);
    }
    return;
  }
  if ('lines' in message) {
    const { id, task } = message.lines;
    writeLines(task, { ...setup, signal: controller.signal }).then((done) => send({ id, done }), failed(id));
    return;
  }
  const { id, input, fileIndex, temp } = message.task;
  // Claims are counted here and sent with the next read (a message a claim would cost more than the claim).
  let claims = 0;
  let findings = 0;
  const flush = () => {
    if (claims > 0) send({ id, claims: [claims, findings] });
    claims = 0;
    findings = 0;
  };
  auditFile(input, fileIndex, { ...setup, signal: controller.signal }, {
    read: (bytes) => {
      flush();
      send({ id, read: bytes });
    },
    claim: (n) => {
      claims++;
      findings += n;
    },
    withdraw: (withdrawn, withdrawnFindings) => {
      flush();
      send({ id, withdraw: [withdrawn, withdrawnFindings] });
    },
  }, temp).then((done) => {
    flush();
    send({ id, done });
  }, failed(id));
});
