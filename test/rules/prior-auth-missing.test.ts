import { describe, expect, it } from 'vitest';
import { check, outcome } from '../support/rule-tester.js';

const id = 'prior-auth-missing';

describe(id, () => {
  it.each([
    ['commercial with REF*G1 on the claim', { payerClass: 'commercial' as const, priorAuthorization: 'PA1' }],
    ['commercial with REF*G1 on the line', { payerClass: 'commercial' as const, lines: [{ priorAuthorization: 'PA1' }] }],
    ['Medicare (no prior authorization by default)', { payerClass: 'medicare' as const }],
    ['commercial, a code not on the list', { payerClass: 'commercial' as const, lines: [{ hcpcs: 'J1439', units: 750, ndc: '00517065001', modifiers: [] }] }],
  ])('valid: %s', (_name, claim) => expect(outcome(id, [claim])).toBe('pass'));
  it('invalid: commercial nivolumab without REF*G1, a warning', () => {
    expect(check(id, [{ payerClass: 'commercial' }]).findings.map((f) => [f.messageKey, f.severity])).toEqual([['missing', 'warning']]);
  });
});
