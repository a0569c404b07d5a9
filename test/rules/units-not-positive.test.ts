import { describe, expect, it } from 'vitest';
import { check, keys } from '../support/rule-tester.js';

const id = 'units-not-positive';

describe(id, () => {
  it.each([[1], [240], [0.5]])('valid: %s units', (units) => expect(keys(id, [{ lines: [{ units }] }])).toEqual([]));
  it.each([
    [null, 'missing'],
    [0, 'notPositive'],
    [-3, 'notPositive'],
  ])('invalid: %s units', (units, key) => expect(keys(id, [{ lines: [{ units }] }])).toEqual([key]));
  it('names the billing unit in the remediation', () => {
    expect(check(id, [{ lines: [{ hcpcs: 'J1459', units: 0 }] }]).findings[0]!.remediation).toMatch(/units of 500 mg/);
  });
});
