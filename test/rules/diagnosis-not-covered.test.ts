// Diagnosis coverage from the MACs' billing-and-coding articles (issue 28, item 4): the billing
// provider's state selects its A/B MAC, whose articles that list the code decide; where no
// article of that MAC lists it, the line is not checked (said so). The project's own lists stay
// only for codes no article lists.
import { describe, expect, it } from 'vitest';
import { check, type ClaimSpec, outcome } from '../support/rule-tester.js';

const id = 'diagnosis-not-covered';

/** Denosumab (J0897): Wellpoint Federal's article A52399 binds J6 (IL, MN, WI) and JK. */
const denosumab = (diagnoses: string[], spec: Partial<ClaimSpec> = {}): ClaimSpec => ({ billingState: 'WI', diagnoses, lines: [{ hcpcs: 'J0897', units: 60, ndc: null, modifiers: [] }], ...spec });

describe(`${id}: by the MAC's billing articles`, () => {
  it.each([
    ['a Prolia indication of Group 2 (M80.08XA)', denosumab(['M8008XA'])],
    ['an Xgeva indication of Group 1 (C34.10)', denosumab(['C3410'])],
    ['the covered code pointed to second', denosumab(['Z0000', 'M8008XA'], { lines: [{ hcpcs: 'J0897', units: 60, ndc: null, modifiers: [], pointers: [2] }] })],
    ['837I: any claim diagnosis', denosumab(['Z0000', 'C3410'], { claimType: 'institutional', lines: [{ hcpcs: 'J0897', units: 60, ndc: null, modifiers: [], pointers: [] }] })],
    ['a state given as --mac for a file without one', { ...denosumab(['M8008XA']), billingState: null }],
  ])('pass: %s', (_name, claim) => expect(outcome(id, [claim], { mac: 'J6' })).toBe('pass'));

  it('a diagnosis outside the article\'s groups: the finding names the article, its contractor and version', () => {
    const result = check(id, [denosumab(['Z0000'])]);
    expect(result.findings.map((f) => [f.messageKey, f.severity, f.confidence])).toEqual([['notSupported', 'warning', 'high']]);
    expect(result.findings[0]!.message).toMatch(/^none of the diagnoses \(Z00\.00\) supports J0897 under billing article A52399 "Billing and Coding: Denosumab \(Prolia®, Xgeva®, Jubbonti®\) and biosimilars" \(Wellpoint Federal, version 75, effective 2025-07-31\): its covered ICD-10-CM codes for J0897 are in Groups 1 and 2$/);
    expect(result.findings[0]!.evidence).toMatchObject({ article: 'A52399', jurisdiction: 'J6', jurisdictionBasis: 'billing-state', pairing: 'stated' });
  });

  it('the same claim from a state whose MAC has no article listing the code is not checked, and says so', () => {
    const result = check(id, [denosumab(['Z0000'], { billingState: 'TX' })]);
    expect(result.findings).toEqual([]);
    expect(result.notChecked).toEqual([expect.objectContaining({ reason: 'no billing article of Novitas Solutions Inc. (JH) lists J0897', fact: 'diagnosis-article' })]);
  });

  it('no state and no --mac: not checked for want of the MAC', () => {
    const result = check(id, [{ ...denosumab(['Z0000']), billingState: null }]);
    expect(result.notChecked).toEqual([expect.objectContaining({ fact: 'mac', reason: expect.stringMatching(/^the billing provider's state is not known, so not which MAC's billing article applies to J0897 \(listed by A52399 of J6, JK\): give --mac or a state column$/) })]);
    expect(outcome(id, [{ ...denosumab(['Z0000']), billingState: null }], { mac: 'WI' })).toEqual({ fail: ['notSupported'] });
  });

  it('Medicare Advantage: the same verdict one confidence lower (whether articles bind MA plans is not settled); commercial: not applied unless a profile says so', () => {
    expect(check(id, [denosumab(['Z0000'], { payerClass: 'medicare-advantage' })]).findings.map((f) => f.confidence)).toEqual(['medium']);
    const commercial = check(id, [denosumab(['Z0000'], { payerClass: 'commercial' })]);
    expect(commercial.findings).toEqual([]);
    expect(commercial.notChecked[0]).toMatchObject({ fact: 'diagnosis-article', reason: expect.stringMatching(/profile does not apply them to commercial claims/) });
  });

  describe('groups that must be reported together', () => {
    /** Ibandronate (J1740) under A52421 (Wellpoint Federal): Group 1 stands alone; Groups 2+3 and 4+5 go together. */
    const ibandronate = (diagnoses: string[]): ClaimSpec => ({ billingState: 'IL', diagnoses, lines: [{ hcpcs: 'J1740', units: 3, ndc: null, modifiers: [], pointers: diagnoses.map((_, i) => i + 1) }] });
    it.each([
      ['a stand-alone Group 1 diagnosis', ['C7951']],
      ['one from Group 4 and one from Group 5 ("One ICD-10-CM code from Group 4 and one from Group 5 must be billed")', ['M8580', 'E28310']],
      ['one from Group 2 and one from Group 3', ['M80011A', 'K2080']],
    ])('pass: %s', (_, dx) => expect(outcome(id, [ibandronate(dx)])).toBe('pass'));
    it('a Group 4 diagnosis alone: the article\'s condition is not met', () => {
      const result = check(id, [ibandronate(['M8580'])]);
      expect(result.findings.map((f) => [f.messageKey, f.data.groups])).toEqual([['needsTogether', 'Groups 4 and 5']]);
      expect(result.findings[0]!.message).toMatch(/^J1740 with M85\.80: billing article A52421 .* requires a diagnosis from each of Groups 4 and 5/);
    });

    /** Triptorelin (J3315) under A52453: Group 2 (primary) alone, Group 3 (secondary) only with Group 2. */
    const triptorelin = (diagnoses: string[]): ClaimSpec => ({ billingState: 'MN', diagnoses, lines: [{ hcpcs: 'J3315', units: 1, ndc: null, modifiers: [], pointers: diagnoses.map((_, i) => i + 1) }] });
    it('a secondary diagnosis needs the primary one ("must also include a diagnosis from the primary diagnosis list above")', () => {
      expect(outcome(id, [triptorelin(['C61'])])).toBe('pass');
      expect(outcome(id, [triptorelin(['C61', 'C772'])])).toBe('pass');
      expect(outcome(id, [triptorelin(['C772'])])).toEqual({ fail: ['needsTogether'] });
    });
  });

  it('a group needing two diagnoses (A58982, Palmetto: "Dual diagnoses are expected"): one is not enough', () => {
    const epoetin = (diagnoses: string[]): ClaimSpec => ({ billingState: 'NC', diagnoses, lines: [{ hcpcs: 'J0885', units: 40, ndc: null, modifiers: [], pointers: diagnoses.map((_, i) => i + 1) }] });
    expect(outcome(id, [epoetin(['D631', 'N184'])])).toBe('pass');
    const result = check(id, [epoetin(['D631'])]);
    expect(result.findings.map((f) => [f.messageKey, f.data.group, f.data.need])).toEqual([['needsMore', 2, '2 diagnoses']]);
  });

  it('GA (an ABN on file): the finding is info, not a billing error', () => {
    const withAbn = denosumab(['Z0000'], { lines: [{ hcpcs: 'J0897', units: 60, ndc: null, modifiers: ['GA'] }] });
    expect(check(id, [withAbn]).findings.map((f) => [f.messageKey, f.severity])).toEqual([['notSupported', 'info']]);
  });
});

describe(`${id}: the project's lists, only for codes no billing article lists`, () => {
  const hemgenix = (diagnoses: string[]): ClaimSpec => ({ billingState: 'WI', diagnoses, lines: [{ hcpcs: 'J1411', units: 1, ndc: null, modifiers: ['JZ'] }] });
  it('hemophilia B supports Hemgenix (label); a general exam does not', () => {
    expect(outcome(id, [hemgenix(['D67'])])).toBe('pass');
    expect(check(id, [hemgenix(['Z0000'])]).findings.map((f) => [f.messageKey, f.confidence])).toEqual([['notCovered', 'medium']]);
  });

  it('a code no article and no project list covers is not checked, and says so', () => {
    expect(check(id, [{ billingState: 'WI' }]).notChecked).toEqual([expect.objectContaining({ reason: 'no covered-diagnosis list for J9299: no billing article lists it and the project has none', fact: 'diagnosis-article' })]);
  });
});
