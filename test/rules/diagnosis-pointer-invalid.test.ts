import { describe, expect, it } from 'vitest';
import { keys, outcome } from '../support/rule-tester.js';

const id = 'diagnosis-pointer-invalid';

describe(id, () => {
  it.each([
    ['pointer 1 of 1', { lines: [{ pointers: [1] }] }],
    ['pointers 1 and 2 of 2', { diagnoses: ['C3490', 'Z5111'], lines: [{ pointers: [1, 2] }] }],
    ['837I lines have no pointers', { claimType: 'institutional' as const, lines: [{ pointers: [] }] }],
  ])('valid: %s', (_name, claim) => expect(outcome(id, [claim])).toBe('pass'));
  it.each([
    ['no pointer', { lines: [{ pointers: [] }] }, ['none']],
    ['pointer 3 of 1', { lines: [{ pointers: [3] }] }, ['dangling']],
    ['pointers 1 and 2 of 1', { lines: [{ pointers: [1, 2] }] }, ['dangling']],
  ])('invalid: %s', (_name, claim, expected) => expect(keys(id, [claim])).toEqual(expected));
});
