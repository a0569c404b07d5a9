import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, keys } from '../support/rule-tester.js';

// J9299 2025Q1: ASP payment limit 32.296 per 1 mg (ASP pricing file, January 2025), the basis
// on a professional claim; OPPS rate 32.296 too (status K: ASP + 6%) on an outpatient claim.
const id = 'charge-below-expected-payment';

describe(id, () => {
  it.each([
    ['charge above units × rate', 8200],
    ['charge equal to units × rate', 7751.04],
  ])('valid: %s', (_name, charge) => expect(keys(id, [{ lines: [{ charge }] }])).toEqual([]));
  // Medicare's rates say nothing of what Medicaid or a commercial plan pays.
  it.each(['medicaid', 'commercial', 'medicare-advantage'] as const)('valid: a %s claim, whose fee schedule the pack does not hold', (payerClass) => {
    expect(keys(id, [{ payerClass, lines: [{ charge: 5000 }] }])).toEqual([]);
  });
  it('invalid: a commercial claim, when a profile says the plan pays Medicare rates', () => {
    const profile = join(mkdtempSync(join(tmpdir(), 'claim-audit-profile-')), 'profile.json');
    writeFileSync(profile, JSON.stringify({ name: 'pays Medicare rates', payerClasses: { commercial: { rules: { [id]: 'warning' } } } }));
    expect(keys(id, [{ payerClass: 'commercial', lines: [{ charge: 5000 }] }], { profile })).toEqual(['below']);
  });
  it('invalid: the shortfall is the dollars at risk, priced on the ASP payment limit for a professional claim', () => {
    const [f] = check(id, [{ lines: [{ charge: 5000 }] }]).findings;
    expect([f!.messageKey, f!.dollars, f!.data.rate, f!.data.quarter, f!.data.basisName]).toEqual(['below', 2751.04, '32.296', '2025Q1', 'ASP payment limit']);
  });
  it('invalid: on an outpatient hospital claim, priced on the OPPS rate', () => {
    const [f] = check(id, [{ claimType: 'institutional', lines: [{ charge: 5000 }] }]).findings;
    expect([f!.messageKey, f!.data.rate, f!.data.quarter, f!.data.basisName]).toEqual(['below', '32.296', '2025Q1', 'OPPS rate']);
  });
  it('uses the latest earlier quarter when the pack has no rate for the service quarter', () => {
    // The ASP files start in 2024Q1; the OPPS history reaches back to 2020.
    expect(check(id, [{ claimType: 'institutional', lines: [{ charge: 1000, date: '2022-02-15' }] }]).findings[0]!.data.quarter).toBe('2021Q4');
    expect(check(id, [{ lines: [{ charge: 1000, date: '2026-08-15' }] }]).findings[0]!.data.quarter).toBe('2026Q1');
  });
  it('is not checked without a rate: no ASP limit (professional), status E2 (outpatient)', () => {
    const line = { hcpcs: 'J1324', units: 180, charge: 1, ndc: null, modifiers: [] };
    expect(check(id, [{ diagnoses: ['B20'], lines: [line] }]).notChecked[0]!.reason).toBe('no ASP payment limit for J1324 on or before the service date');
    expect(check(id, [{ claimType: 'institutional', diagnoses: ['B20'], lines: [line] }]).notChecked[0]!.reason).toBe('no OPPS payment rate for J1324 in 2025Q1 (status E2)');
  });
});
