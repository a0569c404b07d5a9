// CMS reference files are untrusted input too: recognised by content, and whatever they hold,
// read without throwing and listed with what was wrong.
import { closeSync, mkdtempSync, openSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_MAX_BYTES } from '../../src/model/files.js';
import { readCmsFile } from '../../src/reference/cms-files.js';
import { CMS_KINDS, descriptorOf, KIND_NAMES } from '../../src/reference/cms/index.js';

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

describe('the CMS file kinds: one registry of descriptors', () => {
  it('the note of a file no kind recognises names every kind of the registry', () => {
    const note = readCmsFile(file('other.csv', 'a,b,c\n1,2,3\n')).report.note!;
    for (const name of KIND_NAMES) expect(note, name).toContain(name);
    expect(KIND_NAMES).toEqual(expect.arrayContaining(['ASP pricing', 'ASP crosswalk', 'OPPS Addendum B', 'HCPCS', 'MUE', 'CMS JW/JZ policy HCPCS list']));
  });

  it('every kind a descriptor reads is read by one descriptor first, and the kinds the pack builds codes from gather', () => {
    const kinds = CMS_KINDS.flatMap((t) => t.kinds);
    for (const kind of kinds) expect(descriptorOf(kind), kind).toBeDefined();
    for (const kind of ['asp-pricing', 'asp-crosswalk', 'opps-addendum-b', 'opps-addendum-b-history', 'hcpcs', 'mue', 'jwjz-list'] as const) expect(descriptorOf(kind)!.gather, kind).toBeTypeOf('function');
  });

  it('a file is read by the first descriptor whose header it has (a header no other kind claims)', () => {
    const asp = ['"Effective April 1, 2026 through June 30, 2026",,,', 'HCPCS Code,Short Description,HCPCS Code Dosage,Payment Limit', 'J9299,Inj nivolumab,1 MG,33.100'];
    const rows = asp.map((l) => l.split(','));
    const claimed = CMS_KINDS.filter((t) => t.detect(rows.map((r) => r.map((c) => c.replaceAll('"', ''))), asp[0]!) !== -1).map((t) => t.name);
    expect(claimed[0]).toBe('ASP pricing');
  });
});
