import { describe, expect, it } from 'vitest';
import { check, keys } from '../support/rule-tester.js';

const id = 'units-not-whole';

describe(id, () => {
  it.each([[1], [240], [null], [0]])('valid: %s units (other rules own missing/zero)', (units) => expect(keys(id, [{ lines: [{ units }] }])).toEqual([]));
  it.each([[2.5], [0.4], [239.99]])('invalid: %s units', (units) => expect(keys(id, [{ lines: [{ units }] }])).toEqual(['fractional']));
  it('remediation rounds up', () => {
    expect(check(id, [{ lines: [{ hcpcs: 'J1410', units: 2.5, ndc: null }] }]).findings[0]!.remediation).toBe('bill 3 units (round the dose up to the next whole billing unit)');
  });
});
