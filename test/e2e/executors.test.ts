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
});
