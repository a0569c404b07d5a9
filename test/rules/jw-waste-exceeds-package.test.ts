import { describe, expect, it } from 'vitest';
import { check, type ClaimSpec, outcome } from '../support/rule-tester.js';

const id = 'jw-waste-exceeds-package';
// Opdivo 00003-3734-13: one 24 mL vial, 240 billing units of J9299 (CMS crosswalk BILLUNITSPKG).
const waste = (units: number, over: Partial<ClaimSpec> = {}): ClaimSpec => ({
  lines: [
    { units: 100, modifiers: [], ndcQuantity: 10, ndcUnit: 'ML' },
    { units, modifiers: ['JW'], ndcQuantity: 24, ndcUnit: 'ML' },
  ],
  ...over,
});

// Fulvestrant 00310-0720-10 (J9395, 25 mg): a package of two 5 mL syringes, 10 billing units each, 20 the package.
const fulvestrant = (units: number): ClaimSpec => ({
  lines: [
    { hcpcs: 'J9395', units: 10, modifiers: [], ndc: '00310072010', ndcQuantity: 5, ndcUnit: 'ML', charge: 900 },
    { hcpcs: 'J9395', units, modifiers: ['JW'], ndc: '00310072010', ndcQuantity: 5, ndcUnit: 'ML', charge: 900 },
  ],
});

describe(id, () => {
  it.each<[string, ClaimSpec]>([
    ['140 units wasted from a 240-unit vial', waste(140)],
    ['239 units wasted: less than a whole vial', waste(239)],
    ['no JW line', {}],
    ['an inpatient claim (JW does not apply)', waste(240, { claimType: 'institutional', facilityCode: '11' })],
    // jw-jz-conflict reports these lines; their waste is not counted a second time.
    ['JW and JZ on the waste line (jw-jz-conflict)', { lines: [{ units: 100, modifiers: [], ndcQuantity: 10, ndcUnit: 'ML' }, { units: 240, modifiers: ['JW', 'JZ'], ndcQuantity: 24, ndcUnit: 'ML' }] }],
    ['a JZ line of the drug and date beside the JW line (jw-jz-conflict)', { lines: [{ units: 100, modifiers: ['JZ'], ndcQuantity: 10, ndcUnit: 'ML' }, { units: 240, modifiers: ['JW'], ndcQuantity: 24, ndcUnit: 'ML' }] }],
    // Fulvestrant 00310-0720-10: a package of 2 syringes, 10 billing units of J9395 each.
    ['5 units of fulvestrant wasted: half a syringe', fulvestrant(5)],
  ])('valid: %s', (_name, claim) => expect(outcome(id, [claim])).toBe('pass'));

  it.each([[240], [480]])('invalid: %s JW units, a whole 240-unit vial or more', (units) => {
    const [f] = check(id, [waste(units)]).findings;
    expect(f).toMatchObject({ line: 2, messageKey: 'wholePackage', severity: 'error', category: 'overpayment', data: { units, itemUnits: 240, ndc: '00003373413', quarter: '2025Q1' } });
    expect(f!.message).toBe(`${units} units billed as waste (JW) of J9299, but one whole vial of NDC 00003373413 is 240 units by the CMS crosswalk for 2025Q1: waste from a single-dose vial is less than the vial`);
    // The JW line's own payment: units × the 2025Q1 ASP limit (32.296), capped at its 8,200 charge.
    expect(f!.dollars).toBe(Math.min(8200, Math.round(units * 32.296 * 100) / 100));
  });

  it('compares the waste with one vial of a multi-vial package, not the whole package', () => {
    // 10 units: one whole syringe of the two in the package (20 units), reported.
    const [f] = check(id, [fulvestrant(10)]).findings;
    expect(f).toMatchObject({ line: 2, messageKey: 'wholePackage', data: { units: 10, itemUnits: 10, ndc: '00310072010' } });
    expect(f!.evidence).toMatchObject({ billingUnitsPerItem: 10, billingUnitsPerPackage: 20, packageQuantity: 2 });
  });

  it('is not checked without an NDC on the JW line', () => {
    const claim: ClaimSpec = { lines: [{ units: 100, modifiers: [] }, { units: 240, modifiers: ['JW'], ndc: null }] };
    expect(check(id, [claim]).notChecked).toEqual([{ claimId: 'C1', line: 2, key: 'noNdc', reason: 'no NDC on the JW line, so no vial size', fact: 'input' }]);
  });

  it('is not checked when the crosswalk has no package figures for the NDC', () => {
    const claim: ClaimSpec = { lines: [{ units: 100, modifiers: [] }, { units: 240, modifiers: ['JW'], ndc: '99999000001' }] };
    expect(check(id, [claim]).notChecked[0]!.reason).toBe('NDC 99999000001 has no vial figures for J9299 in the CMS crosswalk');
  });
});
