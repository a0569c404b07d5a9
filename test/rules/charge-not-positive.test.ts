import { describe, expect, it } from 'vitest';
import { keys } from '../support/rule-tester.js';

const id = 'charge-not-positive';

describe(id, () => {
  it.each([[8200], [0.01]])('valid: charge %s', (charge) => expect(keys(id, [{ lines: [{ charge }] }])).toEqual([]));
  it.each([
    [null, 'missing'],
    [0, 'notPositive'],
    [-10, 'notPositive'],
  ])('invalid: charge %s', (charge, key) => expect(keys(id, [{ lines: [{ charge }] }])).toEqual([key]));
});
