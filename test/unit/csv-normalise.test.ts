// How export cells are read: dates, money, units, modifiers, codes, NDCs and pointers.
import { describe, expect, it } from 'vitest';
import { sniffDelimiter } from '../../src/ingest/csv/sniff.js';
import { payerClassFromText } from '../../src/ingest/payer-class.js';
import {
  dateOrderEvidence,
  parseDate,
  parseModifiers,
  parseMoney,
  parseNdcCell,
  parsePointers,
  parseProcedure,
  parseQuantity,
} from '../../src/ingest/csv/normalise.js';

const value = <T>(r: { ok: true; value: T } | { ok: false; reason: string }) => (r.ok ? r.value : `error: ${r.reason}`);

describe('dates', () => {
  it.each([
    ['2025-03-11', 'MDY', '2025-03-11'],
    ['20250311', 'MDY', '2025-03-11'],
    ['03/11/2025', 'MDY', '2025-03-11'],
    ['3/1/25', 'MDY', '2025-03-01'],
    ['03/04/2025', 'DMY', '2025-04-03'],
    ['25/03/2025', 'MDY', '2025-03-25'],
    ['27-OCT-1999', 'MDY', '1999-10-27'],
    ['27-oct-99', 'MDY', '1999-10-27'],
    ['2024-12-08 00:43:43.541764', 'MDY', '2024-12-08'],
    ['2020-02-06T23:45:50Z', 'MDY', '2020-02-06'],
    ['2020-02-06T23:45:50-05:00', 'MDY', '2020-02-06'],
    ['1000-01-01', 'MDY', null],
    ['9999-12-31', 'MDY', null],
    ['', 'MDY', null],
    ['~', 'MDY', null],
    ['2025-02-30', 'MDY', 'error: not a calendar date'],
    ['13/13/2025', 'MDY', 'error: not a calendar date'],
    ['March 3', 'MDY', 'error: not a date (YYYY-MM-DD, YYYYMMDD, MM/DD/YYYY or DD-MON-YYYY)'],
  ] as const)('%s (%s) → %s', (raw, order, expected) => {
    const r = parseDate(raw, order);
    expect(r.ok ? r.value.date : `error: ${r.reason}`).toBe(expected);
  });

  it('says which values are ambiguous and what a column tells', () => {
    expect(parseDate('03/04/2025')).toEqual({ ok: true, value: { date: '2025-03-04', ambiguous: true } });
    expect(parseDate('03/03/2025')).toEqual({ ok: true, value: { date: '2025-03-03', ambiguous: false } });
    expect([dateOrderEvidence('25/03/2025'), dateOrderEvidence('03/25/2025'), dateOrderEvidence('03/04/2025'), dateOrderEvidence('2025-03-04')]).toEqual(['DMY', 'MDY', null, null]);
  });
});

describe('money and quantities', () => {
  it.each([
    ['1234.56', 1234.56],
    ['$1,234.56', 1234.56],
    ['(12.00)', -12],
    ['12.00-', -12],
    ['-12', -12],
    ['0000000000125.33', 125.33],
    [' 75 ', 75],
    ['', null],
    ['1,23.4', 'error: not an amount of money'],
    ['12 USD', 'error: not an amount of money'],
  ] as const)('money %j → %j', (raw, expected) => {
    expect(value(parseMoney(raw))).toBe(expected);
  });

  it.each([
    ['000000000000000004.0000', 4],
    ['2.5', 2.5],
    ['1.0', 1],
    ['', null],
    ['four', 'error: not a number'],
  ] as const)('units %j → %j', (raw, expected) => {
    expect(value(parseQuantity(raw))).toBe(expected);
  });
});

describe('codes and modifiers', () => {
  it.each([
    ['JW:59', ['JW', '59']],
    ['JW 59', ['JW', '59']],
    ['JW,59', ['JW', '59']],
    ['JW59', ['JW', '59']],
    ['jz', ['JZ']],
    ['~', []],
    ['', []],
    ['JWX', 'error: not a list of 2-character modifiers'],
  ] as const)('modifiers %j → %j', (raw, expected) => {
    expect(value(parseModifiers(raw))).toEqual(expected);
  });

  it.each([
    ['J9035', { code: 'J9035', modifiers: [] }],
    ['J9035-JW', { code: 'J9035', modifiers: ['JW'] }],
    ['j9035 jw 59', { code: 'J9035', modifiers: ['JW', '59'] }],
    ['96413', { code: '96413', modifiers: [] }],
    ['0001U', { code: '0001U', modifiers: [] }],
    ['410620009', { code: '410620009', modifiers: [] }],
  ] as const)('procedure %j → %j', (raw, expected) => {
    expect(value(parseProcedure(raw))).toEqual(expected);
  });

  it.each([
    ['00003-3734-13', '00003-3734-13'],
    ['N400003373413', '00003373413'],
    ['000000000', null],
    ['00000000000', null],
    ['4420643710', '4420643710'],
    ['3.37341E+09', 'error: scientific notation: the spreadsheet lost the NDC digits'],
    ['', null],
  ] as const)('NDC %j → %j (normalised later; an ambiguous one is reported, not guessed)', (raw, expected) => {
    expect(value(parseNdcCell(raw))).toBe(expected);
  });

  it.each([
    ['A,B', [1, 2]],
    ['ABD', [1, 2, 4]],
    ['1,2', [1, 2]],
    ['12', [1, 2]],
    ['0,1', [1, 2]],
    ['1:3', [1, 3]],
    ['C34.90', [1]],
    ['Z5112, C3490', [2, 1]],
    ['Q99', 'error: not pointers (A–L, 1–12) or diagnosis codes of the claim'],
  ] as const)('pointers %j → %j', (raw, expected) => {
    expect(value(parsePointers(raw, ['C3490', 'Z5112']))).toEqual(expected);
  });
});

describe('delimiters', () => {
  it.each([
    ['a,b,c\n1,2,3\n', ','],
    ['a;b;c\n1;2,5;3\n', ';'],
    ['a\tb\tc\n1\t2\t3\n', '\t'],
    ['A|B|C|\n1|2|3|\n', '|'],
    ['"a,x";b;c\n"1,2";2;3\n', ';'],
  ])('%j → %j', (text, expected) => {
    expect(sniffDelimiter(text)).toBe(expected);
  });
});

describe('payer classes from words', () => {
  it.each([
    ['Medicare Part B', 'medicare'],
    ['medicare-advantage', 'medicare-advantage'],
    ['Managed Medicaid', 'medicaid'],
    ['BCBS PPO', 'commercial'],
    ['Self Pay', 'other'],
    ['unknown', 'unknown'],
    // SBR09 codes, read as the 837 reads them: MA is Medicare Part A, 16 Medicare Advantage.
    ['MA', 'medicare'],
    ['16', 'medicare-advantage'],
    ['ZZ', null],
    ['gold plan', null],
  ])('%j → %j', (text, expected) => {
    expect(payerClassFromText(text)).toBe(expected);
  });
});
