import { describe, expect, it } from 'vitest';
import { crosswalkRange, ndcQuantityInBillingUnit } from '../../src/rules/units/units-vs-ndc-quantity.js';
import { check, keys, outcome, type LineSpec } from '../support/rule-tester.js';

const id = 'units-vs-ndc-quantity';
const one = (line: LineSpec) => keys(id, [{ lines: [line] }]);
const outcomeOf = (line: LineSpec) => outcome(id, [{ lines: [line] }]);

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
  ])('valid: %s', (_name, line) => expect(outcomeOf(line)).toBe('pass'));

  it.each<[string, LineSpec, string]>([
    ['nivolumab 24 units for 240 ME', { units: 24, ndcQuantity: 240, ndcUnit: 'ME', modifiers: ['RT'] }, 'differs'],
    ['Privigen 10 units for 10 GR (grams billed as units)', { hcpcs: 'J1459', units: 10, ndcQuantity: 10, ndcUnit: 'GR' }, 'differs'],
    ['Privigen 100 units = 100 ML', { hcpcs: 'J1459', units: 100, ndcQuantity: 100, ndcUnit: 'ML' }, 'equalsNdcQuantity'],
    ['nivolumab 24 units = 24 ML (the mL count)', { units: 24, ndcQuantity: 24, ndcUnit: 'ML', modifiers: ['RT'] }, 'equalsNdcQuantity'],
    ['nivolumab 2400 units for 1 vial (tenfold)', { units: 2400, ndcQuantity: 1, ndcUnit: 'UN' }, 'differsByPackage'],
    ['ketorolac 1 unit for 1 ML (the mL count: half the dose)', { hcpcs: 'J1885', units: 1, ndcQuantity: 1, ndcUnit: 'ML', ndc: '00404999601', modifiers: [] }, 'equalsNdcQuantity'],
    ['ketorolac 6 units for 1 ML (triple)', { hcpcs: 'J1885', units: 6, ndcQuantity: 1, ndcUnit: 'ML', ndc: '00404999601', modifiers: [] }, 'differsByPackage'],
  ])('invalid: %s', (_name, line, key) => expect(one(line)).toEqual([key]));

  it('24 units of J9299 with NDC quantity 240 ME → bill 240 units; the 216 missing units are underbilled at the 2025Q1 rate', () => {
    const [f] = check(id, [{ lines: [{ units: 24, ndcQuantity: 240, ndcUnit: 'ME', modifiers: ['RT'] }] }]).findings;
    expect(f!.data).toMatchObject({ units: 24, expected: 240, quantity: 240, ctpUnit: 'ME' });
    expect(f!.remediation).toBe('bill 240 units (240 mg ÷ 1 mg, rounded up)');
    // 7751.04 for 240 units is 32.296 a unit: 216 × 32.296.
    expect(f!).toMatchObject({ dollars: 6975.94, category: 'underbilling' });
  });

  it('units over the dose: the excess units only, as an overpayment (what the billed units are paid, capped at the charge, less the dose)', () => {
    // 2400 units for one 240-unit vial, $90,000 charge: paid min(90000, 2400 × 32.296) = 77510.40; the dose 7751.04.
    const [f] = check(id, [{ lines: [{ units: 2400, ndcQuantity: 1, ndcUnit: 'UN', charge: 90000 }] }]).findings;
    expect(f!).toMatchObject({ messageKey: 'differsByPackage', dollars: 69759.36, category: 'overpayment' });
    // A charge below the billed units' payment caps what was overpaid.
    const [capped] = check(id, [{ lines: [{ units: 2400, ndcQuantity: 1, ndcUnit: 'UN', charge: 10000 }] }]).findings;
    expect(capped!).toMatchObject({ dollars: 2248.96, category: 'overpayment' });
  });

  // Issue 29 item 4: CMS lists the 100 mL Privigen vial as 110 mL for 20 units; 100 mL is one vial, 20 units, not 19.
  it('units from mL count whole vials where the crosswalk rounds: 100 units for 100 mL of Privigen overpay 80 units, not 81', () => {
    const [f] = check(id, [{ lines: [{ hcpcs: 'J1459', units: 100, ndcQuantity: 100, ndcUnit: 'ML', ndc: '44206043710', charge: 2500, modifiers: ['JZ'] }] }]).findings;
    // Paid min(2500, 100 × 49.284) = 2500; the dose, 20 × 49.284 = 985.68.
    expect(f!).toMatchObject({ messageKey: 'equalsNdcQuantity', dollars: 1514.32, category: 'overpayment' });
    expect(f!.evidence).toMatchObject({ expectedUnits: 20 });
  });

  // Issue 29 item 3: no underbilling extrapolated from the charge where the code has no payment rate.
  it('units under the dose of a code with no payment rate claim no amount (J1444 in 2025: no ASP limit, OPPS status E2)', () => {
    const [f] = check(id, [{ lines: [{ hcpcs: 'J1444', units: 1, ndcQuantity: 27.2, ndcUnit: 'ME', ndc: '99999000001', charge: 100, modifiers: [], date: '2025-06-01' }] }]).findings;
    expect(f!).toMatchObject({ messageKey: 'differs', category: 'underbilling', dollars: 0 });
    expect(f!.evidence['dollars']).toMatch(/no payment rate/);
  });

  it.each<[string, LineSpec]>([
    // The reviewer's cases: these codes' NDCs hold one billing unit per mL, so units = mL is the dose
    // even for an NDC the CMS crosswalk does not list.
    ['glucagon J1611 (1 mg per mL): 1 unit for 1 ML, NDC not in the crosswalk', { hcpcs: 'J1611', units: 1, ndcQuantity: 1, ndcUnit: 'ML', ndc: '99999000001', modifiers: [] }],
    ['methylprednisolone acetate J1030 (40 mg per mL): 5 units for 5 ML, NDC not in the crosswalk', { hcpcs: 'J1030', units: 5, ndcQuantity: 5, ndcUnit: 'ML', ndc: '99999000002', modifiers: [] }],
    ['Depo-Medrol J1030: 10 units for 10 ML (listed NDC)', { hcpcs: 'J1030', units: 10, ndcQuantity: 10, ndcUnit: 'ML', ndc: '00009028003', modifiers: [] }],
  ])('units equal to the mL count where one unit is one mL: %s', (_name, line) => expect(outcomeOf(line)).toBe('pass'));

  it('ketorolac J1885 comes at 15 and 30 mg per mL: units = mL of an unlisted NDC cannot be judged', () => {
    const result = check(id, [{ lines: [{ hcpcs: 'J1885', units: 2, ndcQuantity: 2, ndcUnit: 'ML', ndc: '99999000003', modifiers: [] }] }]);
    expect(result.findings).toEqual([]);
    expect(result.notChecked[0]!.reason).toMatch(/^J1885 comes at one billing unit per mL and at other strengths/);
  });

  it('units = mL with no way to know the dose: reported at medium confidence with no amount claimed', () => {
    const [f] = check(id, [{ lines: [{ hcpcs: 'J1459', units: 100, ndcQuantity: 100, ndcUnit: 'ML', ndc: '99999000004' }] }]).findings;
    expect(f).toMatchObject({ messageKey: 'equalsNdcQuantity', dollars: 0 });
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
