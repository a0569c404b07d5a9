// CMS reference files are untrusted input too: recognised by content, and whatever they hold,
// read without throwing and listed with what was wrong.
import { closeSync, mkdtempSync, openSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_MAX_BYTES } from '../../src/model/files.js';
import { readCmsFile } from '../../src/reference/cms-files.js';

const dir = mkdtempSync(join(tmpdir(), 'claim-audit-cms-'));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('readCmsFile', () => {
  it('an ASP pricing file in the 2026 layout, whatever its name: kind, quarter from the title, rows and rejections', () => {
    const read = readCmsFile(
      file('x.csv', ['Medicare Part B Payment Limit File,,,', '"Effective April 1, 2026 through June 30, 2026",,,', 'HCPCS Code,Short Description,HCPCS Code Dosage,Payment Limit,Notes', 'J9299,Inj nivolumab,1 MG,33.100,', 'NOT-A-CODE,x,1 MG,1.0,', 'A9606,Radium,1 microCurie,N/A,AWP'].join('\n')),
    );
    expect(read.report).toMatchObject({ kind: 'asp-pricing', quarter: '2026Q2', quarterBasis: 'title', rowsRead: 3, rowsUsed: 2, rowsRejected: 1, rejected: { 'not a HCPCS code': 1 }, note: '1 code without a payment limit (N/A): billing unit only' });
  });

  it('a file that is no CMS file, binary noise, an MUE table naming no setting, and an oversized file are listed, not read as data', () => {
    const noise = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 131 + 7) % 256));
    expect(readCmsFile(file('notes.csv', 'a,b,c\n1,2,3\n')).report).toMatchObject({ kind: 'unknown', note: expect.stringMatching(/^no header of a CMS file/) });
    expect(readCmsFile(file('noise.bin', noise)).report.kind).toBe('unknown');
    expect(readCmsFile(file('mue.csv', 'HCPCS/CPT Code,MUE Values,MUE Adjudication Indicator\nJ9299,480,3\n')).report).toMatchObject({ kind: 'unknown', note: expect.stringMatching(/names no setting/) });
    const big = join(dir, 'big.csv');
    const fd = openSync(big, 'w');
    closeSync(fd);
    writeFileSync(big, '');
    // A sparse file: its size, without the disk.
    truncateSync(big, CONFIG_MAX_BYTES + 1);
    expect(readCmsFile(big).report).toMatchObject({ kind: 'unknown', note: expect.stringMatching(/^not read: 64 MB, over the 64 MB a file of this kind may have$/) });
  });
});
