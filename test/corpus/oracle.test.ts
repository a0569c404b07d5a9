// An independent oracle: on every well-formed corpus file, our segments equal x12-parser's.
//
// x12-parser reads delimiters from fixed ISA offsets (3, 104, 105), so it is only a valid
// oracle where those offsets hold for every interchange in the file; files where they do
// not (BOM, short ISA02, two delimiter sets, no ISA) are exactly the ones our tokenizer
// exists for, and the conformance suite covers them. It also trims elements and drops
// newlines, so our elements are compared trimmed.
import { createReadStream, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { X12parser } from 'x12-parser';
import { X12Tokenizer, type Segment } from '../../src/ingest/x12/tokenizer.js';
import { X12_DIR, x12CorpusFiles } from '../support/corpus.js';

type Formatted = Record<string, string>;

function ours(path: string): { segments: Segment[]; errors: number } {
  const segments: Segment[] = [];
  let errors = 0;
  const tokenizer = new X12Tokenizer({ segment: (s) => segments.push(s), issue: (i) => (errors += i.severity === 'error' ? 1 : 0) });
  tokenizer.write(readFileSync(path));
  tokenizer.end();
  return { segments, errors };
}

/** Well-formed for a fixed-offset reader: starts with ISA, and every ISA's offsets agree with what we walked. */
function oracleCanRead(path: string, segments: Segment[], errors: number): boolean {
  const text = readFileSync(path).toString('latin1');
  if (errors > 0 || !text.startsWith('ISA') || segments.length === 0) return false;
  const isas = segments.filter((s) => s.id === 'ISA');
  const first = isas[0]!.delimiters;
  if (first.segment === '\n' || first.segment === '\r') return false;
  const fixed = { element: text[3], component: text[104], segment: text[105] };
  return isas.every((s) => s.delimiters.element === fixed.element && s.delimiters.component === fixed.component && s.delimiters.segment === fixed.segment);
}

function asFormatted(segment: Segment): Formatted {
  const formatted: Formatted = { name: segment.id };
  segment.elements.slice(1).forEach((element, i) => {
    const parts = segment.id === 'ISA' ? [element] : element.split(segment.delimiters.component);
    formatted[String(i + 1)] = parts[0]!.trim();
    parts.slice(1).forEach((part, j) => {
      formatted[`${i + 1}-${j + 1}`] = part.trim();
    });
  });
  return formatted;
}

async function theirs(path: string): Promise<Formatted[]> {
  const out: Formatted[] = [];
  const parser = new X12parser('latin1');
  await new Promise<void>((resolve, reject) => {
    createReadStream(path)
      .pipe(parser)
      .on('data', (segment: Formatted) => {
        if (segment.name !== '') out.push(segment);
      })
      .on('end', resolve)
      .on('error', reject);
  });
  return out;
}

const all = x12CorpusFiles();
const eligible = all.filter((f) => {
  const { segments, errors } = ours(`${X12_DIR}/${f}`);
  return oracleCanRead(`${X12_DIR}/${f}`, segments, errors);
});

describe('x12-parser oracle', () => {
  it('covers most of the corpus', () => {
    // 26 of 38 files when written; the others have no ISA, a BOM, a short ISA, LF/CR terminators or mixed delimiters.
    expect(eligible.length).toBeGreaterThanOrEqual(25);
  });

  it.each(eligible)('%s: same segments, elements and components', async (file) => {
    const path = `${X12_DIR}/${file}`;
    const expected = await theirs(path);
    const actual = ours(path).segments.map(asFormatted);
    expect(actual.length).toBe(expected.length);
    expect(actual).toEqual(expected);
  });
});
