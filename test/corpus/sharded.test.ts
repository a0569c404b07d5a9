// Every corpus file, read as one run by one process and by map --shard K/N steps and a merge, with
// 1, 2, 3 and 7 shards and every X12 file with several interchanges split by byte range (a few
// kilobytes a part, so the imsweb multiple-ISA files, the different-separator file and the damaged
// derived files are cut at their interchanges): the same outputs, every one of them, report.html
// and the workbook too (test/support/sharded.ts).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CSV_DIR, csvCorpusFiles, X12_DIR, x12CorpusFiles } from '../support/corpus.js';
import { COMPARED, shardedRun, singleRun } from '../support/sharded.js';

const inputs = () => [...x12CorpusFiles().map((f) => resolve(X12_DIR, f)), ...csvCorpusFiles().map((f) => resolve(CSV_DIR, f))];

describe.each(['covered', 'all'])('the corpus with --codes %s', (codes) => {
  let single: Record<string, string>;
  beforeAll(async () => {
    expect(inputs().length).toBeGreaterThan(20);
    const run = await singleRun(inputs(), ['--codes', codes]);
    expect(run.run.code).toBe(3);
    single = run.files;
  }, 300_000);

  it.each([1, 2, 3, 7])('%i shards give the single run’s outputs', async (n) => {
    const run = await shardedRun(inputs(), n, { stage: ['--codes', codes], splitMb: '0.004', ...(n === 3 ? { reduceShards: 2 } : {}) });
    expect(run.codes.every((c) => c === 0)).toBe(true);
    const plan = JSON.parse(readFileSync(join(run.work, 'work.json'), 'utf8')) as { units: Array<{ range: unknown }> };
    expect(plan.units.filter((u) => u.range !== null).length).toBeGreaterThan(100);
    expect(run.merge.code).toBe(3);
    for (const name of COMPARED) expect(run.files[name], `${name}, ${n} shards`).toBe(single[name]);
  }, 300_000);
});
