import { describe, expect, it } from 'vitest';
import { check, outcome } from '../support/rule-tester.js';

const id = 'duplicate-line';

describe(id, () => {
  it.each([
    ['different units', [{ claimId: 'A' }, { claimId: 'B', lines: [{ units: 480 }] }]],
    ['different members', [{ claimId: 'A', memberId: 'X' }, { claimId: 'B', memberId: 'Y' }]],
    // Claims from two billing providers are adjudicated apart (DOMAIN.md, section 10).
    ['the same line from two billing providers', [{ claimId: 'A' }, { claimId: 'B', billingNpi: '1111111112' }]],
    // Lineage: a voided claim is withdrawn before duplicates are looked for.
    ['the same line as a claim voided later', [{ claimId: 'A' }, { claimId: 'C' }, { claimId: 'V', frequencyCode: '8', originalClaimRef: 'A' }]],
    ['a replacement claim (frequency 7)', [{ claimId: 'A' }, { claimId: 'A2', frequencyCode: '7' }]],
    ['a void (frequency 8)', [{ claimId: 'A' }, { claimId: 'A2', frequencyCode: '8' }]],
    // A blank billing NPI is not one provider: the rendering NPI stands for it (DOMAIN.md section 13).
    ['no billing NPI, two rendering providers', [{ claimId: 'A', billingNpi: null, renderingNpi: '1497758544' }, { claimId: 'B', billingNpi: null, renderingNpi: '1003000126' }]],
    ['same NOC code, different NDCs', [{ lines: [{ hcpcs: 'J3490', ndc: '00338004938', modifiers: [] }, { hcpcs: 'J3490', ndc: '08290033010', modifiers: [] }] }]],
  ])('valid: %s', (_name, claims) => expect(outcome(id, claims)).toBe('pass'));
  it('invalid: the same line on a second claim, reported on the later one', () => {
    const result = check(id, [{ claimId: 'A' }, { claimId: 'B' }]);
    expect(result.findings.map((f) => [f.claimId, f.data.firstClaim])).toEqual([['B', 'A']]);
  });
  // Issue 13 item 8: the message named the line itself as "the earlier one" (failed before).
  it('invalid: a claim sent twice is named as an earlier copy, not as its own earlier line', () => {
    const result = check(id, [{ claimId: 'A' }, { claimId: 'A' }]);
    expect(result.findings.map((f) => [f.claimId, f.messageKey])).toEqual([['A', 'resent']]);
    expect(result.findings[0]!.message).toMatch(/earlier copy of this claim line: claim A line 1 was sent twice/);
  });
  it('invalid: no billing NPI, the same rendering provider', () => {
    const claims = [{ claimId: 'A', billingNpi: null, renderingNpi: '1497758544' }, { claimId: 'B', billingNpi: null, renderingNpi: '1497758544' }];
    expect(outcome(id, claims)).toEqual({ fail: ['duplicate'] });
  });
  it('is not checked with neither a billing nor a rendering NPI', () => {
    const result = check(id, [{ claimId: 'A', billingNpi: null }, { claimId: 'B', billingNpi: null }]);
    expect(result.findings).toEqual([]);
    expect(result.notChecked.map((n) => [n.claimId, n.fact])).toEqual([['A', 'input'], ['B', 'input']]);
  });
  it('messages count their units: "1 unit", never "1 units"', () => {
    const result = check(id, [{ claimId: 'A', lines: [{ units: 1 }] }, { claimId: 'B', lines: [{ units: 1 }] }]);
    expect(result.findings[0]!.message).toContain(' and 1 unit as claim A');
  });
});
