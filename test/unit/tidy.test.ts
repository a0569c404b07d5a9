// After phase 3: the other units' parts appended to lines.ndjson in order, read files removed.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tidy } from '../../src/exec/local/tidy.js';

describe('tidy', () => {
  it('appends the parts in order to the first, removes them and the files no longer needed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-tidy-'));
    const target = join(dir, 'lines.ndjson');
    writeFileSync(target, '{"a":0}\n');
    const parts = [1, 2, 3].map((i) => {
      const path = join(dir, `lines-${i}.ndjson`);
      writeFileSync(path, `{"a":${i}}\n`.repeat(i));
      return path;
    });
    mkdirSync(join(dir, 'bucket'));
    writeFileSync(join(dir, 'bucket', 'x.groups'), 'x');
    writeFileSync(join(dir, 'file-0.entries'), 'e');
    await tidy({ target, parts, remove: [join(dir, 'bucket'), join(dir, 'file-0.entries')] });
    expect(readFileSync(target, 'utf8')).toBe('{"a":0}\n{"a":1}\n{"a":2}\n{"a":2}\n{"a":3}\n{"a":3}\n{"a":3}\n');
    for (const path of [...parts, join(dir, 'bucket'), join(dir, 'file-0.entries')]) expect(existsSync(path), path).toBe(false);
  });

  it('rejects when a part cannot be read, for the audit to report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-tidy-'));
    await expect(tidy({ target: join(dir, 'lines.ndjson'), parts: [join(dir, 'missing.ndjson')], remove: [] })).rejects.toThrow(/ENOENT/);
  });
});
