import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { check, keys, type ClaimSpec } from '../support/rule-tester.js';

const id = 'tb-modifier-missing';
// Names the tester's default billing NPI, 1234567893, a 340B covered entity.
const profile = fileURLToPath(new URL('../fixtures/profile-340b.json', import.meta.url));
const line = (modifiers: string[], date = '2025-03-11') => ({ lines: [{ modifiers, date }] });

describe(id, () => {
  it.each<[string, ClaimSpec]>([
    ['TB on the line', line(['JZ', 'TB'])],
    ['JG in 2025 (still accepted)', line(['JZ', 'JG'])],
    ['before 2025-01-01', line(['JZ'], '2024-12-31')],
    ['another billing provider', { ...line(['JZ']), billingNpi: '1999999984' }],
    ['a Medicaid claim', { ...line(['JZ']), payerClass: 'medicaid' }],
    ['an inpatient claim (not separately paid)', { ...line(['JZ']), claimType: 'institutional', facilityCode: '11' }],
    ['an RHC claim', { ...line(['JZ']), claimType: 'institutional', facilityCode: '71' }],
  ])('valid: %s', (_name, claim) => expect(keys(id, [claim], { profile })).toEqual([]));

  it.each<[string, ClaimSpec]>([
    ['office claim', line(['JZ'])],
    ['hospital outpatient claim', { ...line(['JZ']), claimType: 'institutional', facilityCode: '13' }],
    ['critical access hospital claim', { ...line(['JZ']), claimType: 'institutional', facilityCode: '85' }],
  ])('invalid: a 340B entity, Medicare, 2025, neither TB nor JG: %s', (_name, claim) => {
    const [f] = check(id, [claim], { profile }).findings;
    expect(f).toMatchObject({ messageKey: 'missing', severity: 'warning', category: 'overpayment' });
  });

  it('from 2026, JG without TB is reported at low confidence', () => {
    expect(keys(id, [line(['JZ', 'JG'], '2026-01-05')], { profile })).toEqual(['jgRetired']);
  });

  it('is off when the profile names no 340B covered entity', () => {
    expect(keys(id, [line(['JZ'])])).toEqual([]);
  });

  it('a packaged drug on a hospital outpatient claim (OPPS status N) needs no 340B modifier', () => {
    // J7321 hyaluronan: status N on Addendum B.
    expect(keys(id, [{ claimType: 'institutional', facilityCode: '13', lines: [{ hcpcs: 'J7321', units: 1, ndc: null, modifiers: [] }] }], { profile })).toEqual([]);
  });
});
