import { describe, expect, it } from 'vitest';
import { keys, outcome } from '../support/rule-tester.js';

const id = 'jw-without-administered-line';

describe(id, () => {
  it.each([
    ['administered line + JW line', { lines: [{ modifiers: [], units: 200 }, { modifiers: ['JW'], units: 40 }] }],
    ['no JW', { lines: [{ modifiers: ['JZ'] }] }],
    ['JW and JZ on one line (jw-jz-conflict reports it)', { lines: [{ modifiers: ['JW', 'JZ'] }] }],
  ])('valid: %s', (_name, claim) => expect(outcome(id, [claim])).toBe('pass'));

  it.each([
    ['a JW line alone', { lines: [{ modifiers: ['JW'], units: 40 }] }, ['alone']],
    ['the administered line is on another date', { lines: [{ modifiers: [], date: '2025-03-10' }, { modifiers: ['JW'], units: 40 }] }, ['alone']],
  ])('invalid: %s', (_name, claim, expected) => expect(keys(id, [claim])).toEqual(expected));
});
