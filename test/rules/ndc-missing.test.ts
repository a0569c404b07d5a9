import { describe, expect, it } from 'vitest';
import { check, keys } from '../support/rule-tester.js';

const id = 'ndc-missing';

describe(id, () => {
  it.each([
    ['Medicare without an NDC', { payerClass: 'medicare' as const, lines: [{ ndc: null }] }],
    ['Medicaid with an NDC', { payerClass: 'medicaid' as const }],
  ])('valid: %s', (_name, claim) => expect(keys(id, [claim])).toEqual([]));

  it.each([
    ['Medicaid without an NDC: error', { payerClass: 'medicaid' as const, lines: [{ ndc: null }] }, 'error'],
    ['commercial without an NDC: warning', { payerClass: 'commercial' as const, lines: [{ ndc: null }] }, 'warning'],
    ['a NOC code without an NDC, any payer: error', { payerClass: 'medicare' as const, lines: [{ hcpcs: 'J3490', ndc: null, modifiers: [] }] }, 'error'],
  ])('invalid: %s', (_name, claim, severity) => {
    const result = check(id, [claim]);
    expect(result.findings.map((f) => f.severity)).toEqual([severity]);
  });
});
