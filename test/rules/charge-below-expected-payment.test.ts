import { describe, expect, it } from 'vitest';
import { check, keys } from '../support/rule-tester.js';

// J9299 2025Q1 rate: 32.296 per mg (OPPS Addendum B 2025-01).
const id = 'charge-below-expected-payment';

describe(id, () => {
  it.each([
    ['charge above units × rate', 8200],
    ['charge equal to units × rate', 7751.04],
  ])('valid: %s', (_name, charge) => expect(keys(id, [{ lines: [{ charge }] }])).toEqual([]));
  it('invalid: the shortfall is the dollars at risk', () => {
    const [f] = check(id, [{ lines: [{ charge: 5000 }] }]).findings;
    expect([f!.messageKey, f!.dollars, f!.data.rate, f!.data.quarter]).toEqual(['below', 2751.04, '32.296', '2025Q1']);
  });
  it('uses the latest earlier quarter when the pack has no rate for the service quarter', () => {
    expect(check(id, [{ lines: [{ charge: 1000, date: '2022-02-15' }] }]).findings[0]!.data.quarter).toBe('2021Q4');
  });
  it('is not checked without a rate (status E2)', () => {
    expect(check(id, [{ diagnoses: ['B20'], lines: [{ hcpcs: 'J1324', units: 180, charge: 1, ndc: null, modifiers: [] }] }]).notChecked[0]!.reason).toBe('no OPPS payment rate for J1324 in 2025Q1 (status E2)');
  });
});
