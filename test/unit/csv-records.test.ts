// The project's CSV record scanner against csv-parse, with the options our reader gives it: on
// every input the scanner reads to its end, the same records, record numbers and end bytes, and
// csv-parse skips nothing; whatever csv-parse would read otherwise the scanner calls irregular.
import { parse, type Info } from 'csv-parse';
import { describe, expect, it } from 'vitest';
import { csvParseOptions } from '../../src/ingest/csv/read.js';
import { CsvScanner, Irregular, type ScanShape } from '../../src/ingest/csv/records.js';
import { prng } from '../../src/bench/generate.js';

const SHAPE: ScanShape = { encoding: 'utf8', delimiter: ',', maxLineBytes: 1 << 20, maxRecordBytes: 8 << 20 };

interface Read {
  records: string[][];
  rows: number[];
  ends: number[];
}

function scan(bytes: Buffer, chunk: number, shape: ScanShape = SHAPE): Read | Irregular {
  const read: Read = { records: [], rows: [], ends: [] };
  let fields: string[] = [];
  const scanner = new CsvScanner(shape, {
    want: null,
    field: (_r, _f, text) => fields.push(text),
    record: (record, end) => {
      read.records.push(fields);
      read.rows.push(record + 1);
      read.ends.push(end);
      fields = [];
    },
  });
  try {
    for (let i = 0; i < bytes.length; i += chunk) scanner.write(bytes.subarray(i, i + chunk));
    scanner.end();
  } catch (error) {
    if (error instanceof Irregular) return error;
    throw error;
  }
  return read;
}

async function csvParse(bytes: Buffer, chunk: number, shape: ScanShape = SHAPE): Promise<Read & { skipped: number }> {
  let skipped = 0;
  const parser = parse({
    ...csvParseOptions(shape.delimiter, shape.encoding, shape.maxRecordBytes),
    on_skip: () => {
      skipped++;
    },
  });
  const read: Read & { skipped: number } = { records: [], rows: [], ends: [], skipped: 0 };
  const done = (async () => {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      read.records.push(record);
      read.rows.push(info.records);
      read.ends.push(info.bytes);
    }
  })();
  for (let i = 0; i < bytes.length; i += chunk) parser.write(bytes.subarray(i, i + chunk));
  parser.end();
  await done;
  read.skipped = skipped;
  return read;
}

/** Random CSV-like text from the characters that matter: quotes, delimiters, CR, LF, spaces, non-ASCII. */
function randomText(random: () => number): Buffer {
  const alphabet = ['a', 'b', ',', ',', '"', '"', '\r\n', '\n', '\r', ' ', 'é', '12', 'C1'];
  const parts: string[] = [];
  const length = Math.floor(random() * 60);
  for (let i = 0; i < length; i++) parts.push(alphabet[Math.floor(random() * alphabet.length)]!);
  const text = Buffer.from(parts.join(''));
  return random() < 0.1 ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text]) : text;
}

/** Random well-formed CSV: quoted fields with delimiters, doubled quotes and line ends inside, one line end for the file. */
function randomRegular(random: () => number): Buffer {
  const eol = ['\n', '\r\n', '\r'][Math.floor(random() * 3)]!;
  const rows: string[] = [];
  const count = 1 + Math.floor(random() * 6);
  for (let r = 0; r < count; r++) {
    const fields: string[] = [];
    const width = 1 + Math.floor(random() * 5);
    for (let f = 0; f < width; f++) {
      const k = random();
      if (k < 0.3) fields.push('');
      else if (k < 0.6) fields.push(`v${Math.floor(random() * 100)}`);
      else if (k < 0.7) fields.push('x"y');
      else fields.push(`"${['a,b', 'say ""hi""', 'two\nlines', 'cr\r\nlf', 'é', ''][Math.floor(random() * 6)]}"`);
    }
    rows.push(fields.join(','));
    if (random() < 0.1) rows.push('');
  }
  return Buffer.from(rows.join(eol) + (random() < 0.7 ? eol : ''));
}

describe('CsvScanner', () => {
  it('reads what it reads to the end as csv-parse does: records, record numbers, end bytes; any chunking', async () => {
    const random = prng(20261202);
    let regular = 0;
    let irregular = 0;
    for (let n = 0; n < 1500; n++) {
      const bytes = n % 2 === 0 ? randomText(random) : randomRegular(random);
      const chunk = [1, 2, 3, 5, 64][n % 5]!;
      const theirs = await csvParse(bytes, 7);
      const ours = scan(bytes, chunk);
      if (ours instanceof Irregular) {
        irregular++;
        continue;
      }
      regular++;
      expect({ ...ours, skipped: 0 }, JSON.stringify(bytes.toString('latin1'))).toEqual(theirs);
    }
    // Both kinds were met many times: the comparison is not empty.
    expect(regular).toBeGreaterThan(800);
    expect(irregular).toBeGreaterThan(100);
  });

  it('calls irregular what csv-parse would skip or repair', async () => {
    for (const text of ['a,"b"c\n', 'a,"open\n', '"a" ,b\n', 'h\n"a"\r\n']) {
      const bytes = Buffer.from(text);
      const theirs = await csvParse(bytes, 64);
      const ours = scan(bytes, 64);
      const same = !(ours instanceof Irregular) && JSON.stringify({ ...ours, skipped: 0 }) === JSON.stringify(theirs);
      expect(same, text).toBe(false);
      expect(ours, text).toBeInstanceOf(Irregular);
    }
  });

  it('takes the record delimiter from the first line end, as csv-parse does: other line ends are text', async () => {
    for (const text of ['h1,h2\r\na\nb,c\r\n', 'h1,h2\na\rb,c\n', 'h1,h2\ra\nb,c\r']) {
      const bytes = Buffer.from(text);
      const ours = scan(bytes, 3);
      expect(ours).not.toBeInstanceOf(Irregular);
      expect(ours).toEqual(await csvParse(bytes, 3).then(({ skipped, ...read }) => (expect(skipped).toBe(0), read)));
      expect((ours as Read).records).toHaveLength(2);
    }
  });

  it('holds a CR that ends a chunk until it knows whether an LF follows', () => {
    const bytes = Buffer.from('h\r\nC1,"x"\r\nC2,y\r\n');
    for (let cut = 1; cut < bytes.length; cut++) {
      const ours = scan(bytes, cut) as Read;
      expect(ours.records).toEqual([['h'], ['C1', 'x'], ['C2', 'y']]);
      expect(ours.ends).toEqual([3, 11, 17]);
    }
  });

  it('counts the byte order mark in positions and drops it from the text', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,x\nC1,é\n')]);
    const ours = scan(bytes, 1) as Read;
    expect(ours.records).toEqual([['id', 'x'], ['C1', 'é']]);
    expect(ours).toEqual(await csvParse(bytes, 1).then(({ skipped: _, ...read }) => read));
  });

  it('calls a line over the reader limit or a record over csv-parse limit irregular, in any chunking', () => {
    const line = Buffer.from(`id,x\nC1,${'y'.repeat(300)}\r\nC2,z\n`);
    const record = Buffer.from(`id,x\nC1,"${'y\n'.repeat(150)}"\nC2,z\n`);
    for (const chunk of [1, 7, 64, 4096]) {
      expect(scan(line, chunk, { ...SHAPE, maxLineBytes: 200 })).toBeInstanceOf(Irregular);
      expect(scan(record, chunk, { ...SHAPE, maxRecordBytes: 200 })).toBeInstanceOf(Irregular);
      expect(scan(record, chunk, { ...SHAPE, maxLineBytes: 200 })).not.toBeInstanceOf(Irregular);
    }
  });

  it('reads Latin-1 as Latin-1 and refuses UTF-16', () => {
    const latin1 = Buffer.from('id,name\nC1,Jos\xe9\n', 'latin1');
    expect((scan(latin1, 4, { ...SHAPE, encoding: 'latin1' }) as Read).records[1]).toEqual(['C1', 'José']);
    expect(scan(Buffer.from([0xff, 0xfe, 0x61, 0x00]), 4)).toBeInstanceOf(Irregular);
    expect(() => new CsvScanner({ ...SHAPE, encoding: 'utf16le' }, { want: null, field: () => {}, record: () => {} })).toThrow(Irregular);
  });
});
