// A CSV export read by the project's scanner (the files the scan found plain) and by csv-parse
// gives the same claims, the same issues at the same rows and bytes, and the same report: the
// scanner is only a faster way to the same reading.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCanonicalCsv, prng } from '../../src/bench/generate.js';
import { readCsv, type CsvIssue } from '../../src/ingest/csv/read.js';
import type { Claim } from '../../src/model/index.js';

function chunks(bytes: Buffer, size: number): () => AsyncIterable<Buffer> {
  return () =>
    (async function* () {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    })();
}

async function read(bytes: Buffer, parser: 'auto' | 'csv-parse', size = 4096) {
  const claims: Claim[] = [];
  const issues: CsvIssue[] = [];
  const open = chunks(bytes, size);
  const result = await readCsv(open(), () => open(), { claim: (c) => claims.push(c), issue: (i) => issues.push(i) }, { file: 'x.csv', profile: null, sizeHint: bytes.length, parser });
  return JSON.parse(JSON.stringify({ claims, issues, result })) as { claims: unknown[]; issues: CsvIssue[]; result: { report: { grouping: string } } };
}

async function bothAgree(bytes: Buffer, size?: number) {
  const ours = await read(bytes, 'auto', size);
  const theirs = await read(bytes, 'csv-parse', size);
  expect(ours).toEqual(theirs);
  return ours;
}

describe('CSV reading: the project scanner and csv-parse agree', () => {
  it('on the canonical template of samples/', async () => {
    const bytes = readFileSync(new URL('../../samples/csv-canonical-template.csv', import.meta.url));
    const read = await bothAgree(bytes, 7);
    expect(read.claims.length).toBeGreaterThan(0);
  });

  it('on generated exports: CRLF, LF, a BOM, Latin-1, quoted cells with commas, quotes and line ends, blank lines, bad cells', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'claim-audit-parsers-')), 'g.csv');
    await generateCanonicalCsv(path, 300_000, { seed: 7 });
    const crlf = readFileSync(path);
    const text = crlf.toString('latin1');
    const [header, ...rows] = text.split('\r\n').filter((r) => r !== '');
    const random = prng(11);
    // Rows made awkward: quoted fields, cells csv-parse and our reader both keep as text, bad values.
    const awkward = rows.map((row) => {
      const cells = row.split(',');
      const k = random();
      if (k < 0.05) cells[4] = `"PAYER, ""QUOTED""\r\nSECOND LINE"`;
      else if (k < 0.1) cells[12] = 'abc';
      else if (k < 0.12) cells[6] = '31/31/2025';
      else if (k < 0.14) cells[4] = 'O"BRIEN PAYER';
      else if (k < 0.16) cells[21] = 'Jos\xe9';
      return cells.join(',');
    });
    const variants: Array<[string, Buffer]> = [
      ['CRLF', crlf],
      ['LF, blank lines', Buffer.from([header, ...awkward.flatMap((r, i) => (i % 50 === 0 ? [r, ''] : [r]))].join('\n') + '\n', 'latin1')],
      ['BOM, CRLF, awkward', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([header, ...awkward].join('\r\n'), 'utf8')])],
      ['Latin-1, awkward', Buffer.from([header, ...awkward].join('\r\n') + '\r\n', 'latin1')],
      // Claims apart: the file is regrouped (still read plainly).
      ['apart', Buffer.from([header, ...rows.slice(0, 40), ...rows.slice(0, 3), ...rows.slice(40)].join('\r\n') + '\r\n', 'latin1')],
    ];
    for (const [name, bytes] of variants) {
      for (const size of [997, 65536]) {
        const read = await bothAgree(bytes, size);
        expect(read.claims.length, name).toBeGreaterThan(100);
        if (name === 'apart') expect(read.result.report.grouping).toBe('spilled');
      }
    }
  });

  it('hands an irregular file (a stray quote) to csv-parse, whose recovery is reported', async () => {
    const bytes = Buffer.from('claim_id,line_number,service_from_date,hcpcs,units\r\nC1,1,2025-03-11,J9299,1\r\nC2,1,"2025-03-11"x,J9299,1\r\nC3,1,2025-03-11,J9299,1\r\n');
    const read = await bothAgree(bytes);
    expect(read.claims).toHaveLength(3);
  });
});
