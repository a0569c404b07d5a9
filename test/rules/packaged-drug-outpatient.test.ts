import { describe, expect, it } from 'vitest';
import { check, outcome } from '../support/rule-tester.js';

const id = 'packaged-drug-outpatient';
const ironSucrose = (claimType: 'institutional' | 'professional', payerClass: 'medicare' | 'commercial' = 'medicare') => ({ claimType, payerClass, lines: [{ hcpcs: 'J1756', units: 200, modifiers: [], ndc: null, date: '2025-05-07' }] });

describe(id, () => {
  it.each([
    ['iron sucrose on an 837P', ironSucrose('professional')],
    ['iron sucrose on a commercial 837I', ironSucrose('institutional', 'commercial')],
    ['nivolumab (status K) on an 837I', { claimType: 'institutional' as const }],
    ['iron sucrose on a critical access hospital claim (85x: paid on cost, not OPPS)', { ...ironSucrose('institutional'), facilityCode: '85' }],
    ['iron sucrose on an inpatient claim (11x)', { ...ironSucrose('institutional'), facilityCode: '11' }],
  ])('valid: %s', (_name, claim) => expect(outcome(id, [claim])).toBe('pass'));
  it('invalid: iron sucrose (status N) on a Medicare 837I, as info with no dollars at risk', () => {
    const result = check(id, [ironSucrose('institutional')]);
    expect(result.findings.map((f) => [f.messageKey, f.severity, f.dollars, f.data.quarter])).toEqual([['packaged', 'info', 0, '2025Q2']]);
  });
});
