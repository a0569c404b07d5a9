import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, outcome } from '../support/rule-tester.js';

// J9299 2025Q1: ASP payment limit 32.296 per 1 mg (ASP pricing file, January 2025), the basis
// on a professional claim; OPPS rate 32.296 too (status K: ASP + 6%) on an outpatient claim.
const id = 'charge-below-expected-payment';

describe(id, () => {
  it.each([
    ['charge above units × rate', 8200],
    ['charge equal to units × rate', 7751.04],
  ])('valid: %s', (_name, charge) => expect(outcome(id, [{ lines: [{ charge }] }])).toBe('pass'));
  // Medicare's rates say nothing of what Medicaid or a commercial plan pays.
  it.each(['medicaid', 'commercial', 'medicare-advantage'] as const)('valid: a %s claim, whose fee schedule the pack does not hold', (payerClass) => {
    expect(outcome(id, [{ payerClass, lines: [{ charge: 5000 }] }])).toBe('pass');
  });
  it('invalid: a commercial claim, when a profile says the plan pays Medicare rates', () => {
    const profile = join(mkdtempSync(join(tmpdir(), 'claim-audit-profile-')), 'profile.json');
    writeFileSync(profile, JSON.stringify({ name: 'pays Medicare rates', payerClasses: { commercial: { rules: { [id]: 'warning' } } } }));
    expect(outcome(id, [{ payerClass: 'commercial', lines: [{ charge: 5000 }] }], { profile })).toEqual({ fail: ['below'] });
  });
  it('invalid: the shortfall is the dollars at risk, priced on the ASP payment limit for a professional claim', () => {
    const [f] = check(id, [{ lines: [{ charge: 5000 }] }]).findings;
    expect([f!.messageKey, f!.dollars, f!.data.rate, f!.data.quarter, f!.data.basisName]).toEqual(['below', 2751.04, '32.296', '2025Q1', 'ASP payment limit']);
  });
  // Issue 29 item 1: OPPS pays the APC rate whatever the charge (SSA 1833(t)); CAH is paid on cost.
  it.each([
    ['a hospital outpatient claim (13x): a $1,000 charge is no lost revenue', '13'],
    ['a critical access hospital claim (85x)', '85'],
  ])('valid: %s', (_name, facilityCode) => {
    expect(check(id, [{ claimType: 'institutional', facilityCode, lines: [{ charge: 1000 }] }])).toEqual({ findings: [], notChecked: [] });
  });
  it('uses the latest earlier quarter when the pack has no rate for the service quarter', () => {
    expect(check(id, [{ lines: [{ charge: 1000, date: '2026-08-15' }] }]).findings[0]!.data.quarter).toBe('2026Q1');
  });
  it('is not checked without a rate: no ASP limit', () => {
    const line = { hcpcs: 'J1324', units: 180, charge: 1, ndc: null, modifiers: [] };
    expect(check(id, [{ diagnoses: ['B20'], lines: [line] }]).notChecked[0]!.reason).toBe('no ASP payment limit for J1324 on or before the service date');
  });
  // Issue 29 item 5: 100 units billed for 100 mL of Privigen (20 units of 500 mg): the charge is
  // compared with the payment for the 20 units the NDC quantity shows, not the 100 billed.
  it('is judged on the units the NDC quantity shows, not on units another rule finds wrong', () => {
    const privigen = { hcpcs: 'J1459', units: 100, charge: 2500, ndc: '44206043710', ndcQuantity: 100, ndcUnit: 'ML', modifiers: ['JZ'] };
    expect(check(id, [{ lines: [privigen] }]).findings).toEqual([]);
    // With a charge below the 20 units' payment (20 × 49.284 = 985.68), the shortfall is on 20 units.
    const [f] = check(id, [{ lines: [{ ...privigen, charge: 900 }] }]).findings;
    expect([f!.messageKey, f!.data.units, f!.data.billed, f!.dollars]).toEqual(['belowDose', 20, 100, 85.68]);
  });
});
