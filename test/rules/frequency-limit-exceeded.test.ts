import { describe, expect, it } from 'vitest';
import { check, outcome } from '../support/rule-tester.js';

const id = 'frequency-limit-exceeded';
const hemgenix = (claimId: string, date: string, memberId = 'M1') => ({ claimId, memberId, diagnoses: ['D67'], lines: [{ hcpcs: 'J1411', units: 1, ndc: null, date, charge: 3900000 }] });

describe(id, () => {
  it.each([
    ['one dose', [hemgenix('A', '2025-03-17')]],
    ['two members, one dose each', [hemgenix('A', '2025-03-17', 'M1'), hemgenix('B', '2025-06-02', 'M2')]],
    ['the same dose on two lines of one day counts once', [{ ...hemgenix('A', '2025-03-17'), lines: [{ hcpcs: 'J1411', units: 1, ndc: null, date: '2025-03-17' }, { hcpcs: 'J1411', units: 1, ndc: null, date: '2025-03-17', modifiers: ['JW'] }] }]],
  ])('valid: %s', (_name, claims) => expect(outcome(id, claims)).toBe('pass'));
  it('invalid: a second lifetime dose, reported on the later date whatever the input order', () => {
    const result = check(id, [hemgenix('B', '2025-06-02'), hemgenix('A', '2025-03-17')]);
    expect(result.findings.map((f) => [f.claimId, f.data.count, f.data.max])).toEqual([['B', 2, 1]]);
  });
});
