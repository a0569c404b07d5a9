// findings.csv: RFC 4180 quoting, formula neutralisation, the fixed columns, read back by a
// real CSV parser.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvCell, FINDINGS_CSV_COLUMNS, findingsCsv } from '../../src/report/csv.js';
import { finding, viewOf } from '../support/findings.js';

describe('a CSV cell', () => {
  it.each([
    ['plain text', 'J9299', 'J9299'],
    ['a comma', 'a,b', '"a,b"'],
    ['a quote', 'say "x"', '"say ""x"""'],
    ['a newline', 'line1\nline2', '"line1\nline2"'],
    ['a CR LF', 'line1\r\nline2', '"line1\r\nline2"'],
    ['a formula', '=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['a plus', '+1+cmd|calc', "'+1+cmd|calc"],
    ['a minus that is not a number', '-2+3', "'-2+3"],
    ['an at sign', '@SUM(A1)', "'@SUM(A1)"],
    ['a leading tab', '\t=1', "'\t=1"],
    ['a leading CR', '\r=1', '"\'\r=1"'],
    ['spaces before a formula', '  =1+1', "'  =1+1"],
    ['a negative number stays a number', '-12.5', '-12.5'],
    ['a number', 42, '42'],
    ['null is empty', null, ''],
    ['a formula sign inside is harmless', 'a=b', 'a=b'],
  ])('%s', (_, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});

describe('findings.csv', () => {
  const hostile = finding({
    claimId: '<img src=x onerror=alert(1)>',
    memberId: '=HYPERLINK("x")',
    payerName: 'ACME, "BEST" PLAN',
    message: 'two\nlines',
    dollarsAtRisk: 1234.5,
    billedCharge: 1300,
    expectedPayment: null,
    ndc: '00003373413',
  });
  const text = [...findingsCsv(viewOf([finding({ dollarsAtRisk: 5 }), hostile]).findings, { excel: false })].join('');
  const rows: string[][] = parse(text, { relax_column_count: false });

  it('has the documented columns, in order, and one row per finding, ranked', () => {
    expect(rows[0]).toEqual([...FINDINGS_CSV_COLUMNS]);
    expect(rows).toHaveLength(3);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['1', '2']);
    // dollars_at_risk is the line's, on its first-ranked finding; finding_dollars the finding's own.
    expect(rows[1]![2]).toBe('1234.50');
  });

  it('reads back every value; a spreadsheet would show the formula as text', () => {
    const row = Object.fromEntries(FINDINGS_CSV_COLUMNS.map((c, i) => [c, rows[1]![i]]));
    expect(row).toMatchObject({
      claim_id: '<img src=x onerror=alert(1)>',
      member_id: '\'=HYPERLINK("x")',
      payer_name: 'ACME, "BEST" PLAN',
      message: 'two\nlines',
      billed_charge: '1300.00',
      expected_payment: '',
      ndc: '00003-3734-13',
      modifiers: 'JZ',
      carc: 'CO-16 (unverified)',
      rarc: 'N822',
      service_date: '2025-03-11',
      source_position: 'segment 10 (byte 1000)',
    });
  });

  it('rows end in CRLF; --excel adds a UTF-8 BOM and nothing else', () => {
    expect(text.startsWith('rank,')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const view = viewOf([finding()]);
    const excel = [...findingsCsv(view.findings, { excel: true })].join('');
    const plain = [...findingsCsv(view.findings, { excel: false })].join('');
    expect(excel).toBe(`\uFEFF${plain}`);
  });
});
