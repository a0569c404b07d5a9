import { describe, expect, it } from 'vitest';
import { normaliseNdc } from '../../src/model/ndc.js';
import { isDrugLine, parseCodeSelection } from '../../src/ingest/select.js';
import type { ServiceLine } from '../../src/model/index.js';
import { articleCodes, coveredCodes } from '../../src/reference/index.js';
import { loadDefaultPack } from '../../src/reference/pack.js';
import { buildClaim } from '../support/rule-tester.js';

const pack = loadDefaultPack();
const COVERED_CODE_SET = coveredCodes(pack);
const ARTICLE_CODE_SET = articleCodes(pack);

describe('normaliseNdc', () => {
  it.each([
    ['00003373413', { ok: true, ndc: '00003373413', padded: false }],
    ['00003-3734-13', { ok: true, ndc: '00003373413', padded: false }],
    ['0003-3734-13', { ok: true, ndc: '00003373413', padded: true }],
    ['44206-437-10', { ok: true, ndc: '44206043710', padded: true }],
    ['12345-6789-1', { ok: true, ndc: '12345678901', padded: true }],
    ['4420643710', { ok: false, reason: 'ambiguous-10-digit' }],
    ['0002-1433-8', { ok: false, reason: 'wrong-length' }],
    ['123456789', { ok: false, reason: 'wrong-length' }],
    ['00000000000', { ok: false, reason: 'all-zeros' }],
    ['0000A373413', { ok: false, reason: 'non-digits' }],
    ['', { ok: false, reason: 'empty' }],
  ])('%s', (value, expected) => {
    expect(normaliseNdc(value)).toEqual(expected);
  });
});

/** One line, built by the rule tester's claim builder. */
const line = (hcpcs: string | null, ndc: string | null = null): ServiceLine => buildClaim({ lines: [{ hcpcs, ndc, modifiers: [] }] }).lines[0]!;

describe('drug-line selection', () => {
  const covered = parseCodeSelection('covered', COVERED_CODE_SET, ARTICLE_CODE_SET);
  const all = parseCodeSelection('all', COVERED_CODE_SET, ARTICLE_CODE_SET);
  const list = parseCodeSelection('j1459, Q0138', COVERED_CODE_SET, ARTICLE_CODE_SET);
  const articles = parseCodeSelection('Articles', COVERED_CODE_SET, ARTICLE_CODE_SET);

  it.each([
    ['J1410', null, [true, true, false, true]],
    // Priced by the ASP files (issue 14): covered by default, not one of the articles' codes.
    // Priced by no ASP file nor Addendum B given (a J-code all the same: --codes all takes it).
    ['J1550', null, [false, true, false, false]],
    ['J9271', null, [true, true, false, false]],
    // --codes all takes every covered code too (issue 29 item 12).
    ['90371', null, [true, true, false, false]],
    ['Q0138', null, [true, true, true, true]],
    ['96413', null, [false, false, false, false]],
    ['S5000', '00004196501', [false, true, false, false]],
    [null, '00004196501', [false, true, false, false]],
    ['J1459', null, [true, true, true, true]],
    // No ASP payment limit (the ASP file says N/A), but an OPPS rate: priced, so covered.
    ['A9606', null, [true, true, false, false]],
    // An E/M visit or an administration that carries an NDC is not a drug line (issue 29 item 12).
    ['99211', '00004196501', [false, false, false, false]],
    ['96372', '00004196501', [false, false, false, false]],
    // A vaccine with its NDC is.
    ['90686', '49281042150', [true, true, false, false]],
  ] as const)('%s with NDC %s → covered/all/list/articles %j', (hcpcs, ndc, expected) => {
    expect([covered, all, list, articles].map((s) => isDrugLine(line(hcpcs, ndc), s))).toEqual(expected);
  });

  it('rejects codes that are not HCPCS', () => {
    expect(() => parseCodeSelection('J14', COVERED_CODE_SET)).toThrow(/HCPCS codes/);
    expect(() => parseCodeSelection(',', COVERED_CODE_SET)).toThrow();
  });

  it('covered is every code the pack prices; articles, every code DOMAIN.md §1 names, CMS-true', () => {
    expect(COVERED_CODE_SET.size).toBeGreaterThan(1000);
    for (const code of ARTICLE_CODE_SET) expect(COVERED_CODE_SET.has(code), code).toBe(true);
    expect([...ARTICLE_CODE_SET].sort()).toEqual(
      ['J1411', 'J1611', 'J1410', 'J1444', 'J1324', 'J1459', 'J1556', 'J1559', 'J1561', 'J1569', 'J1439', 'J1756', 'J9299', 'J9355', 'J9177', 'Q0138', 'Q0139', 'J1443', 'J1445', 'J1610'].sort(),
    );
    const unit = (code: string) => {
      const { amount, unit } = pack.codes[code]!.billingUnit!;
      return { amount, unit };
    };
    expect(unit('J1410')).toEqual({ amount: 25, unit: 'mg' });
    expect(unit('J1444')).toEqual({ amount: 0.1, unit: 'mg of iron' });
    expect(unit('J1411')).toEqual({ amount: 1, unit: 'therapeutic dose' });
    expect(unit('J9177')).toEqual({ amount: 0.25, unit: 'mg' });
  });
});
