import { describe, expect, it } from 'vitest';
import { check, type ClaimSpec, outcome } from '../support/rule-tester.js';

const id = 'drug-billed-at-facility-pos';

describe(id, () => {
  it.each<[string, ClaimSpec]>([
    ['office (11)', { facilityCode: '11' }],
    ['home (12)', { facilityCode: '12' }],
    ['ambulatory surgical center (24)', { facilityCode: '24' }],
    ['skilled nursing facility (31)', { facilityCode: '31' }],
    ['claim at 22 but the drug line at 11 (SV105 wins)', { facilityCode: '22', lines: [{ placeOfService: '11' }] }],
    ['hospital outpatient 837I: the facility bills its drug', { claimType: 'institutional', facilityCode: '13' }],
    ['an administration line is no drug', { facilityCode: '22', lines: [{ hcpcs: '96413', units: 1, ndc: null, modifiers: [] }] }],
  ])('valid: %s', (_name, claim) => expect(outcome(id, [claim])).toBe('pass'));

  it.each([
    ['19', 'off-campus outpatient hospital'],
    ['21', 'inpatient hospital'],
    ['22', 'on-campus outpatient hospital'],
    ['23', 'emergency room'],
  ])('invalid: place of service %s (%s)', (pos, place) => {
    const [f] = check(id, [{ facilityCode: pos }]).findings;
    expect(f).toMatchObject({ messageKey: 'facility', severity: 'warning', category: 'denial', data: { code: 'J9299', pos, place } });
    // The drug's payment at the 2025Q1 ASP limit: 240 × 32.296.
    expect(f!.dollars).toBe(7751.04);
  });

  it('reads the line place of service (SV105) over the claim', () => {
    expect(outcome(id, [{ facilityCode: '11', lines: [{ placeOfService: '22' }] }])).toEqual({ fail: ['facility'] });
  });
});
