import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadReference } from '../../src/reference/index.js';
import { check, type ClaimSpec, outcome } from '../support/rule-tester.js';

const id = 'jw-jz-missing';
const nivolumab = (modifiers: string[], date = '2025-03-11', payerClass: ClaimSpec['payerClass'] = 'medicare'): ClaimSpec => ({ payerClass, lines: [{ modifiers, date }] });

describe(id, () => {
  it.each([
    ['JZ on the line', nivolumab(['JZ'])],
    ['JW on a second line of the same drug and date', { lines: [{ modifiers: [], units: 200 }, { modifiers: ['JW'], units: 40 }] }],
    ['before 2023-07-01', nivolumab([], '2023-06-30')],
    ['a payer class that does not require it (commercial)', nivolumab([], '2025-03-11', 'commercial')],
    ['Medicare Advantage (not required by default)', nivolumab([], '2025-03-11', 'medicare-advantage')],
    // Settings where drugs are not separately paid (DOMAIN.md, section 10): the rule does not apply.
    ['an inpatient claim (bill type 11x)', { ...nivolumab([]), claimType: 'institutional' as const, facilityCode: '11' }],
    ['an RHC claim (71x)', { ...nivolumab([]), claimType: 'institutional' as const, facilityCode: '71' }],
    ['an FQHC claim (77x)', { ...nivolumab([]), claimType: 'institutional' as const, facilityCode: '77' }],
    ['an ESRD facility claim (72x)', { ...nivolumab([]), claimType: 'institutional' as const, facilityCode: '72' }],
  ])('valid: %s', (_name, claim) => expect(outcome(id, [claim])).toBe('pass'));

  it.each([
    ['no modifier on a single-dose drug', nivolumab([])],
    ['RT is not JW/JZ', nivolumab(['RT'])],
    ['on 2023-07-01', nivolumab([], '2023-07-01')],
    ['a hospital outpatient claim (13x)', { ...nivolumab([]), claimType: 'institutional' as const, facilityCode: '13' }],
    ['a critical access hospital claim (85x: included)', { ...nivolumab([]), claimType: 'institutional' as const, facilityCode: '85' }],
  ])('invalid: %s', (_name, claim) => expect(outcome(id, [claim])).toEqual({ fail: ['missing'] }));

  it('one finding per drug and date, with the unverified denial code lowering confidence', () => {
    const result = check(id, [{ lines: [{ modifiers: [], units: 200 }, { modifiers: [], units: 40 }] }]);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]!.remediation).toBe('add JZ if nothing was discarded, or bill the discarded amount on its own line with JW');
  });

  it('Medicare Advantage follows its profile: a plan that requires JW/JZ gets the finding', () => {
    const profile = join(mkdtempSync(join(tmpdir(), 'claim-audit-profile-')), 'profile.json');
    writeFileSync(profile, JSON.stringify({ payerClasses: { 'medicare-advantage': { jwJzRequired: true } } }));
    expect(outcome(id, [nivolumab([], '2025-03-11', 'medicare-advantage')], { profile })).toEqual({ fail: ['missing'] });
  });

  it('a returned claim: the dollars are the payment delayed, in the returned category', () => {
    const [f] = check(id, [nivolumab([])]).findings;
    expect(f).toMatchObject({ category: 'returned', dollars: 7751.04 });
  });

  it('is not checked when the container is unknown: neither on CMS\'s JW/JZ list nor known from a label', () => {
    // Ocrelizumab (J2350) is not on the 2025-06-20 list (its absence from CMS's list is not "multi-dose").
    expect(check(id, [{ lines: [{ hcpcs: 'J2350', modifiers: [], ndc: null }] }]).notChecked).toEqual([
      expect.objectContaining({ reason: "container of J2350 unknown: not on CMS's JW/JZ list (2025-06-20) and no label fact", fact: 'container' }),
    ]);
  });

  // Issue 28, item 2: the facts for every drug on CMS's JW/JZ list, not only four curated ones.
  describe('every code on CMS\'s JW/JZ policy list is single-dose for these rules', () => {
    const privigen = (spec: Partial<ClaimSpec> = {}): ClaimSpec => ({ lines: [{ hcpcs: 'J1459', units: 20, modifiers: [], ndc: '44206043710', ndcQuantity: 200 }], ...spec });
    it('found on a 2025 office line to Medicare, naming the list and its date', () => {
      const result = check(id, [privigen()]);
      expect(result.findings.map((f) => [f.messageKey, f.category])).toEqual([['missing', 'returned']]);
      expect(result.findings[0]!.message).toBe("J1459 is on CMS's JW/JZ policy list (updated 2025-06-20), and the payer requires JW or JZ from 2023-07-01; no line for 2025-03-11 carries either");
      expect(result.findings[0]!.evidence).toMatchObject({ containerBasis: 'jwjz-list', containerSource: 'cms-jwjz-2025-06-20', jwJzListDate: '2025-06-20' });
    });
    it.each([
      ['inpatient (11x): drugs are not separately paid', { claimType: 'institutional' as const, facilityCode: '11' }],
      ['RHC (71x)', { claimType: 'institutional' as const, facilityCode: '71' }],
      ['a Medicaid claim (no JW/JZ requirement by default)', { payerClass: 'medicaid' as const }],
      ['JZ on the line', { lines: [{ hcpcs: 'J1459', units: 20, modifiers: ['JZ'], ndc: '44206043710', ndcQuantity: 200 }] }],
    ])('not on %s', (_, spec) => expect(outcome(id, [privigen(spec)])).toBe('pass'));
    it('the same on the hospital outpatient (13x) and CAH (85x) claims', () => {
      expect(outcome(id, [privigen({ claimType: 'institutional', facilityCode: '13' })])).toEqual({ fail: ['missing'] });
      expect(outcome(id, [privigen({ claimType: 'institutional', facilityCode: '85' })])).toEqual({ fail: ['missing'] });
    });
  });
});

describe(`${id}: only separately payable drugs`, () => {
  it('valid: a single-dose drug OPPS packages (status N) that quarter, on a hospital outpatient claim; invalid: the same in the office', () => {
    // A quarter where the pack's nivolumab row says N (made for the test, in a copy of the pack).
    const base = loadReference();
    const code = base.pack.codes.J9299!;
    const withN = { ...code, prices: [...code.prices, { ...code.prices[code.prices.length - 1]!, quarter: '2031Q1', statusIndicator: 'N', paymentPerUnit: null }] };
    const reference = { ...base, pack: { ...base.pack, codes: { ...base.pack.codes, J9299: withN } } };
    const packaged = (claimType: 'institutional' | 'professional'): ClaimSpec => ({ claimType, lines: [{ modifiers: [], date: '2031-02-03' }] });
    expect(outcome(id, [packaged('institutional')], reference)).toBe('pass');
    expect(outcome(id, [packaged('professional')], reference)).toEqual({ fail: ['missing'] });
  });
});
