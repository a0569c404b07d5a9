import { describe, expect, it } from 'vitest';
import { keys } from '../support/rule-tester.js';

const id = 'modifier-unknown';
const mods = (modifiers: string[], date = '2025-03-11') => [{ lines: [{ modifiers, date }] }];

describe(id, () => {
  it.each([[['JZ']], [['JW', 'JG']], [['59']], [['RT']]])('valid: %j', (modifiers) => expect(keys(id, mods(modifiers))).toEqual([]));
  it.each([
    [['MX'], '2025-03-11', ['unknown']],
    [['ZZ', 'JZ'], '2025-03-11', ['unknown']],
    [['JZ'], '2022-06-30', ['notYet']],
  ])('invalid: %j on %s', (modifiers, date, expected) => expect(keys(id, mods(modifiers, date))).toEqual(expected));
});
