import { describe, expect, it } from 'vitest';
import { check, keys, WITH_DATA } from '../support/rule-tester.js';

// The crosswalk fixture lists 00003-3734-13 and 00003-3774-12 for J9299, 44206-0437-10 for J1459.
const id = 'ndc-not-for-code';

describe(id, () => {
  it('is not checked without a crosswalk, nor for a code it does not list', () => {
    expect(check(id, [{}]).notChecked[0]!.reason).toBe('no NDC-HCPCS crosswalk loaded (--ndc-crosswalk)');
    expect(check(id, [{ lines: [{ hcpcs: 'J1439', ndc: '00517065001', modifiers: [] }] }], WITH_DATA).notChecked[0]!.reason).toBe('the crosswalk lists no NDC for J1439');
  });
  it.each([
    ['Opdivo 240 mg under J9299', '00003373413', 'J9299'],
    ['Opdivo 100 mg under J9299', '00003377412', 'J9299'],
    ['Privigen under J1459', '44206043710', 'J1459'],
  ])('valid: %s', (_name, ndc, hcpcs) => expect(keys(id, [{ lines: [{ ndc, hcpcs }] }], WITH_DATA)).toEqual([]));
  it.each([
    ['Privigen billed as nivolumab', '44206043710', 'J9299'],
    ['Opdivo billed as Privigen', '00003373413', 'J1459'],
  ])('invalid: %s', (_name, ndc, hcpcs) => expect(keys(id, [{ lines: [{ ndc, hcpcs }] }], WITH_DATA)).toEqual(['notListed']));
});
