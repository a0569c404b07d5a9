import { describe, expect, it } from 'vitest';
import { check, keys, outcome } from '../support/rule-tester.js';

const id = 'jw-jz-conflict';

describe(id, () => {
  it.each([
    ['JZ alone', { lines: [{ modifiers: ['JZ'] }] }],
    ['administered line + JW line', { lines: [{ modifiers: [], units: 200 }, { modifiers: ['JW'], units: 40 }] }],
    ['JZ and JW on different dates', { lines: [{ modifiers: ['JZ'] }, { modifiers: ['JW'], units: 40, date: '2025-03-12' }] }],
  ])('valid: %s', (_name, claim) => expect(outcome(id, [claim])).toBe('pass'));

  it.each([
    ['JW and JZ on one line', { lines: [{ modifiers: ['JW', 'JZ'] }] }, ['sameLine']],
    ['a JZ line and a JW line for the same drug and date', { lines: [{ modifiers: ['JZ'] }, { modifiers: ['JW'], units: 40 }] }, ['sameDrug']],
  ])('invalid: %s', (_name, claim, expected) => expect(keys(id, [claim])).toEqual(expected));

  it('the same-drug finding sits on the JW line and names the JZ line', () => {
    const [f] = check(id, [{ lines: [{ modifiers: ['JZ'] }, { modifiers: ['JW'], units: 40 }] }]).findings;
    expect([f!.line, f!.data.jzLine]).toEqual([2, 1]);
  });
});
