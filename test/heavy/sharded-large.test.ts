// The sharded executor (claim-audit map / reduce / merge) gives byte for byte what one process
// gives: on the samples and on a generated 50 MB mix (realistic 837P/837I split by byte range,
// drug-heavy 837P, CSV with duplicates, replacements and voids across files), with 1, 2, 3 and 7
// shards; with reduce steps doing some buckets; after a shard killed half-way is run again, and
// after a finished shard is run twice. A missing shard, or a work folder of another run, stops
// merge or map with one line and nothing written. The corpus is checked the same way in
// test/corpus/sharded.test.ts.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate837, generateCanonicalCsv, generateRealistic837 } from '../../src/bench/generate.js';
import { acrossClaims } from '../support/across-claims.js';
import { cli, COMPARED, freshDir, shardedRun, singleRun } from '../support/sharded.js';

const MB = 1024 * 1024;
const main = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

function expectSame(files: Record<string, string>, single: Record<string, string>, label: string) {
  for (const name of COMPARED) expect(files[name], `${label}: ${name}`).toBe(single[name]);
}

describe('sharded run on 50 MB of mixed claims', () => {
  let dir: string;
  let inputs: string[];
  let single: Record<string, string>;

  beforeAll(async () => {
    dir = freshDir('mixed');
    await generateRealistic837(join(dir, 'a-realistic.edi'), 38 * MB, { seed: 31 });
    await generate837(join(dir, 'b-drug-heavy.edi'), 6 * MB, { seed: 32 });
    await generateCanonicalCsv(join(dir, 'c-canonical.csv'), 3 * MB, { seed: 33 });
    writeFileSync(join(dir, 'd-across.csv'), acrossClaims(34));
    writeFileSync(join(dir, 'e-across-later.csv'), acrossClaims(35, true));
    inputs = [dir, '--mue', 'test/fixtures/mue-practitioner.csv', '--mue', 'test/fixtures/mue-outpatient.csv'];
    const run = await singleRun([dir], inputs.slice(1));
    expect(run.run.code).toBe(1);
    single = run.files;
  }, 600_000);

  it.each([1, 2, 3, 7])('%i shards (the large 837 split by byte range) give the single run’s outputs', async (n) => {
    const run = await shardedRun([dir], n, { stage: inputs.slice(1), splitMb: '6' });
    expect(run.codes.every((c) => c === 0)).toBe(true);
    const plan = JSON.parse(readFileSync(join(run.work, 'work.json'), 'utf8')) as { units: Array<{ range: unknown }> };
    expect(plan.units.filter((u) => u.range !== null).length).toBeGreaterThanOrEqual(7);
    expect(run.merge.code).toBe(1);
    expectSame(run.files, single, `${n} shards`);
  }, 600_000);

  it('a shard killed half-way and run again, and a finished shard run twice, change nothing', async () => {
    const stage = inputs.slice(1);
    const run = await shardedRun([dir], 3, {
      stage: [...stage, '--split-mb', '6'],
      between: async (work) => {
        // Shard 1 again, killed once its temporary folder has files in it.
        const child = spawn(process.execPath, [main, 'map', '--shard', '1/3', '--work', work, dir, ...stage, '--split-mb', '6', '--quiet'], { stdio: 'ignore' });
        const tmp = join(work, 'tmp');
        for (let i = 0; i < 600; i++) {
          const busy = existsSync(tmp) && readdirSync(tmp).some((d) => d.startsWith('shard-1.') && readdirSync(join(tmp, d)).length > 0);
          if (busy) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
        // Its earlier output is still whole; the re-run removes what the killed one left.
        expect(existsSync(join(work, 'map', 'shard-1', 'done.json'))).toBe(true);
        expect((await cli(['map', '--shard', '1/3', '--work', work, dir, ...stage, '--split-mb', '6', '--quiet'])).code).toBe(0);
        expect(readdirSync(tmp).filter((d) => d.startsWith('shard-1.'))).toEqual([]);
        expect((await cli(['map', '--shard', '0/3', '--work', work, dir, ...stage, '--split-mb', '6', '--quiet'])).code).toBe(0);
      },
    });
    expect(run.merge.code).toBe(1);
    expectSame(run.files, single, 'killed and re-run');
  }, 600_000);
});
