// A worker of the local executor's pool: maps files (phase 1), checks buckets (phase 2) and
// joins files (phase 3), one task at a time, with the stage options it was started with, and
// reports progress and the result as messages.
import { parentPort, workerData } from 'node:worker_threads';
import { setFlagsFromString } from 'node:v8';
import { internPack, loadDefaultPack } from '../../reference/pack.js';
import type { StageOptions } from '../../stages.js';
import { checkBucket } from './groups.js';
import { joinFile } from './join.js';
import { mapFile } from './map.js';
import type { FromWorker, ToWorker } from './pool.js';

// As in the CLI's own thread (cli/process.ts): steadier speed and memory without it.
setFlagsFromString('--no-allocation-site-pretenuring');

const options = workerData as StageOptions;
// The default pack comes from its file (the pool sends null for it); another pack arrives as a
// structured clone, every repeated string its own copy again.
if (options.reference.pack === null) (options.reference as { pack: unknown }).pack = loadDefaultPack();
else internPack(options.reference.pack);
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
  if ('bucket' in message) {
    const { id, task } = message.bucket;
    try {
      send({ id, done: checkBucket(task, options.reference) });
    } catch (error) {
      failed(id)(error);
    }
    return;
  }
  if ('join' in message) {
    const { id, task } = message.join;
    joinFile(task, options, controller.signal).then((done) => send({ id, done }), failed(id));
    return;
  }
  const { id, input, fileIndex, buckets, temp } = message.map;
  // Claims are counted here and sent with the next read (a message a claim would cost more than the claim).
  let claims = 0;
  let findings = 0;
  const flush = () => {
    if (claims > 0) send({ id, claims: [claims, findings] });
    claims = 0;
    findings = 0;
  };
  const progress = {
    read: (bytes: number) => {
      flush();
      send({ id, read: bytes });
    },
    claim: (n: number) => {
      claims++;
      findings += n;
    },
  };
  mapFile(input, fileIndex, options, buckets, temp, progress, controller.signal).then((done) => {
    flush();
    send({ id, done });
  }, failed(id));
});
