import { describe, expect, it } from 'vitest';
import { crosswalkRange, ndcQuantityInBillingUnit } from '../../src/rules/units/units-vs-ndc-quantity.js';
import { check, keys, type LineSpec } from '../support/rule-tester.js';

const id = 'units-vs-ndc-quantity';
const one = (line: LineSpec) => keys(id, [{ lines: [line] }]);

describe(id, () => {
  it.each<[string, LineSpec]>([
    ['nivolumab 240 units, 240 ME', { units: 240, ndcQuantity: 240, ndcUnit: 'ME' }],
    // By the CMS crosswalk's package figures (2025): Opdivo 00003-3734-13 is 24 mL, 240 units.
    ['nivolumab 240 units, 24 ML (by the crosswalk)', { units: 240, ndcQuantity: 24, ndcUnit: 'ML' }],
    ['nivolumab 240 units, 1 UN (one vial, by the crosswalk)', { units: 240, ndcQuantity: 1, ndcUnit: 'UN' }],
    ['Fresenius glucagon 1 unit, 1 ML', { hcpcs: 'J1611', units: 1, ndcQuantity: 1, ndcUnit: 'ML', ndc: '63323058282', modifiers: [] }],
    ['ketorolac 2 units (15 mg each), 1 ML of 30 mg/mL', { hcpcs: 'J1885', units: 2, ndcQuantity: 1, ndcUnit: 'ML', ndc: '00404999601', modifiers: [] }],
    // CMS lists the 100 mL Privigen vial as 110 mL for 20 units: 20 units is right, 19 within the rounding.
    ['Privigen 20 units, 100 ML', { hcpcs: 'J1459', units: 20, ndcQuantity: 100, ndcUnit: 'ML', ndc: '44206043710' }],
    ['Privigen 19 units, 100 ML', { hcpcs: 'J1459', units: 19, ndcQuantity: 100, ndcUnit: 'ML', ndc: '44206043710' }],
    ['Privigen 20 units, 10 GR', { hcpcs: 'J1459', units: 20, ndcQuantity: 10, ndcUnit: 'GR', ndc: '44206043710' }],
    ['Triferic 2720 units, 272 ME of iron', { hcpcs: 'J1444', units: 2720, ndcQuantity: 272, ndcUnit: 'ME', date: '2025-01-01' }],
    ['enfortumab 400 units, 100 ME (0.25 mg units)', { hcpcs: 'J9177', units: 400, ndcQuantity: 100, ndcUnit: 'ME' }],
    ['round up: conjugated estrogens 1 unit for 20 ME', { hcpcs: 'J1410', units: 1, ndcQuantity: 20, ndcUnit: 'ME' }],
    ['UN may equal the units', { hcpcs: 'J1411', units: 1, ndcQuantity: 1, ndcUnit: 'UN' }],
    ['no NDC', { ndc: null }],
  ])('valid: %s', (_name, line) => expect(one(line)).toEqual([]));

  it.each<[string, LineSpec, string]>([
    ['nivolumab 24 units for 240 ME', { units: 24, ndcQuantity: 240, ndcUnit: 'ME', modifiers: ['RT'] }, 'differs'],
    ['Privigen 10 units for 10 GR (grams billed as units)', { hcpcs: 'J1459', units: 10, ndcQuantity: 10, ndcUnit: 'GR' }, 'differs'],
    ['Privigen 100 units = 100 ML', { hcpcs: 'J1459', units: 100, ndcQuantity: 100, ndcUnit: 'ML' }, 'equalsNdcQuantity'],
    ['nivolumab 24 units = 24 ML (the mL count)', { units: 24, ndcQuantity: 24, ndcUnit: 'ML', modifiers: ['RT'] }, 'equalsNdcQuantity'],
    ['nivolumab 2400 units for 1 vial (tenfold)', { units: 2400, ndcQuantity: 1, ndcUnit: 'UN' }, 'differsByPackage'],
    ['ketorolac 1 unit for 1 ML (the mL count: half the dose)', { hcpcs: 'J1885', units: 1, ndcQuantity: 1, ndcUnit: 'ML', ndc: '00404999601', modifiers: [] }, 'equalsNdcQuantity'],
    ['ketorolac 6 units for 1 ML (triple)', { hcpcs: 'J1885', units: 6, ndcQuantity: 1, ndcUnit: 'ML', ndc: '00404999601', modifiers: [] }, 'differsByPackage'],
  ])('invalid: %s', (_name, line, key) => expect(one(line)).toEqual([key]));

  it('the issue example: 24 units of J9299 with NDC quantity 240 ME → bill 240 units, dollars from the 2025Q1 rate', () => {
    const [f] = check(id, [{ lines: [{ units: 24, ndcQuantity: 240, ndcUnit: 'ME', modifiers: ['RT'] }] }]).findings;
    expect(f!.data).toMatchObject({ units: 24, expected: 240, quantity: 240, ctpUnit: 'ME' });
    expect(f!.remediation).toBe('bill 240 units (240 mg ÷ 1 mg, rounded up)');
    expect(f!.dollars).toBe(7751.04);
  });

  it('not checked when neither the billing unit nor the crosswalk can count the NDC quantity', () => {
    const result = check(id, [{ lines: [{ hcpcs: 'J1459', units: 7, ndcQuantity: 3, ndcUnit: 'UN', ndc: '99999999999' }] }]);
    expect(result.findings).toEqual([]);
    expect(result.notChecked[0]!.reason).toBe('each of NDC 99999999999 cannot be counted in 500 mg (no package figures in the CMS crosswalk)');
  });

  it.each([
    [240, [216, 264]],
    [18.18, [17, 20]],
    [2, [2, 3]],
    [0.5, [1, 1]],
  ] as const)('the crosswalk count %s allows %j billed units', (count, range) => expect(crosswalkRange(count)).toEqual(range));

  it.each([
    [10, 'GR', 'mg', 10000],
    [240, 'ME', 'mg of iron', 240],
    [5, 'ME', 'mcg', 5000],
    [500, 'ME', 'g', 0.5],
    [10, 'ML', 'mL', 10],
    [1000, 'F2', 'units', 1000],
    [10, 'ML', 'mg', null],
    [1, 'UN', 'mg', null],
  ])('converts %s %s to %s', (quantity, ctp, unit, expected) => expect(ndcQuantityInBillingUnit(quantity, ctp, unit)).toBe(expected));
});
