// The scan that decides, before any claim is handed over, whether a CSV export can be read as it
// streams (every claim's rows together) or must be regrouped on disk.
import { describe, expect, it } from 'vitest';
import { planGrouping, type ScanLayout } from '../../src/ingest/csv/grouping.js';

const layout: ScanLayout = { encoding: 'utf8', delimiter: ',', profile: null, phi: 'masked', maxLineBytes: 1 << 20, maxRecordBytes: 8 << 20, sizeHint: 1000 };
const HEADER = 'claim_id,line_number,service_from_date,hcpcs,units,description';

/** The text in chunks of `size` bytes, as a file is read. */
function chunked(text: string | Buffer, size: number): () => AsyncIterable<Buffer> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  return () =>
    (async function* () {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    })();
}

async function plan(rows: string[], options: Partial<ScanLayout> & { eol?: string; encode?: (text: string) => Buffer } = {}) {
  const header = options.delimiter ? HEADER.replaceAll(',', options.delimiter) : HEADER;
  const text = [header, ...rows].join(options.eol ?? '\r\n') + (options.eol ?? '\r\n');
  const bytes = options.encode ? options.encode(text) : Buffer.from(text);
  const answers = new Set<string>();
  // Any chunking gives the same answer: fields, quotes and CRLF cut at every place.
  for (const size of [1, 2, 3, 7, 64, 1 << 16]) answers.add(JSON.stringify(await planGrouping(chunked(bytes, size)(), chunked(bytes, size), { ...layout, ...options })));
  expect(answers.size).toBe(1);
  const answer = JSON.parse([...answers][0]!) as { mode: string; regular: boolean };
  lastRegular = answer.regular;
  return answer.mode;
}
/** Whether the last plan's scan read the file plainly (so our own scanner may parse it). */
let lastRegular = false;

describe('planGrouping', () => {
  it('streams a file whose claims are together, quoted fields with delimiters, quotes and newlines included', async () => {
    expect(await plan(['C1,1,2025-03-11,J9299,240,"a, b ""quoted""\nnext line"', 'C1,2,2025-03-11,J9299,1,x', '"C2",1,2025-03-11,J9299,1,', 'C3,1,2025-03-11,J9299,1,"\r\n"'])).toBe('stream');
    expect(lastRegular).toBe(true);
  });

  it('regroups a file whose claim comes back after another claim', async () => {
    expect(await plan(['C1,1,2025-03-11,J9299,1,', 'C2,1,2025-03-11,J9299,1,', 'C1,2,2025-03-11,J9299,1,'])).toBe('regroup');
  });

  it('compares ids as the reader takes them: quoted, padded with spaces, or not', async () => {
    expect(await plan(['"C1",1,2025-03-11,J9299,1,', 'C2,1,2025-03-11,J9299,1,', ' C1 ,2,2025-03-11,J9299,1,'])).toBe('regroup');
    expect(await plan(['"C1",1,2025-03-11,J9299,1,', ' C1 ,2,2025-03-11,J9299,1,', 'C2,1,2025-03-11,J9299,1,'])).toBe('stream');
  });

  it('ignores rows the reader rejects (no claim id) between rows of one claim', async () => {
    expect(await plan(['C1,1,2025-03-11,J9299,1,', ',9,2025-03-11,J9299,1,', 'NULL,9,2025-03-11,J9299,1,', 'C1,2,2025-03-11,J9299,1,', 'C2,1,2025-03-11,J9299,1,'])).toBe('stream');
  });

  it('regroups, to be safe, a file it cannot read plainly: a stray quote after a quoted field, an unclosed quote, an overlong line', async () => {
    expect(await plan(['C1,1,2025-03-11,J9299,1,"a"b', 'C2,1,2025-03-11,J9299,1,'])).toBe('regroup');
    expect(lastRegular).toBe(false);
    expect(await plan(['C1,1,2025-03-11,J9299,1,"open'])).toBe('regroup');
    expect(lastRegular).toBe(false);
    expect(await plan(['C1,1,2025-03-11,J9299,1,' + 'x'.repeat(300)], { maxLineBytes: 200 })).toBe('regroup');
    expect(lastRegular).toBe(false);
    expect(await plan(['C1,1,2025-03-11,J9299,1,"' + 'x\n'.repeat(150) + '"'], { maxRecordBytes: 200 })).toBe('regroup');
    expect(lastRegular).toBe(false);
  });

  it('is regular when claims are apart but the file reads plainly (regrouped, parsed by our scanner)', async () => {
    expect(await plan(['C1,1,2025-03-11,J9299,1,', 'C2,1,2025-03-11,J9299,1,', 'C1,2,2025-03-11,J9299,1,'])).toBe('regroup');
    expect(lastRegular).toBe(true);
  });

  it('streams a file whose header maps to no layout (the reader says why)', async () => {
    const answer = await planGrouping(chunked('name,address\nA,B\n', 4)(), chunked('', 1), layout);
    expect(answer).toEqual({ mode: 'stream', regular: false });
  });

  it('reads UTF-16 and other delimiters and line ends', async () => {
    const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(await plan(['C1,1,2025-03-11,J9299,1,é', 'C2,1,2025-03-11,J9299,1,', 'C1,2,2025-03-11,J9299,1,'], { encoding: 'utf16le', encode: utf16 })).toBe('regroup');
    expect(await plan(['C1,1,2025-03-11,J9299,1,é', 'C2,1,2025-03-11,J9299,1,'], { encoding: 'utf16le', encode: utf16 })).toBe('stream');
    expect(lastRegular).toBe(false);
    const semicolons = (rows: string[]) => rows.map((r) => r.replaceAll(',', ';'));
    expect(await plan(semicolons(['C1,1,2025-03-11,J9299,1,', 'C2,1,2025-03-11,J9299,1,', 'C1,2,2025-03-11,J9299,1,']), { delimiter: ';', eol: '\n' })).toBe('regroup');
  });
});
