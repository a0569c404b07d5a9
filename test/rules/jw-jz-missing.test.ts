import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadReference } from '../../src/reference/index.js';
import { check, keys, type ClaimSpec } from '../support/rule-tester.js';

const id = 'jw-jz-missing';
const nivolumab = (modifiers: string[], date = '2025-03-11', payerClass: ClaimSpec['payerClass'] = 'medicare'): ClaimSpec => ({ payerClass, lines: [{ modifiers, date }] });

describe(id, () => {
  it.each([
    ['JZ on the line', nivolumab(['JZ'])],
    ['JW on a second line of the same drug and date', { lines: [{ modifiers: [], units: 200 }, { modifiers: ['JW'], units: 40 }] }],
    ['before 2023-07-01', nivolumab([], '2023-06-30')],
    ['a payer class that does not require it (commercial)', nivolumab([], '2025-03-11', 'commercial')],
    ['Medicare Advantage (not required by default)', nivolumab([], '2025-03-11', 'medicare-advantage')],
    // Settings where drugs are not separately paid (DOMAIN.md, section 10): the rule does not apply.
    ['an inpatient claim (bill type 11x)', { ...nivolumab([]), claimType: 'institutional' as const, facilityCode: '11' }],
    ['an RHC claim (71x)', { ...nivolumab([]), claimType: 'institutional' as const, facilityCode: '71' }],
    ['an FQHC claim (77x)', { ...nivolumab([]), claimType: 'institutional' as const, facilityCode: '77' }],
    ['an ESRD facility claim (72x)', { ...nivolumab([]), claimType: 'institutional' as const, facilityCode: '72' }],
  ])('valid: %s', (_name, claim) => expect(keys(id, [claim])).toEqual([]));

  it.each([
    ['no modifier on a single-dose drug', nivolumab([])],
    ['RT is not JW/JZ', nivolumab(['RT'])],
    ['on 2023-07-01', nivolumab([], '2023-07-01')],
    ['a hospital outpatient claim (13x)', { ...nivolumab([]), claimType: 'institutional' as const, facilityCode: '13' }],
    ['a critical access hospital claim (85x: included)', { ...nivolumab([]), claimType: 'institutional' as const, facilityCode: '85' }],
  ])('invalid: %s', (_name, claim) => expect(keys(id, [claim])).toEqual(['missing']));

  it('one finding per drug and date, with the unverified denial code lowering confidence', () => {
    const result = check(id, [{ lines: [{ modifiers: [], units: 200 }, { modifiers: [], units: 40 }] }]);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]!.remediation).toBe('add JZ if nothing was discarded, or bill the discarded amount on its own line with JW');
  });

  it('Medicare Advantage follows its profile: a plan that requires JW/JZ gets the finding', () => {
    const profile = join(mkdtempSync(join(tmpdir(), 'claim-audit-profile-')), 'profile.json');
    writeFileSync(profile, JSON.stringify({ payerClasses: { 'medicare-advantage': { jwJzRequired: true } } }));
    expect(keys(id, [nivolumab([], '2025-03-11', 'medicare-advantage')], { profile })).toEqual(['missing']);
  });

  it('a returned claim: the dollars are the payment delayed, in the returned category', () => {
    const [f] = check(id, [nivolumab([])]).findings;
    expect(f).toMatchObject({ category: 'returned', dollars: 7751.04 });
  });

  it('is not checked when the container is unknown', () => {
    expect(check(id, [{ lines: [{ hcpcs: 'J1459', modifiers: [], ndc: '44206043710' }] }]).notChecked[0]!.reason).toBe('container of J1459 unknown (label not checked)');
  });
});

describe(`${id}: only separately payable drugs`, () => {
  it('valid: a single-dose drug OPPS packages (status N) that quarter, on a hospital outpatient claim; invalid: the same in the office', () => {
    // A quarter where the pack's nivolumab row says N (made for the test, in this file's copy of the pack).
    const code = loadReference().pack.codes.J9299!;
    code.prices.push({ ...code.prices[code.prices.length - 1]!, quarter: '2031Q1', statusIndicator: 'N', paymentPerUnit: null });
    const packaged = (claimType: 'institutional' | 'professional'): ClaimSpec => ({ claimType, lines: [{ modifiers: [], date: '2031-02-03' }] });
    expect(keys(id, [packaged('institutional')])).toEqual([]);
    expect(keys(id, [packaged('professional')])).toEqual(['missing']);
  });
});
