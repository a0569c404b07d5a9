import { describe, expect, it } from 'vitest';
import { check, keys } from '../support/rule-tester.js';

const id = 'modifier-not-valid-for-drug';
const mods = (modifiers: string[]) => [{ lines: [{ modifiers }] }];

describe(id, () => {
  it.each([[['JZ']], [['JW']], [['JG']], [['59']], [['XE']], [['KX']], [['GA']]])('valid: %j', (modifiers) => expect(keys(id, mods(modifiers))).toEqual([]));
  it.each([[['RT']], [['LT']], [['22']], [['25']], [['50']], [['51']], [['76']]])('invalid: %j', (modifiers) => expect(keys(id, mods(modifiers))).toEqual(['invalid']));
  it('one finding per offending modifier, naming its category', () => {
    expect(check(id, mods(['JZ', 'RT', '25'])).findings.map((f) => f.data)).toEqual([
      { modifier: 'RT', category: 'anatomic' },
      { modifier: '25', category: 'procedure' },
    ]);
  });
});
