import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { check, type ClaimSpec, outcome } from '../support/rule-tester.js';

const id = 'tb-modifier-missing';
// Names the tester's default billing NPI, 1234567893, a 340B covered entity.
const profile = fileURLToPath(new URL('../fixtures/profile-340b.json', import.meta.url));
const line = (modifiers: string[], date = '2025-03-11') => ({ lines: [{ modifiers, date }] });

describe(id, () => {
  it.each<[string, ClaimSpec]>([
    ['TB on the line', line(['JZ', 'TB'])],
    ['JG in 2025', line(['JZ', 'JG'])],
    ['JG in 2026 (the end of JG is not confirmed by a primary source: either is accepted)', line(['JZ', 'JG'], '2026-01-05')],
    ['before 2024-01-01', line(['JZ'], '2023-12-31')],
    ['another billing provider', { ...line(['JZ']), billingNpi: '1999999984' }],
    ['a Medicaid claim', { ...line(['JZ']), payerClass: 'medicaid' }],
    ['an inpatient claim (not separately paid)', { ...line(['JZ']), claimType: 'institutional', facilityCode: '11' }],
    ['an RHC claim', { ...line(['JZ']), claimType: 'institutional', facilityCode: '71' }],
  ])('valid: %s', (_name, claim) => expect(outcome(id, [claim], { profile })).toBe('pass'));

  it.each<[string, ClaimSpec]>([
    ['office claim', line(['JZ'])],
    ['hospital outpatient claim', { ...line(['JZ']), claimType: 'institutional', facilityCode: '13' }],
    ['critical access hospital claim', { ...line(['JZ']), claimType: 'institutional', facilityCode: '85' }],
    ['2024, the first year the modifier is required of every 340B entity', line(['JZ'], '2024-01-02')],
  ])('invalid: a 340B entity, Medicare, neither TB nor JG: %s', (_name, claim) => {
    const [f] = check(id, [claim], { profile }).findings;
    // Compliance, not an overpayment: Medicare pays the line the same; no dollars at risk.
    expect(f).toMatchObject({ messageKey: 'missing', severity: 'warning', category: 'compliance', dollars: 0 });
  });

  it('is off when the profile names no 340B covered entity', () => {
    expect(outcome(id, [line(['JZ'])])).toBe('pass');
  });

  it('a packaged drug on a hospital outpatient claim (OPPS status N) needs no 340B modifier', () => {
    // J7321 hyaluronan: status N on Addendum B.
    expect(outcome(id, [{ claimType: 'institutional', facilityCode: '13', lines: [{ hcpcs: 'J7321', units: 1, ndc: null, modifiers: [] }] }], { profile })).toBe('pass');
  });
});
