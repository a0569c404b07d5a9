// Running from cron, the heavy part: a 24 MB file audited in worker threads gives the reports one
// thread gives, whichever worker finishes first (npm run test:heavy).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate837 } from '../../src/bench/generate.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const tmp = () => mkdtempSync(join(tmpdir(), 'claim-audit-cron-'));

const bin = join(root, 'dist/cli/main.js');

let big: string;

beforeAll(async () => {
  // The binary was built by the global setup (test/support/build.ts).
  big = join(tmp(), 'big.edi');
  await generate837(big, 24 * 1024 * 1024, { seed: 3 });
}, 120_000);

describe('files audited in worker threads', () => {
  it('give the same reports as one thread, whichever worker finishes first', async () => {
    const one = tmp();
    const two = tmp();
    const run = (out: string, concurrency: string) =>
      new Promise<number | null>((done) => spawn(process.execPath, [bin, 'samples', big, '--out', out, '--concurrency', concurrency], { cwd: root, stdio: 'ignore' }).on('exit', done));
    expect(await run(one, '1')).toBe(1);
    expect(await run(two, '2')).toBe(1);
    for (const name of ['findings.csv', 'findings.ndjson', 'lines.ndjson']) expect(readFileSync(join(two, name)).equals(readFileSync(join(one, name))), name).toBe(true);
    const strip = (dir: string) => {
      const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
      delete s.manifest.run;
      delete s.manifest.options.concurrency;
      delete s.manifest.options.out;
      return s;
    };
    expect(strip(two)).toEqual(strip(one));
  }, 180_000);
});
