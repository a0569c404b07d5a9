import { describe, expect, it } from 'vitest';
import { isAdministeredDrug, isAdministration } from '../../src/rules/coverage/drug-without-administration.js';
import { check, type ClaimSpec, type LineSpec, outcome } from '../support/rule-tester.js';

const id = 'drug-without-administration';
const service = (hcpcs: string, date = '2025-03-11'): LineSpec => ({ hcpcs, units: 1, ndc: null, modifiers: [], date, charge: 300 });
const nivolumab: LineSpec = {};

describe(id, () => {
  it.each<[string, ClaimSpec]>([
    ['chemotherapy infusion 96413 the same day', { lines: [nivolumab, service('96413')] }],
    ['therapeutic injection 96372', { lines: [nivolumab, service('96372')] }],
    ['hyaluronan with arthrocentesis 20610', { lines: [{ hcpcs: 'J7321', units: 1, ndc: null, modifiers: ['RT'] }, service('20610')] }],
    ['intravitreal injection 67028', { lines: [{ hcpcs: 'J0178', units: 2, ndc: null, modifiers: [] }, service('67028')] }],
    ['a hospital outpatient claim: the facility bills its own services', { claimType: 'institutional', facilityCode: '13' }],
    ['an oral drug (J8540 dexamethasone oral)', { lines: [{ hcpcs: 'J8540', units: 1, ndc: null, modifiers: [] }] }],
    ['an unclassified code (route unknown)', { lines: [{ hcpcs: 'J3490', units: 1, ndc: null, modifiers: [] }] }],
    ['a clotting factor (home infusion)', { lines: [{ hcpcs: 'J7192', units: 1000, ndc: null, modifiers: [] }] }],
    ['the therapeutic injection code of 2004 (CPT 90782)', { lines: [nivolumab, service('90782')] }],
    ['home infusion with its per diem (S9500)', { lines: [nivolumab, service('S9500')] }],
    ['a drug given at home (POS 12): the pharmacy bills the drug, the nursing is billed apart', { facilityCode: '12' }],
    ['a self-administered drug (enfuvirtide J1324)', { lines: [{ hcpcs: 'J1324', units: 90, ndc: null, modifiers: [] }] }],
  ])('valid: %s', (_name, claim) => expect(outcome(id, [claim])).toBe('pass'));

  it.each<[string, ClaimSpec]>([
    ['nivolumab alone', {}],
    ['nivolumab with an office visit only (99214)', { lines: [nivolumab, service('99214')] }],
    ['nivolumab on the 11th, infusion on the 12th', { lines: [nivolumab, service('96413', '2025-03-12')] }],
    ['a biosimilar (Q5103) alone', { lines: [{ hcpcs: 'Q5103', units: 10, ndc: null, modifiers: [] }] }],
  ])('invalid: %s', (_name, claim) => {
    const [f] = check(id, [claim]).findings;
    // The drug is paid: what is lost is the administration's payment, which the pack cannot price.
    expect(f).toMatchObject({ line: 1, messageKey: 'noAdministration', severity: 'warning', category: 'underbilling', dollars: 0 });
    expect(f!.message).toContain('not priced');
  });

  describe('an administration on another claim of the same provider, member and day', () => {
    const drugClaim: ClaimSpec = { claimId: 'D1', lines: [nivolumab] };
    const adminClaim = (over: Partial<ClaimSpec> = {}): ClaimSpec => ({ claimId: 'A1', lines: [service('96413')], ...over });

    it.each<[string, ClaimSpec[]]>([
      ['the administration claim after the drug claim', [drugClaim, adminClaim()]],
      ['the administration claim before the drug claim', [adminClaim(), drugClaim]],
      ['an administration-only claim with no billing NPI, the same rendering provider', [{ ...drugClaim, billingNpi: null, renderingNpi: '1497758544' }, adminClaim({ billingNpi: null, renderingNpi: '1497758544' })]],
    ])('valid: %s', (_name, claims) => expect(outcome(id, claims)).toBe('pass'));

    it.each<[string, ClaimSpec[]]>([
      ['another billing provider', [drugClaim, adminClaim({ billingNpi: '1999999984' })]],
      ['another member', [drugClaim, adminClaim({ memberId: 'OTHER0001' })]],
      ['another day', [drugClaim, adminClaim({ lines: [service('96413', '2025-03-12')] })]],
      ['a voided administration claim', [drugClaim, adminClaim({ frequencyCode: '8' })]],
    ])('invalid: %s', (_name, claims) => expect(outcome(id, claims)).toEqual({ fail: ['noAdministration'] }));
  });

  it.each([
    ['J9299', true],
    ['J0178', true],
    ['J7321', true],
    ['Q5103', true],
    ['J7192', false],
    ['J8540', false],
    ['J3490', false],
    ['A9585', false],
  ])('%s is given by injection or infusion: %s', (code, expected) => expect(isAdministeredDrug(code)).toBe(expected));

  it.each([
    ['96365', true],
    ['96413', true],
    ['96549', true],
    ['20610', true],
    ['67028', true],
    ['G0498', true],
    ['90782', true],
    ['S9500', true],
    ['99601', true],
    ['S9999', false],
    ['99214', false],
    ['96550', false],
    ['J9299', false],
  ])('%s administers a drug: %s', (code, expected) => expect(isAdministration(code)).toBe(expected));
});
