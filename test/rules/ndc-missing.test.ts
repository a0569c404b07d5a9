import { describe, expect, it } from 'vitest';
import { check, outcome } from '../support/rule-tester.js';

const id = 'ndc-missing';

describe(id, () => {
  it.each([
    ['Medicare without an NDC', { payerClass: 'medicare' as const, lines: [{ ndc: null }] }],
    ['Medicaid with an NDC', { payerClass: 'medicaid' as const }],
    // Before Medicaid's NDC requirement (2007-01-01).
    ['Medicaid without an NDC in 2006', { payerClass: 'medicaid' as const, lines: [{ ndc: null, date: '2006-12-31' }] }],
    // Only Medicare's NOC requirement is sourced; other payers follow their profile.
    ['a NOC code without an NDC, a payer of class other', { payerClass: 'other' as const, lines: [{ hcpcs: 'J3490', ndc: null, modifiers: [] }] }],
    ['a NOC code without an NDC, Medicare Advantage', { payerClass: 'medicare-advantage' as const, lines: [{ hcpcs: 'J3490', ndc: null, modifiers: [] }] }],
  ])('valid: %s', (_name, claim) => expect(outcome(id, [claim])).toBe('pass'));

  it.each([
    ['Medicaid without an NDC: error', { payerClass: 'medicaid' as const, lines: [{ ndc: null }] }, 'error'],
    ['commercial without an NDC: warning', { payerClass: 'commercial' as const, lines: [{ ndc: null }] }, 'warning'],
    ['a NOC code without an NDC, Medicare: error', { payerClass: 'medicare' as const, lines: [{ hcpcs: 'J3490', ndc: null, modifiers: [] }] }, 'error'],
    ['Medicaid without an NDC on 2007-01-01: error', { payerClass: 'medicaid' as const, lines: [{ ndc: null, date: '2007-01-01' }] }, 'error'],
    ['a NOC code without an NDC, commercial: as its profile (warning)', { payerClass: 'commercial' as const, lines: [{ hcpcs: 'J3490', ndc: null, modifiers: [] }] }, 'warning'],
  ])('invalid: %s', (_name, claim, severity) => {
    const result = check(id, [claim]);
    expect(result.findings.map((f) => f.severity)).toEqual([severity]);
  });
});
