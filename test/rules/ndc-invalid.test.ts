import { describe, expect, it } from 'vitest';
import { outcome } from '../support/rule-tester.js';

const id = 'ndc-invalid';
const ndc = (value: string, ndcQualifier = 'N4') => [{ lines: [{ ndc: value, ndcQualifier }] }];

describe(id, () => {
  it.each([['00003373413'], ['00003-3734-13'], ['0003-3734-13']])('valid: %s', (value) => expect(outcome(id, ndc(value))).toBe('pass'));
  it.each([
    ['0003373413', 'N4', 'ambiguous-10-digit'],
    ['0000A373413', 'N4', 'non-digits'],
    ['00000000000', 'N4', 'all-zeros'],
    ['123456789', 'N4', 'wrong-length'],
    ['00003373413', 'UP', 'qualifier'],
  ])('invalid: %s (%s)', (value, qualifier, key) => expect(outcome(id, ndc(value, qualifier))).toEqual({ fail: [key] }));
});
