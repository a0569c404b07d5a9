import { describe, expect, it } from 'vitest';
import { components } from '../../src/ingest/x12/tokenizer.js';
import { chunks, envelope, isa, tokenize, x12, type Style } from '../support/x12.js';

const body = [
  ['BHT', '0019', '00', '1', '20250101', '1200', 'CH'],
  ['SV1', 'HC:J9299:JZ', '100', 'UN', '240', '11', '', '1'],
];

const ids = (text: string | string[]) => tokenize(text).segments.map((s) => s.id);

describe('delimiters are read by walking the ISA', () => {
  const styles: Array<[string, Style]> = [
    ['* : ~ with no newlines', {}],
    ['* : ~ with LF', { eol: '\n' }],
    ['* : ~ with CRLF', { eol: '\r\n' }],
    ['| > ~ with CRLF', { element: '|', component: '>', eol: '\r\n' }],
    ['~ ^ _ (p11 style) with LF', { element: '~', component: '^', repetition: 'U', terminator: '_', eol: '\n' }],
    ['LF as the terminator', { terminator: '\n' }],
    ['CR as the terminator, LF after it', { terminator: '\r', eol: '\n' }],
    ['backtick element separator', { element: '`', component: '\\' }],
  ];
  it.each(styles)('%s', (_name, style) => {
    const { segments, issues } = tokenize(x12(envelope([body], undefined, undefined, style), style));
    expect(issues).toEqual([]);
    expect(segments.map((s) => s.id)).toEqual(['ISA', 'GS', 'ST', 'BHT', 'SV1', 'SE', 'GE', 'IEA']);
    const sv1 = segments[4]!;
    expect(sv1.elements).toEqual(['SV1', `HC${style.component ?? ':'}J9299${style.component ?? ':'}JZ`, '100', 'UN', '240', '11', '', '1']);
    expect(components(sv1, 1)).toEqual(['HC', 'J9299', 'JZ']);
    expect(sv1.delimiters.segment).toBe(style.terminator ?? '~');
  });

  it('does not use fixed offsets: a short ISA02 still yields the right delimiters, with an error naming the field', () => {
    const short = isa();
    short[2] = ' '.repeat(9);
    const { segments, issues } = tokenize(x12([short, ...envelope([body]).slice(1)]));
    expect(segments.map((s) => s.id)).toContain('SV1');
    expect(segments[0]!.delimiters).toMatchObject({ element: '*', component: ':', segment: '~' });
    expect(issues).toEqual([expect.objectContaining({ severity: 'error', code: 'isa-field-width', segmentIndex: 0, byteOffset: 0 })]);
    expect(issues[0]!.message).toContain('ISA02 is 9 characters');
  });

  it('reads ISA11 as the repetition separator in 5010 only', () => {
    const five = tokenize(x12(envelope([body]))).segments[0]!;
    expect(five.delimiters.repetition).toBe('^');
    const four = isa();
    four[11] = 'U';
    four[12] = '00401';
    expect(tokenize(x12([four, ...envelope([body]).slice(1)])).segments[0]!.delimiters.repetition).toBeNull();
  });

  it('re-detects delimiters at every ISA', () => {
    const second: Style = { element: '|', component: '>', terminator: '!', eol: '\n' };
    const text = x12(envelope([body], undefined, '000000001'), { eol: '\n' }) + x12(envelope([body], undefined, '000000002', second), second);
    const { segments, issues } = tokenize(text);
    expect(issues).toEqual([]);
    const sv1s = segments.filter((s) => s.id === 'SV1');
    expect(sv1s.map((s) => [s.interchangeIndex, s.delimiters.element, components(s, 1)[1]])).toEqual([
      [0, '*', 'J9299'],
      [1, '|', 'J9299'],
    ]);
  });
});

describe('noise and encoding', () => {
  const clean = x12(envelope([body]));

  it('skips a UTF-8 BOM and leading whitespace, keeping byte offsets true to the file', () => {
    const { segments, issues } = tokenize('\xef\xbb\xbf \r\n\t' + clean);
    expect(issues).toEqual([]);
    expect(segments[0]!.byteOffset).toBe(7);
    expect(segments[1]!.byteOffset).toBe(7 + clean.indexOf('GS'));
  });

  it('treats indentation and blank lines between segments as noise', () => {
    const indented = x12(envelope([body]), { eol: '\r\n   ' });
    expect(tokenize(indented).issues).toEqual([]);
  });

  it('decodes latin1: every byte is one character and one offset', () => {
    const text = x12(envelope([[['NTE', 'ADD', 'caf\xe9 \xff']]]));
    const { segments } = tokenize(text);
    const nte = segments.find((s) => s.id === 'NTE')!;
    expect(nte.elements[2]).toBe('caf\xe9 \xff');
    expect(nte.byteOffset).toBe(text.indexOf('NTE'));
  });

  it('gives the same segments and positions whatever the chunk size', () => {
    const text = x12(envelope([body, body]), { eol: '\r\n' }) + x12(envelope([body], undefined, '2', { terminator: '\n' }), { terminator: '\n' });
    const whole = tokenize(text);
    for (const size of [1, 2, 3, 7, 64, 105, 106, 107]) {
      const split = tokenize(chunks(text, size));
      expect(split.issues).toEqual(whole.issues);
      expect(split.segments.map((s) => [s.id, s.segmentIndex, s.byteOffset, s.elements.join('|')])).toEqual(
        whole.segments.map((s) => [s.id, s.segmentIndex, s.byteOffset, s.elements.join('|')]),
      );
    }
  });

  it('numbers segments from 0 across interchanges', () => {
    const { segments } = tokenize(x12(envelope([body])) + x12(envelope([body], undefined, '2')));
    expect(segments.map((s) => s.segmentIndex)).toEqual([...Array(16).keys()]);
  });
});

describe('envelope checks', () => {
  it('accepts correct counts and control numbers across several ST and GS', () => {
    const { issues, tokenizer } = tokenize(x12(envelope([body, body, body])));
    expect(issues).toEqual([]);
    expect(tokenizer.counts).toEqual({ segments: 16, interchanges: 1, groups: 1, transactions: 3 });
  });

  const mutate = (fn: (segs: string[][]) => void) => {
    const segs = envelope([body]);
    fn(segs);
    return tokenize(x12(segs)).issues.map((i) => [i.severity, i.code, i.segmentIndex]);
  };

  it.each([
    ['SE01 count', (s: string[][]) => (s[5]![1] = '9'), [['warning', 'se-count-mismatch', 5]]],
    ['SE02 control', (s: string[][]) => (s[5]![2] = '9999'), [['warning', 'se-control-mismatch', 5]]],
    ['GE01 count', (s: string[][]) => (s[6]![1] = '2'), [['warning', 'ge-count-mismatch', 6]]],
    ['GE02 control', (s: string[][]) => (s[6]![2] = '7'), [['warning', 'ge-control-mismatch', 6]]],
    ['IEA01 count', (s: string[][]) => (s[7]![1] = '0'), [['warning', 'iea-count-mismatch', 7]]],
    ['IEA02 control', (s: string[][]) => (s[7]![2] = '000000009'), [['warning', 'iea-control-mismatch', 7]]],
    ['missing SE', (s: string[][]) => s.splice(5, 1), [['error', 'se-missing', 5]]],
    ['missing GE', (s: string[][]) => s.splice(6, 1), [['error', 'ge-missing', 6]]],
    ['SE without ST', (s: string[][]) => s.splice(2, 1), [['error', 'segment-outside-transaction', 2], ['error', 'segment-outside-transaction', 3], ['error', 'se-without-st', 4], ['warning', 'ge-count-mismatch', 5]]],
  ])('%s', (_name, fn, expected) => {
    expect(mutate(fn as (s: string[][]) => void)).toEqual(expected);
  });
});

describe('damaged input never throws and is reported with a position', () => {
  it('empty input', () => {
    expect(tokenize('').issues).toEqual([expect.objectContaining({ code: 'empty-input', byteOffset: 0 })]);
    expect(tokenize('  \r\n').issues).toEqual([expect.objectContaining({ code: 'empty-input' })]);
  });

  it('no ISA: the first line is shown', () => {
    const noIsa = x12(envelope([body]).slice(1), { eol: '\n' });
    const { issues, segments } = tokenize(noIsa);
    expect(segments).toEqual([]);
    expect(issues).toEqual([expect.objectContaining({ severity: 'error', code: 'missing-isa', byteOffset: 0, value: 'GS*HC*S*R*20250101*1200*1*X*005010X222A1~' })]);
  });

  it('garbage before an ISA is reported once and the interchange after it is read', () => {
    const { issues, segments } = tokenize('hello world\nthis is not x12\n' + x12(envelope([body])));
    expect(issues.map((i) => i.code)).toEqual(['missing-isa']);
    expect(segments.map((s) => s.id)).toContain('SV1');
  });

  it('an ISA too short to hold 16 elements', () => {
    const { issues } = tokenize('ISA*00*  *00~GS*HC~');
    expect(issues[0]).toMatchObject({ severity: 'error', code: 'isa-invalid', byteOffset: 0 });
  });

  it('an ISA whose terminator would be a letter', () => {
    const bad = isa();
    const text = bad.join('*') + 'X' + x12(envelope([body]).slice(1));
    expect(tokenize(text).issues[0]).toMatchObject({ code: 'isa-invalid' });
  });

  it('truncated mid-segment: the cut segment and the open envelopes are named', () => {
    const full = x12(envelope([body]));
    const cut = full.slice(0, full.indexOf('SV1') + 12);
    const { issues } = tokenize(cut);
    expect(issues.map((i) => [i.code, i.byteOffset])).toEqual([
      ['truncated-segment', full.indexOf('SV1')],
      ['truncated', cut.length],
    ]);
    expect(issues[1]!.message).toMatch(/ST\*837\*0001.*GS 1.*ISA 000000001.*no SE\/GE\/IEA/);
  });

  // Issue 13, item 3: failed before the fix (two errors, "ends in the middle of a segment"
  // and "no IEA"), on a file that is complete but for the IEA's terminator.
  it.each([
    ['~ without newlines', {}],
    ['~ with CRLF', { eol: '\r\n' }],
    ['LF as the terminator', { terminator: '\n' }],
  ] as Array<[string, Style]>)('a complete IEA without its terminator at end of file is a warning (%s)', (_, style) => {
    const full = x12(envelope([body]), style);
    const stripped = full.replace(/[~\r\n]+$/, '');
    expect(stripped.endsWith('IEA*1*000000001')).toBe(true);
    const { issues, segments } = tokenize(chunks(stripped, 37));
    expect(issues).toEqual([expect.objectContaining({ severity: 'warning', code: 'terminator-missing-at-end', byteOffset: stripped.lastIndexOf('IEA') })]);
    expect(segments.map((s) => s.id).at(-1)).toBe('IEA');
    expect(segments).toHaveLength(tokenize(full).segments.length);
  });

  it.each([
    ['a cut control number', 'IEA*1*0000'],
    ['a GE with no IEA after it', 'GE*1*1'],
    ['an IEA with another control number', 'IEA*1*000000002'],
  ])('an unterminated last segment that does not close the interchange is truncation: %s', (_, last) => {
    const full = x12(envelope([body]));
    const cut = full.slice(0, full.indexOf(last.startsWith('GE') ? 'GE*' : 'IEA*')) + last;
    const codes = tokenize(cut).issues.map((i) => [i.severity, i.code]);
    expect(codes).toContainEqual(['error', 'truncated-segment']);
  });

  it('a segment id that is not X12', () => {
    const segs = envelope([[['BHT', '0019'], ['<html>', 'x'], ['REF', 'G1', 'A']]]);
    const { issues, segments } = tokenize(x12(segs));
    expect(issues).toEqual([expect.objectContaining({ code: 'segment-id-invalid', segmentIndex: 4 })]);
    expect(segments.map((s) => s.id)).toContain('REF');
  });

  // Issue 27, item 1: an issue that quotes a damaged envelope must not run on into the
  // segments after it (the subscriber's NM1).
  describe('a declared terminator that does not end the segments', () => {
    const claim = [['BHT', '0019'], ['NM1', 'IL', '1', 'DOE', 'JANE', '', '', '', 'MI', 'MEMBER123'], ['REF', 'G1', 'A']];
    const good = x12(envelope([claim]));
    const isaEnd = good.indexOf('~') + 1;
    it.each([
      ['declared !, used ~', `${good.slice(0, isaEnd - 1)}!${good.slice(isaEnd)}`],
      ['declared LF, used ~', `${good.slice(0, isaEnd - 1)}\n${good.slice(isaEnd)}`],
      ['declared ~, used LF', `${good.slice(0, isaEnd)}${good.slice(isaEnd).replace(/~/g, '\n')}`],
    ])('%s: the interchange is skipped with one error, quoting no other segment', (_, text) => {
      for (const input of [text, chunks(text, 7)]) {
        const { issues, segments } = tokenize(input);
        expect(segments.map((s) => s.id)).toEqual(['ISA']);
        expect(issues).toEqual([expect.objectContaining({ severity: 'error', code: 'segment-terminator-wrong', segmentIndex: 1, byteOffset: isaEnd, excerptEndUnknown: true })]);
        expect(issues[0]!.value).toMatch(/^GS\*HC\*S\*R\*20250101\*1200\*1\*X\*005010X222A1$/);
      }
    });

    it('the next interchange is read', () => {
      const bad = `${good.slice(0, isaEnd - 1)}!${good.slice(isaEnd)}`;
      const { issues, segments } = tokenize(bad + good);
      expect(issues.map((i) => i.code)).toEqual(['segment-terminator-wrong']);
      expect(segments.filter((s) => s.id === 'NM1')).toHaveLength(1);
    });

    it('a healthy GS whose ids hold data punctuation is not taken for a run-on', () => {
      const segs = envelope([claim]);
      segs[1] = ['GS', 'HC', 'ABC-ID', 'X.Y/Z#1', '20250101', '1200', '1', 'X', '005010X222A1'];
      const { issues, segments } = tokenize(x12(segs));
      expect(issues).toEqual([]);
      expect(segments.map((s) => s.id)).toContain('NM1');
    });

    it('an ISA cut short quotes itself only, its end marked unknown', () => {
      const { issues } = tokenize(`ISA*00*X~${good.slice(isaEnd)}`);
      expect(issues[0]).toMatchObject({ code: 'isa-invalid', value: 'ISA*00*X', excerptEndUnknown: true });
    });

    it('the unterminated tail of a file quotes one segment at most', () => {
      const { issues } = tokenize(`${good.slice(0, good.indexOf('REF'))}REF*G1*A`.replace('NM1*IL*1*DOE', 'XX*1*DOE').replace(/~(XX)/, '~$1'));
      const tail = issues.find((i) => i.code === 'truncated-segment')!;
      expect(tail).toMatchObject({ value: 'REF*G1*A', excerptEndUnknown: true });
    });
  });

  it('an overlong segment is skipped with bounded memory', () => {
    const segs = envelope([[['NTE', 'ADD', 'x'.repeat(5000)], ['REF', 'G1', 'A']]]);
    const { issues, segments } = tokenize(chunks(x12(segs), 512), { maxSegmentBytes: 1024 });
    expect(issues).toEqual([expect.objectContaining({ code: 'segment-too-long', segmentIndex: 3 })]);
    expect(segments.map((s) => s.id)).toEqual(['ISA', 'GS', 'ST', 'REF', 'SE', 'GE', 'IEA']);
  });

  it('random bytes do not throw', () => {
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed);
    for (let n = 0; n < 200; n++) {
      const length = next() % 400;
      let text = 'ISA*00*          *00*          *ZZ*A              *ZZ*B              *250101*1200*^*00501*000000001*0*T*:~';
      for (let i = 0; i < length; i++) text += String.fromCharCode(next() % 256);
      expect(() => tokenize(chunks(text, 1 + (next() % 50)))).not.toThrow();
    }
  });
});

it('keeps every segment of a file with several delimiter styles', () => {
  const text = [{}, { eol: '\n' }, { element: '|', component: '>', eol: '\r\n' }].map((style, i) => x12(envelope([body], undefined, String(i + 1).padStart(9, '0'), style), style)).join('');
  expect(ids(text).filter((id) => id === 'SV1')).toHaveLength(3);
});

describe('Segment.element', () => {
  it('walks to element n without splitting, and agrees with elements[n]', () => {
    const { segments } = tokenize(x12(envelope([[['SV1', 'HC:J9299', '100', 'UN', '240', '', '', '1']]])));
    const sv1 = segments.find((s) => s.id === 'SV1')!;
    const walked = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => sv1.element(n));
    expect(walked).toEqual(['SV1', 'HC:J9299', '100', 'UN', '240', '', '', '1', undefined]);
    expect(sv1.elements.slice(0, 8)).toEqual(walked.slice(0, 8));
    expect([0, 1, 7, 8].map((n) => sv1.element(n))).toEqual(['SV1', 'HC:J9299', '1', undefined]);
  });
});
