import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate837, STYLES } from '../../src/bench/generate.js';
import { ingestFile } from '../../src/ingest/index.js';

describe('the benchmark generator', () => {
  it('writes valid 837P in every delimiter style, with the claims and drug lines it says', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'claim-audit-gen-')), 'gen.edi');
    const generated = await generate837(path, 300_000, 7, 20);
    expect(generated.interchanges).toBeGreaterThanOrEqual(STYLES.length);
    let drugLines = 0;
    const stats = await ingestFile(path, 'gen.edi', {
      onClaim: (claim) => {
        drugLines += claim.lines.filter((l) => l.drug !== null).length;
      },
    });
    expect(stats.issues).toEqual([]);
    expect(stats.interchanges).toBe(generated.interchanges);
    expect(stats.claims.audited).toBe(generated.claims);
    expect(drugLines).toBe(generated.drugLines);
    expect(stats.bytes).toBe(generated.bytes);
  });

  it('is deterministic for a seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-gen-'));
    await generate837(join(dir, 'a.edi'), 50_000, 3);
    await generate837(join(dir, 'b.edi'), 50_000, 3);
    expect(readFileSync(join(dir, 'a.edi'))).toEqual(readFileSync(join(dir, 'b.edi')));
  });
});
