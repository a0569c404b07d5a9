// The memory and the local executor give byte-identical outputs: on the samples, and on
// generated drug-heavy 837P and CSV input large enough to spill everything the local executor
// can spill (tiny buckets split again, tiny sorted runs merged in passes, the pool forced on).
// The corpus files are checked the same way in test/corpus/executors.test.ts.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate837, generateCanonicalCsv } from '../../src/bench/generate.js';
import { expectSame } from '../support/differential.js';
import { acrossClaims, byLineNumber } from '../support/across-claims.js';

const MB = 1024 * 1024;

const fixture = (name: string) => join('test/fixtures', name);
const WITH_MUE = { mue: [fixture('mue-practitioner.csv'), fixture('mue-outpatient.csv')] };


describe('the memory and the local executor on large inputs', () => {
  let generated: string[] = [];
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-differential-'));
    const a = join(dir, 'heavy-a.edi');
    const b = join(dir, 'heavy-b.edi');
    await generate837(a, 10 * MB, { seed: 11 });
    await generate837(b, 10 * MB, { seed: 12 });
    // A CSV whose claims' rows are apart: every claim's first line, then every second line…
    const csv = join(dir, 'apart.csv');
    await generateCanonicalCsv(csv, 2 * MB, { seed: 13 });
    const [header, ...rows] = readFileSync(csv, 'utf8').trimEnd().split('\n');
    writeFileSync(csv, `${[header, ...byLineNumber(rows)].join('\n')}\n`);
    const across = join(dir, 'across.csv');
    writeFileSync(across, acrossClaims(14));
    // Replacements and voids of some of those claims (the same CLM01, in a later file): lineage.
    const later = join(dir, 'across-later.csv');
    writeFileSync(later, acrossClaims(15, true));
    generated = [a, b, csv, across, later];
  }, 120_000);

  it('give the same bytes on 22 MB of generated drug-heavy 837P and CSVs whose claims are apart, with thousands of findings across claims', async () => {
    const { memory } = await expectSame(generated, { codes: 'all', reference: WITH_MUE });
    expect(memory.result.totals.drugLines).toBeGreaterThan(50_000);
    // The rules across claims found plenty to compare.
    const byRule = memory.result.view.groups.rule;
    for (const rule of ['duplicate-line', 'units-exceed-mue', 'frequency-limit-exceeded']) expect(byRule.find((g) => g.key === rule)?.findings ?? 0, rule).toBeGreaterThan(100);
  }, 300_000);

  // --memory-budget on a run large enough to pass it: the local executor in one thread holds its
  // files until the default 32 MB is spent, then writes the rest to disk.
  it('give the same bytes when one thread holds its files in memory up to the default budget and passes it', async () => {
    const { local } = await expectSame(generated, { codes: 'all', reference: WITH_MUE, memoryBudget: 32 * MB });
    expect(local.result.execution.held!.spilled).toBeGreaterThan(0);
    expect(local.result.execution.held!.peakBytes).toBeGreaterThan(16 * MB);
    expect(local.result.execution.held!.peakBytes).toBeLessThanOrEqual(32 * MB);
  }, 300_000);
});

