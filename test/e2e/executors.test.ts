// The memory and the local executor give byte-identical outputs: on the samples, and on
// generated drug-heavy 837P and CSV input large enough to spill everything the local executor
// can spill (tiny buckets split again, tiny sorted runs merged in passes, the pool forced on).
// The corpus files are checked the same way in test/corpus/executors.test.ts.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectSame } from '../support/differential.js';



describe('the memory and the local executor', () => {
  it('give the same bytes on the samples', async () => {
    const samples = readdirSync('samples').map((f) => join('samples', f));
    const { memory } = await expectSame(samples);
    expect(memory.result.totals.drugLines).toBeGreaterThan(0);
  });

  it('give the same bytes with suppressions (the local executor applies them in its worker threads)', async () => {
    const samples = readdirSync('samples').map((f) => join('samples', f));
    const file = join(mkdtempSync(join(tmpdir(), 'claim-audit-suppress-diff-')), 'claim-audit.suppressions.jsonl');
    const entry = (selector: Record<string, string>) => JSON.stringify({ ...selector, reason: 'accepted', owner: 'qa', created: '2025-12-01', expires: '2026-12-31' });
    writeFileSync(file, [entry({ rule: 'charge-below-expected-payment', code: 'J9299' }), entry({ rule: 'jw-jz-conflict', payer: 'medicare' })].join('\n'));
    const { memory } = await expectSame(samples, { suppressions: file });
    expect(memory.result.view.suppressions?.findings).toBeGreaterThanOrEqual(3);
  });

  // Item 3 of issue 33: the local executor in one thread keeps its temporary files (line
  // entries, group buckets, results, ranked runs, the worklist's runs) in memory while they fit
  // the budget, and writes them to disk only past it; the outputs are the same on both sides.
  it('give the same bytes with every temporary file held in memory (a budget beyond the run)', async () => {
    const samples = readdirSync('samples').map((f) => join('samples', f));
    const { local } = await expectSame(samples, { memoryBudget: 256 * 1024 * 1024 });
    expect(local.result.execution.held).toMatchObject({ budget: 256 * 1024 * 1024, spilled: 0 });
    expect(local.result.execution.held!.peakBytes).toBeGreaterThan(0);
  });

  it('give the same bytes when the run passes its budget midway (some files held, the rest on disk)', async () => {
    const samples = readdirSync('samples').map((f) => join('samples', f));
    const { local } = await expectSame(samples, { memoryBudget: 24 * 1024 });
    expect(local.result.execution.held!.spilled).toBeGreaterThan(0);
    expect(local.result.execution.held!.peakBytes).toBeGreaterThan(0);
    expect(local.result.execution.held!.peakBytes).toBeLessThanOrEqual(24 * 1024);
  });

  it('give the same bytes with a budget of 0 (everything on disk, as before budgets)', async () => {
    const samples = readdirSync('samples').map((f) => join('samples', f));
    const { local } = await expectSame(samples, { memoryBudget: 0 });
    expect(local.result.execution.held).toBeUndefined();
  });
});
