import { describe, expect, it } from 'vitest';
import { check, keys, type ClaimSpec } from '../support/rule-tester.js';

const id = 'diagnosis-not-covered';
const privigen = (diagnoses: string[], pointers = [1], claimType: ClaimSpec['claimType'] = 'professional'): ClaimSpec => ({ claimType, diagnoses, lines: [{ hcpcs: 'J1459', units: 20, ndc: '44206043710', ndcQuantity: 100, pointers }] });

describe(id, () => {
  it.each([
    ['primary immunodeficiency', privigen(['D801'])],
    ['chronic ITP', privigen(['D693'])],
    ['CIDP pointed to second', privigen(['Z0000', 'G6181'], [2])],
    ['837I: any claim diagnosis', privigen(['Z0000', 'D801'], [], 'institutional')],
    // Beyond the labels, the Medicare IVIG LCDs (L34314, L34580, L34007) cover these too.
    ['Guillain-Barré syndrome (G61.0, Medicare LCD)', privigen(['G610'])],
    ['myasthenia gravis with exacerbation (G70.01, Medicare LCD)', privigen(['G7001'])],
    ['Kawasaki disease (M30.3, Medicare LCD)', privigen(['M303'])],
    ['chronic lymphocytic leukemia (C91.10, Medicare LCD)', privigen(['C9110'])],
    ['Bivigam for myasthenia gravis', { diagnoses: ['G7000'], lines: [{ hcpcs: 'J1556', units: 20, ndc: null, modifiers: [] }] }],
  ])('valid: %s', (_name, claim) => expect(keys(id, [claim])).toEqual([]));

  it.each([
    ['a general exam', privigen(['Z0000'])],
    ['the supporting code is on the claim but not pointed to', privigen(['Z0000', 'D801'], [1])],
    ['837I with no covered diagnosis', privigen(['Z0000'], [], 'institutional')],
    // Hizentra (J1559) is subcutaneous: the IV immune globulin LCDs do not extend its label list.
    ['subcutaneous Hizentra for myasthenia gravis', { diagnoses: ['G7000'], lines: [{ hcpcs: 'J1559', units: 100, ndc: null, modifiers: [] }] }],
  ])('invalid: %s', (_name, claim) => expect(keys(id, [claim])).toEqual(['notCovered']));

  it('confidence follows the list: label indications are medium', () => {
    const result = check(id, [privigen(['Z0000'])]);
    expect(result.findings[0]!.data).toMatchObject({ diagnoses: 'Z0000', code: 'J1459' });
  });

  it('GA (an ABN on file): the finding is info, not a billing error', () => {
    const withAbn: ClaimSpec = { diagnoses: ['Z0000'], lines: [{ hcpcs: 'J1459', units: 20, ndc: '44206043710', ndcQuantity: 100, modifiers: ['GA'] }] };
    expect(check(id, [withAbn]).findings.map((f) => [f.messageKey, f.severity])).toEqual([['notCovered', 'info']]);
    expect(check(id, [privigen(['Z0000'])]).findings.map((f) => f.severity)).toEqual(['warning']);
  });

  it('is not checked for a code with no covered-diagnosis list', () => {
    expect(check(id, [{}]).notChecked[0]!.reason).toBe('no covered-diagnosis list for J9299 in the pack');
  });
});
