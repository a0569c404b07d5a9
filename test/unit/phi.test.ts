// What a masked issue may quote of the input (issue 13 item 1).
import { describe, expect, it } from 'vitest';
import { guardSegmentSnippet, maskMemberId, valueShape } from '../../src/model/phi.js';

describe('valueShape', () => {
  it.each([
    ['2025-13-45', '9999-99-99'],
    ['13/45/2025', '99/99/9999'],
    ['JANE DOE', 'AAAA AAA'],
    ['$1,2x4.00', '$9,9A9.99'],
    ['Zoë\u0007', 'AAA?'],
    ['x'.repeat(50), `${'A'.repeat(40)}…`],
  ])('%j → %j', (value, shape) => expect(valueShape(value)).toBe(shape));
});

describe('guardSegmentSnippet', () => {
  it.each([
    ['NM1*IL*1*DOE*JANE****MI*123', 'NM1*[--phi full shows it]'],
    ['N3*123 MAIN ST', 'N3*[--phi full shows it]'],
    ['DMG*D8*19620401*F', 'DMG*[--phi full shows it]'],
    ['NTE*ADD*patient said', 'NTE*[--phi full shows it]'],
    ['SV1*HC:J9299:::::NIVOLUMAB*100', 'SV1*[--phi full shows it]'],
    ['nm1*QC*JANE', '[11 characters; --phi full shows it]'],
    ['IEA*1*000000001', 'IEA*1*000000001'],
    ['CTP****24*ML', 'CTP****24*ML'],
  ])('%j → %j', (snippet, shown) => {
    expect(guardSegmentSnippet(snippet, 'masked')).toBe(shown);
    expect(guardSegmentSnippet(snippet, 'full')).toBe(snippet);
  });
});

it('maskMemberId keeps the last 4 characters', () => {
  expect(maskMemberId('1EG4TE5MK73', 'masked')).toBe('****MK73');
  expect(maskMemberId('123', 'masked')).toBe('****');
  expect(maskMemberId('1EG4TE5MK73', 'full')).toBe('1EG4TE5MK73');
});

describe('guardSegmentSnippet on an excerpt whose segment end is not known (issue 27)', () => {
  it.each([
    ['ISA*00*X', 'ISA*99*A'],
    ['GS*HC*A~ST*837*1~NM1*IL*1*DOE*JANE', 'GS*AA*A~AA*999*9~AA9*AA*9*AAA*AAAA'],
    ['DOE,JANE,19620401', 'AAA,AAAA,99999999'],
  ])('%j → %j', (snippet, shown) => {
    expect(guardSegmentSnippet(snippet, 'masked', false)).toBe(shown);
    expect(guardSegmentSnippet(snippet, 'full', false)).toBe(snippet);
  });

  it('a word that is not an X12 segment id is shaped, not quoted (a surname at the start of a line)', () => {
    expect(guardSegmentSnippet('DOE*JANE', 'masked')).toBe('AAA*[--phi full shows it]');
    expect(guardSegmentSnippet('LEE', 'masked')).toBe('AAA[--phi full shows it]');
  });
});
