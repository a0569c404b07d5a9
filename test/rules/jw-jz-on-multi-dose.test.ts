import { describe, expect, it } from 'vitest';
import { check, outcome } from '../support/rule-tester.js';

const id = 'jw-jz-on-multi-dose';
const herceptin = (modifiers: string[], ndc: string | null) => ({ lines: [{ hcpcs: 'J9355', units: 30, modifiers, ndc, ndcQuantity: 1, ndcUnit: 'UN' }] });

describe(id, () => {
  it.each([
    ['JZ on a single-dose drug', { lines: [{ modifiers: ['JZ'] }] }],
    ['multi-dose vial without JW/JZ', herceptin([], '50242013468')],
  ])('valid: %s', (_name, claim) => expect(outcome(id, [claim])).toBe('pass'));

  it.each([
    ['JZ on the 440 mg multiple-dose Herceptin vial', herceptin(['JZ'], '50242013468')],
    ['JW on it', herceptin(['JW'], '50242013468')],
  ])('invalid: %s', (_name, claim) => expect(outcome(id, [claim])).toEqual({ fail: ['multiDose'] }));

  // Issue 29 item 16: no CMS denial edit is published for it; the line is corrected and sent again.
  it('its dollars are returned (delayed), not denied', () => {
    expect(check(id, [herceptin(['JZ'], '50242013468')]).findings[0]).toMatchObject({ category: 'returned' });
  });

  it('an NDC the label facts do not place: CMS\'s JW/JZ list (trastuzumab is on it) makes it single-dose, so JZ stands', () => {
    expect(check(id, [herceptin(['JZ'], '50242013201')])).toEqual({ findings: [], notChecked: [] });
  });

  it('is not checked for a code neither the list nor a label places', () => {
    expect(check(id, [{ lines: [{ hcpcs: 'J2350', modifiers: ['JZ'], ndc: null }] }]).notChecked).toEqual([expect.objectContaining({ fact: 'container', reason: expect.stringMatching(/^container of J2350 unknown: not on CMS's JW\/JZ list/) })]);
  });
});
