import { describe, expect, it } from 'vitest';
import { check, type ClaimSpec, outcome } from '../support/rule-tester.js';

const id = 'code-not-effective';
const line = (hcpcs: string, date: string): ClaimSpec => ({ lines: [{ hcpcs, date, ndc: null, modifiers: [] }] });

describe(id, () => {
  it.each([
    ['J9177 on its added date', line('J9177', '2020-07-01')],
    ['J1444 on its (inferred) last day', line('J1444', '2025-12-31')],
    ['J1410 in 2025', line('J1410', '2025-03-01')],
    // Issue 29 item 10: a code the earliest CMS file given already lists was in force before it
    // (its start is unknown, not that quarter): vaccines long predate 2024.
    ['influenza vaccine 90662 in 2018 (listed by the earliest ASP file, 2024Q1)', line('90662', '2018-10-15')],
    ['90732 in 2018', line('90732', '2018-11-01')],
    ['J9298 in 2023 (in force from 2022; the ASP files list it from their first quarter)', line('J9298', '2023-06-01')],
  ])('valid: %s', (_name, claim) => expect(outcome(id, [claim])).toBe('pass'));

  it.each([
    ['J9177 the day before it was added', line('J9177', '2020-06-30'), 'beforeAdded'],
    ['J1444 after its termination', line('J1444', '2026-01-15'), 'afterTerminated'],
    // J1411 (Hemgenix): the OPPS history extract lists it from 2023Q2, its 2023Q1 version not.
    ['J1411 before the first quarter that lists it, the quarter before not listing it', line('J1411', '2023-03-01'), 'beforeAdded'],
  ])('invalid: %s', (_name, claim, key) => expect(outcome(id, [claim])).toEqual({ fail: [key] }));

  it('says when the termination date is inferred', () => {
    const [finding] = check(id, [line('J1444', '2026-01-15')]).findings;
    expect(finding!.data).toMatchObject({ terminated: '2025-12-31', inferred: ' (inferred from OPPS Addendum B, not verified)' });
  });

  it('is not checked without a date or for a code outside the pack', () => {
    expect(check(id, [line('J1410', null as unknown as string)]).notChecked.map((n) => n.reason)).toEqual(['no service date on the line or the claim, and no --as-of']);
    expect(check(id, [line('J1550', '2025-01-01')]).notChecked.map((n) => n.reason)).toEqual(['J1550 is not in the reference pack']);
    expect(outcome(id, [line('J1444', null as unknown as string)], {}, '2026-02-01')).toEqual({ fail: ['afterTerminated'] });
  });
});
