// The sharded executor (claim-audit map / reduce / merge) gives byte for byte what one process
// gives: on the samples and on a generated 50 MB mix (realistic 837P/837I split by byte range,
// drug-heavy 837P, CSV with duplicates, replacements and voids across files), with 1, 2, 3 and 7
// shards; with reduce steps doing some buckets; after a shard killed half-way is run again, and
// after a finished shard is run twice. A missing shard, or a work folder of another run, stops
// merge or map with one line and nothing written. The corpus is checked the same way in
// test/corpus/sharded.test.ts.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, COMPARED, freshDir, outputs, shardedRun, singleRun } from '../support/sharded.js';

const SAMPLES = ['samples', '--profile', 'examples/profile-340b.json'];

function expectSame(files: Record<string, string>, single: Record<string, string>, label: string) {
  for (const name of COMPARED) expect(files[name], `${label}: ${name}`).toBe(single[name]);
}

describe('sharded run on the samples', () => {
  let single: Record<string, string>;
  beforeAll(async () => {
    const run = await singleRun(['samples'], ['--profile', 'examples/profile-340b.json']);
    expect(run.run.code).toBe(1);
    single = run.files;
    expect(single['findings.csv']).toContain('frequency-limit-exceeded');
  });

  it.each([1, 2, 3, 7])('%i shards give the single run’s outputs', async (n) => {
    const run = await shardedRun(['samples'], n, { stage: ['--profile', 'examples/profile-340b.json'] });
    expect(run.codes.every((c) => c === 0)).toBe(true);
    expect(run.merge.code).toBe(1);
    expectSame(run.files, single, `${n} shards`);
  });

  it('reduce steps may check some buckets first; merge checks the rest', async () => {
    const run = await shardedRun(['samples'], 3, { stage: ['--profile', 'examples/profile-340b.json', '--buckets', '5'], reduceShards: 2 });
    expect(run.codes.every((c) => c === 0)).toBe(true);
    expect(readdirSync(join(run.work, 'reduce')).filter((f) => f.endsWith('.json')).length).toBe(5);
    expectSame(run.files, single, 'reduce steps');
  });

  it('merge keeps the history as a single run does: the same statuses, the same open worklist', async () => {
    const history = { single: freshDir('history'), merged: freshDir('history') };
    const single = freshDir('single');
    expect((await cli([...SAMPLES, '--out', single, '--history', history.single, '--quiet'])).code).toBe(1);
    const work = freshDir('work');
    const merged = freshDir('merged');
    for (const k of [1, 0]) expect((await cli(['map', '--shard', `${k}/2`, '--work', work, ...SAMPLES, '--quiet'])).code).toBe(0);
    expect((await cli(['merge', '--work', work, '--out', merged, '--history', history.merged, '--quiet'])).code).toBe(1);
    expect(outputs(merged)['findings.ndjson']).toBe(outputs(single)['findings.ndjson']);
    expect(outputs(merged)['findings.ndjson']).toContain('"status":"new"');
    const runOf = (dir: string) => join(dir, readdirSync(dir).find((d) => /^\d{8}T/.test(d))!);
    for (const file of ['open.ndjson', 'audited.ndjson', 'findings.ndjson']) expect(readFileSync(join(runOf(history.merged), file), 'utf8'), file).toBe(readFileSync(join(runOf(history.single), file), 'utf8'));
  });

  it('with remittances (--remits), merge writes what a single run writes: the payer\'s word on the worklist, the calibration', async () => {
    const { writePaired835, writePaired837 } = await import('../support/remit-pairs.js');
    const root = join(import.meta.dirname, '..', '..');
    const dir = freshDir('remits');
    const edi = writePaired837(dir, root);
    const history = { single: freshDir('history'), merged: freshDir('history') };
    const out = { single: freshDir('single'), merged: freshDir('merged') };
    // Night 1, the same in both histories; the 835 answering it.
    for (const h of [history.single, history.merged]) {
      const night1 = await cli([edi, "--out", join(dir, "n1"), "--history", h, "--fail-on", "none", "--quiet"]);
      expect(night1.code, night1.stderr).toBe(0);
    }
    writePaired835(join(dir, 'n1'), join(dir, 'paid.835'));
    // Night 2: one process, and two map steps and a merge, each with the remittance.
    const night2 = await cli([edi, '--out', out.single, '--history', history.single, '--remits', join(dir, 'paid.835'), '--fail-on', 'none', '--quiet']);
    expect(night2.code, night2.stderr).toBe(0);
    const work = freshDir('work');
    for (const k of [1, 0]) {
      const map = await cli(['map', '--shard', `${k}/2`, '--work', work, edi, '--quiet']);
      expect(map.code, map.stderr).toBe(0);
    }
    const merge = await cli(['merge', '--work', work, '--out', out.merged, '--history', history.merged, '--remits', join(dir, 'paid.835'), '--fail-on', 'none', '--quiet']);
    expect(merge.code, merge.stderr).toBe(0);
    const read = (d: string, f: string) => readFileSync(join(d, f), 'utf8');
    for (const f of ['worklist.csv', 'findings.csv', 'calibration.csv']) expect(read(out.merged, f), f).toBe(read(out.single, f));
    expect(read(out.single, 'worklist.csv')).toContain('denied,2026-03-05,CO-151 N362');
    const calibration = (d: string) => JSON.parse(read(d, 'summary.json')).calibration;
    expect(calibration(out.merged)).toEqual(calibration(out.single));
  });

  it('merge refuses while a shard has not finished, naming it, and writes nothing', async () => {
    const work = freshDir('work');
    const out = freshDir('out');
    for (const k of [0, 2]) expect((await cli(['map', '--shard', `${k}/3`, '--work', work, ...SAMPLES, '--quiet'])).code).toBe(0);
    const merge = await cli(['merge', '--work', work, '--out', out]);
    expect(merge.code).toBe(3);
    expect(merge.stderr).toMatch(/shard 1 of 3 has no output/);
    expect(merge.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(out)).toEqual([]);
    // The index from the job runner's environment (Slurm here).
    expect((await cli(['map', '--shard-from-env', '--shards', '3', '--work', work, ...SAMPLES, '--quiet'], { SLURM_ARRAY_TASK_ID: '1' })).code).toBe(0);
    expect((await cli(['merge', '--work', work, '--out', out, '--quiet'])).code).toBe(1);
    expect(outputs(out)['lines.ndjson']).toBe(single['lines.ndjson']);
  });

  it('a step of another run is refused: other options, other shard count, an index out of range', async () => {
    const work = freshDir('work');
    expect((await cli(['map', '--shard', '0/2', '--work', work, ...SAMPLES, '--quiet'])).code).toBe(0);
    const codes = await cli(['map', '--shard', '1/2', '--work', work, ...SAMPLES, '--codes', 'all']);
    expect(codes.code).toBe(2);
    expect(codes.stderr).toMatch(/belongs to another run: it was planned with other --codes/);
    const shards = await cli(['map', '--shard', '1/3', '--work', work, ...SAMPLES]);
    expect(shards.code).toBe(2);
    expect(shards.stderr).toMatch(/planned for 2 shards, not 3/);
    const env = await cli(['map', '--shard-from-env', '--shards', '2', '--work', work, ...SAMPLES], { AWS_BATCH_JOB_ARRAY_INDEX: '2' });
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/AWS_BATCH_JOB_ARRAY_INDEX=2, but shards run from 0 to 1/);
    const stage = await cli(['merge', '--work', work, '--profile', 'examples/profile-340b.json']);
    expect(stage.code).toBe(2);
    expect(stage.stderr).toMatch(/--profile does not go with "merge": the options the rules depend on go to map/);
    // A shard folder from another plan (a work folder reused by hand) is refused, not mixed in.
    const other = freshDir('work');
    expect((await cli(['map', '--shard', '1/2', '--work', other, 'samples', '--quiet'])).code).toBe(0);
    const plan = JSON.parse(readFileSync(join(work, 'map', 'shard-0', 'done.json'), 'utf8')) as { plan: string };
    writeFileSync(join(other, 'map', 'shard-1', 'done.json'), readFileSync(join(other, 'map', 'shard-1', 'done.json'), 'utf8').replace(/"plan":"[0-9a-f]+"/, `"plan":"${plan.plan}"`));
    const mixed = await cli(['merge', '--work', other, '--out', freshDir('out')]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/shard-1: this shard's output belongs to another run/);
  });
});

describe('sharded run on a file that holds the same claims twice, split in parts', () => {
  // One file: an infusion center's interchange, another practice's, then the first again (a
  // batch sent twice). A single run counts each claim once in summary.json's totals and groups;
  // a split file's parts are counted apart and must come to the same counts.
  let file: string;
  let single: Record<string, string>;
  beforeAll(async () => {
    const dir = freshDir('twice');
    file = join(dir, 'twice.edi');
    const a = readFileSync('samples/837p-infusion-center-medicare.edi');
    writeFileSync(file, Buffer.concat([a, readFileSync('samples/837p-medicaid-commercial-advantage.edi'), a]));
    const run = await singleRun([file]);
    expect(run.run.code).toBe(1);
    single = run.files;
    expect(JSON.parse(single['summary.json']!).findingTotals.claimsAffected).toBeGreaterThan(0);
  });

  it.each([1, 2, 3])('%i shards, the file in parts of 1 KB or more: the single run’s outputs and counts', async (n) => {
    const run = await shardedRun([file], n, { splitMb: '0.001' });
    expect(run.codes.every((c) => c === 0)).toBe(true);
    const plan = JSON.parse(readFileSync(join(run.work, 'work.json'), 'utf8')) as { units: Array<{ range: unknown }> };
    expect(plan.units.filter((u) => u.range !== null).length).toBeGreaterThanOrEqual(3);
    expect(run.merge.code).toBe(1);
    expectSame(run.files, single, `${n} shards`);
  });
});

