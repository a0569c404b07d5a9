import { describe, expect, it } from 'vitest';
import { check, type ClaimSpec, outcome } from '../support/rule-tester.js';

const id = 'noc-code-with-specific-code';
// Opdivo 00003-3734-13 is J9299 in every CMS crosswalk 2024Q1–2026Q1.
const noc = (hcpcs: string, over: Partial<NonNullable<ClaimSpec['lines']>[number]> = {}): ClaimSpec => ({ lines: [{ hcpcs, units: 1, modifiers: [], ...over }] });

describe(id, () => {
  it.each<[string, ClaimSpec]>([
    ['nivolumab billed as J9299, its own code', {}],
    ['J3490 with an NDC the crosswalk does not list', noc('J3490', { ndc: '99999000001' })],
    ['a specific code is not an unclassified one', { lines: [{ hcpcs: 'J1459', units: 20, ndc: '00003373413' }] }],
  ])('valid: %s', (_name, claim) => expect(outcome(id, [claim])).toBe('pass'));

  it('J3490 with no NDC: not checked (no NDC to look up; ndc-missing reports the line)', () => {
    expect(outcome(id, [noc('J3490', { ndc: null })])).toEqual({ notChecked: ['noNdc'] });
  });

  it.each(['J3490', 'J3590', 'J9999', 'J7999', 'C9399'])('invalid: %s for Opdivo, which the 2025Q1 crosswalk assigns to J9299', (code) => {
    const [f] = check(id, [noc(code)]).findings;
    expect(f).toMatchObject({ messageKey: 'specific', severity: 'error', category: 'denial', data: { code, specific: 'J9299', quarter: '2025Q1', drug: 'Opdivo' } });
    expect(f!.remediation).toBe(`bill J9299 in its own billing units instead of ${code}`);
  });

  it('a date after the last crosswalk uses the latest one', () => {
    expect(outcome(id, [noc('J3490', { date: '2026-08-01' })])).toEqual({ fail: ['specific'] });
  });

  it('a date before the first crosswalk is not checked: the specific code may not have existed', () => {
    const result = check(id, [noc('J9999', { date: '2019-06-01' })]);
    expect(result.findings).toEqual([]);
    expect(result.notChecked[0]!.reason).toMatch(/^no CMS crosswalk for the quarter of 2019-06-01/);
  });

  it('ndc-not-for-code leaves the unclassified code to this rule', () => {
    expect(outcome('ndc-not-for-code', [noc('J3490')])).toBe('pass');
  });
});
