import { describe, expect, it } from 'vitest';
import { check, WITH_DATA, outcome } from '../support/rule-tester.js';

// The default pack holds CMS's NDC–HCPCS crosswalks of 2024Q1–2026Q1: Opdivo 00003-3734-13 is
// J9299's, Privigen 44206-0437-10 is J1459's. The fixture crosswalk (--ndc-crosswalk) lists
// 00003-3734-13 and 00003-3774-12 for J9299 and 44206-0437-10 for J1459.
const id = 'ndc-not-for-code';

describe(id, () => {
  it.each([
    ['Opdivo 240 mg under J9299', '00003373413', 'J9299'],
    ['Privigen under J1459', '44206043710', 'J1459'],
  ])('valid without any flag: %s', (_name, ndc, hcpcs) => expect(outcome(id, [{ lines: [{ ndc, hcpcs }] }])).toBe('pass'));

  it('valid: an NDC a crosswalk given with --ndc-crosswalk lists, whatever the pack says', () => {
    expect(outcome(id, [{ lines: [{ ndc: '00003377412', hcpcs: 'J9299' }] }], WITH_DATA)).toBe('pass');
  });

  it.each([
    ['Privigen billed as nivolumab', '44206043710', 'J9299', 'J1459'],
    ['Opdivo billed as Privigen', '00003373413', 'J1459', 'J9299'],
  ])('invalid, an error: %s (the crosswalk assigns it to another code)', (_name, ndc, hcpcs, other) => {
    const [f] = check(id, [{ lines: [{ ndc, hcpcs }] }]).findings;
    expect([f!.messageKey, f!.severity, f!.data.others, f!.data.quarter]).toEqual(['otherCode', 'error', other, '2025Q1']);
  });

  // Issue 29 item 13: another package of a product the crosswalk assigns to another code is that code's drug.
  it('invalid, an error at high confidence: a package the crosswalk does not list, of a product it assigns to another code (Xolair billed as infliximab)', () => {
    const [f] = check(id, [{ lines: [{ ndc: '50242004001', hcpcs: 'J1745', units: 30, modifiers: [] }] }]).findings;
    expect([f!.messageKey, f!.severity, f!.confidence, f!.data.others, f!.data.drug, f!.data.product]).toEqual(['otherProduct', 'error', 'high', 'J2357', 'Xolair', '50242-0040']);
  });

  it('an NDC absent from the crosswalk is a warning with low confidence (CMS lists only NDCs reported for pricing)', () => {
    const [f] = check(id, [{ lines: [{ ndc: '00003377499', hcpcs: 'J9299' }] }]).findings;
    expect([f!.messageKey, f!.severity, f!.data.quarter]).toEqual(['notListed', 'warning', '2025Q1']);
    expect(f!.data.count).toBeGreaterThan(1);
  });

  it('outside the crosswalk quarters, the nearest one is used', () => {
    const [f] = check(id, [{ lines: [{ ndc: '44206043710', hcpcs: 'J9299', date: '2022-06-01' }] }]).findings;
    expect([f!.messageKey, f!.data.quarter]).toEqual(['otherCode', '2024Q1']);
  });

  it('is not checked for a code the crosswalk lists no NDC for', () => {
    expect(check(id, [{ lines: [{ hcpcs: 'J1324', ndc: '00004038039', modifiers: [] }] }]).notChecked[0]!.reason).toBe('the CMS crosswalk for 2025Q1 lists no NDC for J1324');
  });
});
