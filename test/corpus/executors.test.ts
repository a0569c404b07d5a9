// Every corpus file, audited by the memory and by the local executor (tiny buckets and sorted
// runs, the worker pool forced on; then in one thread, its temporary files held in memory, and
// past a budget the run passes midway): byte-identical outputs (test/support/differential.ts).
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { CSV_DIR, csvCorpusFiles, X12_DIR, x12CorpusFiles } from '../support/corpus.js';
import { auditWith, BYTE_IDENTICAL } from '../support/differential.js';

it('the memory and the local executor give the same bytes on every corpus file, read as one run', async () => {
  const inputs = [...x12CorpusFiles().map((f) => resolve(X12_DIR, f)), ...csvCorpusFiles().map((f) => resolve(CSV_DIR, f))];
  expect(inputs.length).toBeGreaterThan(20);
  for (const codes of ['covered', 'all']) {
    const memory = await auditWith('memory', inputs, { codes });
    const local = await auditWith('local', inputs, { codes });
    expect(local.result.execution.workers).toBe(2);
    expect(memory.result.totals.drugLines, codes).toBeGreaterThan(0);
    for (const name of BYTE_IDENTICAL) expect(local.files[name], `${name} (--codes ${codes})`).toBe(memory.files[name]);
    expect(local.files['summary.json']).toBe(memory.files['summary.json']);
    // Both sides of --memory-budget: everything held, and a budget passed midway.
    for (const memoryBudget of [1 << 30, 64 * 1024]) {
      const held = await auditWith('local', inputs, { codes, memoryBudget });
      expect(held.result.execution.workers).toBe(0);
      expect(held.result.execution.held!.spilled > 0, `budget ${memoryBudget}`).toBe(memoryBudget < 1 << 20);
      for (const name of BYTE_IDENTICAL) expect(held.files[name], `${name} (--codes ${codes}, budget ${memoryBudget})`).toBe(memory.files[name]);
      expect(held.files['summary.json']).toBe(memory.files['summary.json']);
    }
  }
}, 600_000);
