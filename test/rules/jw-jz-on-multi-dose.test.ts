import { describe, expect, it } from 'vitest';
import { check, keys } from '../support/rule-tester.js';

const id = 'jw-jz-on-multi-dose';
const herceptin = (modifiers: string[], ndc: string | null) => ({ lines: [{ hcpcs: 'J9355', units: 30, modifiers, ndc, ndcQuantity: 1, ndcUnit: 'UN' }] });

describe(id, () => {
  it.each([
    ['JZ on a single-dose drug', { lines: [{ modifiers: ['JZ'] }] }],
    ['multi-dose vial without JW/JZ', herceptin([], '50242013468')],
  ])('valid: %s', (_name, claim) => expect(keys(id, [claim])).toEqual([]));

  it.each([
    ['JZ on the 440 mg multiple-dose Herceptin vial', herceptin(['JZ'], '50242013468')],
    ['JW on it', herceptin(['JW'], '50242013468')],
  ])('invalid: %s', (_name, claim) => expect(keys(id, [claim])).toEqual(['multiDose']));

  it('is not checked when the NDC does not say which vial', () => {
    expect(check(id, [herceptin(['JZ'], '50242013201')]).notChecked[0]!.reason).toMatch(/^container of J9355 unknown \(depends on the vial/);
  });
});
