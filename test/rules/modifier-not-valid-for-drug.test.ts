import { describe, expect, it } from 'vitest';
import { check, outcome } from '../support/rule-tester.js';

const id = 'modifier-not-valid-for-drug';
const mods = (modifiers: string[]) => [{ lines: [{ modifiers }] }];

describe(id, () => {
  it.each([[['JZ']], [['JW']], [['JG']], [['59']], [['XE']], [['KX']], [['GA']]])('valid: %j', (modifiers) => expect(outcome(id, mods(modifiers))).toBe('pass'));
  it.each([[['RT']], [['LT']], [['22']], [['25']], [['50']], [['51']], [['76']]])('invalid: %j', (modifiers) => expect(outcome(id, mods(modifiers))).toEqual({ fail: ['invalid'] }));
  // Hyaluronan knee injections (J7321–J7329): MACs expect RT or LT on the drug line.
  it.each(['J7321', 'J7325', 'J7329'])('valid: RT and LT on %s', (hcpcs) => {
    for (const side of ['RT', 'LT']) expect(outcome(id, [{ lines: [{ hcpcs, modifiers: [side], ndc: null, units: 1 }] }])).toBe('pass');
  });
  it('invalid: 50 on a hyaluronan line, RT on J7330 (not a hyaluronan code)', () => {
    expect(outcome(id, [{ lines: [{ hcpcs: 'J7325', modifiers: ['50'], ndc: null, units: 1 }] }])).toEqual({ fail: ['invalid'] });
    expect(outcome(id, [{ lines: [{ hcpcs: 'J7330', modifiers: ['RT'], ndc: null, units: 1 }] }])).toEqual({ fail: ['invalid'] });
  });
  it('one finding per offending modifier, naming its category', () => {
    expect(check(id, mods(['JZ', 'RT', '25'])).findings.map((f) => f.data)).toEqual([
      { modifier: 'RT', category: 'anatomic' },
      { modifier: '25', category: 'procedure' },
    ]);
  });
});
