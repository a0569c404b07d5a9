import { describe, expect, it } from 'vitest';
import { check, outcome } from '../support/rule-tester.js';

const id = 'charge-not-positive';

describe(id, () => {
  it.each([[8200], [0.01]])('valid: charge %s', (charge) => expect(outcome(id, [{ lines: [{ charge }] }])).toBe('pass'));
  it.each([
    [null, 'missing'],
    [0, 'notPositive'],
    [-10, 'notPositive'],
  ])('invalid: charge %s', (charge, key) => expect(outcome(id, [{ lines: [{ charge }] }])).toEqual({ fail: [key] }));

  // DOMAIN.md section 11: the claim comes back for a charge; what it delays is the payment correct
  // billing would be paid (240 units × the 2025Q1 ASP limit, 32.296), not the zero charge.
  it.each([[null], [0], [-10]])('charge %s: the returned dollars are the payment correct billing would get', (charge) => {
    expect(check(id, [{ lines: [{ charge }] }]).findings[0]).toMatchObject({ dollars: 7751.04, category: 'returned' });
  });

  it('on an outpatient hospital claim the payment is at the OPPS rate', () => {
    const [f] = check(id, [{ claimType: 'institutional', facilityCode: '13', lines: [{ charge: 0 }] }]).findings;
    expect(f!.category).toBe('returned');
    expect(f!.dollars).toBeGreaterThan(0);
  });
});
