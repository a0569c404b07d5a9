import { describe, expect, it } from 'vitest';
import { check, outcome } from '../support/rule-tester.js';

const id = 'units-not-whole';

describe(id, () => {
  it.each([[1], [240], [null], [0]])('valid: %s units (other rules own missing/zero)', (units) => expect(outcome(id, [{ lines: [{ units }] }])).toBe('pass'));
  it.each([[2.5], [0.4], [239.99]])('invalid: %s units', (units) => expect(outcome(id, [{ lines: [{ units }] }])).toEqual({ fail: ['fractional'] }));
  it('remediation rounds up', () => {
    expect(check(id, [{ lines: [{ hcpcs: 'J1410', units: 2.5, ndc: null }] }]).findings[0]!.remediation).toBe('bill 3 units (round the dose up to the next whole billing unit)');
  });
});

// Issue 29 item 14: drug units are no payment unit on a stay, a SNF, hospice or home health claim.
describe(`${id}: settings`, () => {
  it.each([
    ['inpatient (11x)', '11'],
    ['SNF (21x)', '21'],
    ['hospice (81x)', '81'],
    ['home health (32x)', '32'],
  ])('valid: 2.5 units on %s', (_name, facilityCode) => expect(outcome(id, [{ claimType: 'institutional', facilityCode, lines: [{ units: 2.5 }] }])).toBe('pass'));
  it('invalid: 2.5 units on a hospital outpatient claim', () => expect(outcome(id, [{ claimType: 'institutional', facilityCode: '13', lines: [{ units: 2.5 }] }])).toEqual({ fail: ['fractional'] }));
});
