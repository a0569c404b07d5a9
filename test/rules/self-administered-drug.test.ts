import { describe, expect, it } from 'vitest';
import { check, keys } from '../support/rule-tester.js';

const id = 'self-administered-drug';
const enfuvirtide = (payerClass: 'medicare' | 'medicaid' | 'commercial') => ({ payerClass, diagnoses: ['B20'], lines: [{ hcpcs: 'J1324', units: 180, ndc: null, modifiers: [] }] });

describe(id, () => {
  it.each([
    ['enfuvirtide to Medicaid', enfuvirtide('medicaid')],
    ['enfuvirtide to a commercial plan', enfuvirtide('commercial')],
    ['nivolumab (clinician-administered) to Medicare', {}],
    // GY: billed as statutorily excluded, for the denial: the correct way to bill it.
    ['enfuvirtide to Medicare Part B with GY', { ...enfuvirtide('medicare'), lines: [{ hcpcs: 'J1324', units: 180, ndc: null, modifiers: ['GY'] }] }],
  ])('valid: %s', (_name, claim) => expect(keys(id, [claim])).toEqual([]));
  it('invalid: enfuvirtide to Medicare Part B', () => expect(keys(id, [enfuvirtide('medicare')])).toEqual(['selfAdministered']));
  it('is not checked where the pack does not know', () => {
    expect(check(id, [{ lines: [{ hcpcs: 'J1559', units: 100, ndc: null, modifiers: [] }] }]).notChecked[0]!.reason).toBe('not known whether J1559 is self-administered');
  });
});
