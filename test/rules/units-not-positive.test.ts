import { describe, expect, it } from 'vitest';
import { check, outcome } from '../support/rule-tester.js';

const id = 'units-not-positive';

describe(id, () => {
  it.each([[1], [240], [0.5]])('valid: %s units', (units) => expect(outcome(id, [{ lines: [{ units }] }])).toBe('pass'));
  it.each([
    [null, 'missing'],
    [0, 'notPositive'],
    [-3, 'notPositive'],
  ])('invalid: %s units', (units, key) => expect(outcome(id, [{ lines: [{ units }] }])).toEqual({ fail: [key] }));
  it('names the billing unit in the remediation', () => {
    expect(check(id, [{ lines: [{ hcpcs: 'J1459', units: 0 }] }]).findings[0]!.remediation).toMatch(/units of 500 mg/);
  });
});
