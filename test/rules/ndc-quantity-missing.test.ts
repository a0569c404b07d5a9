import { describe, expect, it } from 'vitest';
import { keys, outcome } from '../support/rule-tester.js';

const id = 'ndc-quantity-missing';
const ctp = (ndcQuantity: number | null, ndcUnit: string | null) => [{ lines: [{ ndcQuantity, ndcUnit }] }];

describe(id, () => {
  it.each([[24, 'ML'], [240, 'ME'], [1, 'UN'], [10, 'GR'], [1000, 'F2']])('valid: %s %s', (q, u) => expect(outcome(id, ctp(q, u))).toBe('pass'));
  it('valid: no NDC at all (ndc-missing decides)', () => expect(outcome(id, [{ lines: [{ ndc: null }] }])).toBe('pass'));
  it.each([
    [null, 'ML', ['quantity']],
    [0, 'ML', ['quantity']],
    [24, null, ['unit']],
    [24, 'EA', ['unit']],
    [null, null, ['quantity', 'unit']],
  ])('invalid: %s %s', (q, u, expected) => expect(keys(id, ctp(q, u))).toEqual(expected));
});
