import { describe, expect, it } from 'vitest';
import { keys, outcome } from '../support/rule-tester.js';

const id = 'modifier-unknown';
const mods = (modifiers: string[], date = '2025-03-11') => [{ lines: [{ modifiers, date }] }];

describe(id, () => {
  it.each([[['JZ']], [['JW', 'JG']], [['59']], [['RT']], [['TB']]])('valid: %j', (modifiers) => expect(outcome(id, mods(modifiers))).toBe('pass'));

  // Issue 14: CPT modifiers such as 1P, 23 or 32 were called "not a modifier".
  it('never fires on a CPT modifier, Category II performance modifiers included', () => {
    const cpt = ['22', '23', '24', '25', '26', '27', '32', '33', '47', '50', '51', '52', '53', '54', '55', '56', '57', '58', '59', '62', '63', '66', '73', '74', '76', '77', '78', '79', '80', '81', '82', '90', '91', '92', '93', '95', '96', '97', '99', '1P', '2P', '3P', '8P'];
    for (let i = 0; i < cpt.length; i += 4) expect(outcome(id, mods(cpt.slice(i, i + 4))), cpt.slice(i, i + 4).join(',')).toBe('pass');
  });

  it('knows the HCPCS modifiers added since the 2020 file that it has a CMS source for', () => {
    expect(outcome(id, mods(['FS', 'FT'], '2022-01-01'))).toBe('pass');
    expect(outcome(id, mods(['FS'], '2021-12-31'))).toEqual({ fail: ['notYet'] });
    // Issue 29 item 15: FQ and FR (2022), and JZ from 2023-01-01 (optional until 2023-07-01), not 2022-07-01.
    expect(outcome(id, mods(['FQ', 'FR'], '2022-01-03'))).toBe('pass');
    expect(outcome(id, mods(['JZ'], '2023-01-01'))).toBe('pass');
    expect(outcome(id, mods(['JZ'], '2022-12-31'))).toEqual({ fail: ['notYet'] });
  });
  it.each([
    [['MX'], '2025-03-11', ['unknown']],
    [['ZZ', 'JZ'], '2025-03-11', ['unknown']],
    [['JZ'], '2022-06-30', ['notYet']],
  ])('invalid: %j on %s', (modifiers, date, expected) => expect(keys(id, mods(modifiers, date))).toEqual(expected));
});
