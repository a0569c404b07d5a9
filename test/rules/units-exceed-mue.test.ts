import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadReference } from '../../src/reference/index.js';
import { check, WITH_DATA, outcome } from '../support/rule-tester.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

// MUE values come from test/fixtures/mue-practitioner.csv (made up for tests): J9299 480 MAI 3,
// J1411 1 MAI 2, J1410 3 MAI 1.
const id = 'units-exceed-mue';

describe(id, () => {
  // Issue 28, item 3: the CMS tables effective 2026-10-01 are in the pack; --mue overrides them.
  describe('by default, the CMS MUE tables in the pack (no --mue)', () => {
    it('a J-code over its 2026-10 practitioner MUE in November 2026 is found, with its MAI and rationale', () => {
      const result = check(id, [{ lines: [{ units: 500, date: '2026-11-05' }] }]);
      expect(result.findings.map((f) => [f.messageKey, f.severity, f.confidence, f.data.mue, f.data.mai, f.data.rationale])).toEqual([['day', 'warning', 'high', 480, 3, 'Prescribing Information']]);
      expect(result.findings[0]!.message).toBe('500 units of J9299 for this member on 2026-11-05 across 1 line of this provider; the practitioner MUE (table effective 2026-10-01) is 480 a day (MAI 3, Prescribing Information): every line of J9299 on claim C1 is denied');
      expect(result.findings[0]!.evidence).toMatchObject({ table: 'practitioner', effective: '2026-10-01', early: false, source: 'cms-mue-practitioner-2026-10-01' });
    });
    it('a service before the table\'s effective date, with no older table: found at lower confidence, naming the table\'s quarter', () => {
      const result = check(id, [{ lines: [{ units: 500, date: '2025-03-11' }] }]);
      expect(result.findings.map((f) => f.confidence)).toEqual(['medium']);
      expect(result.findings[0]!.message).toMatch(/; no table in force on the service date is known, so the 2026Q4 value was used$/);
    });
    it('within the MUE: nothing', () => expect(outcome(id, [{ lines: [{ units: 480, date: '2026-11-05' }] }])).toBe('pass'));
    it('an MAI 1 code of the pack: the line is denied whole', () => {
      // J3471 (hyaluronidase, ovine): practitioner MUE 999, MAI 1 (CMS table effective 2026-10-01).
      const result = check(id, [{ lines: [{ hcpcs: 'J3471', units: 1200, ndc: null, modifiers: [], date: '2026-11-05' }] }]);
      expect(result.findings.map((f) => [f.messageKey, f.severity, f.data.mai ?? 1])).toEqual([['line', 'error', 1]]);
    });
    it('a code the user\'s table does not list has no MUE there: nothing to check', () => {
      expect(check(id, [{ lines: [{ hcpcs: 'J1324', ndc: null, units: 5000 }] }], WITH_DATA)).toEqual({ findings: [], notChecked: [] });
    });
  });

  // Issue 29, item 6 (CMS MUE FAQ): MAI 2 and 3 deny every line of the code on the claim that crosses the limit; earlier claims stay paid and count.
  it('MAI 2/3: the claim whose units cross the daily MUE has every line of the code on the date denied; the earlier claim stays paid', () => {
    const result = check(id, [{ claimId: 'A', lines: [{ units: 240 }] }, { claimId: 'B', lines: [{ units: 200 }, { units: 100, modifiers: ['JW'] }] }], WITH_DATA);
    expect(result.findings.map((f) => [f.claimId, f.line, f.messageKey, f.data.total, f.dollars])).toEqual([
      ['B', 1, 'day', 540, 6459.2],
      ['B', 2, 'day', 540, 3229.6],
    ]);
  });

  it.each([
    ['one nivolumab line at the MUE', [{ lines: [{ units: 480 }] }]],
    ['two claims under the daily MUE', [{ claimId: 'A', lines: [{ units: 240 }] }, { claimId: 'B', lines: [{ units: 240, modifiers: ['JZ'] }] }]],
    ['same units on different days', [{ claimId: 'A', lines: [{ units: 480 }] }, { claimId: 'B', lines: [{ units: 480, date: '2025-03-12' }] }]],
    ['different members', [{ claimId: 'A', memberId: 'X', lines: [{ units: 480 }] }, { claimId: 'B', memberId: 'Y', lines: [{ units: 480 }] }]],
    // An MUE is per provider, beneficiary and date of service (DOMAIN.md, section 10).
    ['the same member and day at two billing providers', [{ claimId: 'A', lines: [{ units: 480 }] }, { claimId: 'B', billingNpi: '1111111112', lines: [{ units: 480 }] }]],
    // A blank billing NPI is not one provider: the rendering NPI stands for it (DOMAIN.md section 13).
    ['no billing NPI, two rendering providers', [{ claimId: 'A', billingNpi: null, renderingNpi: '1497758544', lines: [{ units: 480 }] }, { claimId: 'B', billingNpi: null, renderingNpi: '1003000126', lines: [{ units: 480 }] }]],
    ['no billing or rendering NPI: each claim alone', [{ claimId: 'A', billingNpi: null, lines: [{ units: 480 }] }, { claimId: 'B', billingNpi: null, lines: [{ units: 480 }] }]],
    ['conjugated estrogens at its per-line MUE', [{ lines: [{ hcpcs: 'J1410', units: 3, ndc: null, modifiers: [] }] }]],
  ])('valid: %s', (_name, claims) => expect(outcome(id, claims, WITH_DATA)).toBe('pass'));

  it('no billing NPI, the same rendering provider: summed as one provider\'s', () => {
    const claims = [{ claimId: 'A', billingNpi: null, renderingNpi: '1497758544', lines: [{ units: 480 }] }, { claimId: 'B', billingNpi: null, renderingNpi: '1497758544', lines: [{ units: 480 }] }];
    expect(outcome(id, claims, WITH_DATA)).toEqual({ fail: ['day'] });
  });

  // Issue 16: an original and its replacement were summed as if both were billed.
  describe('lineage: a replacement supersedes its original, a void withdraws it, before the units are summed', () => {
    it.each([
      ['a replacement with the same CLM01', [{ claimId: 'A', lines: [{ units: 480 }] }, { claimId: 'A', frequencyCode: '7', lines: [{ units: 480 }] }]],
      ['a replacement naming the original by REF*F8', [{ claimId: 'A', lines: [{ units: 480 }] }, { claimId: 'B', frequencyCode: '7', originalClaimRef: 'A', lines: [{ units: 480 }] }]],
      ['a void of one of two claims', [{ claimId: 'A', lines: [{ units: 480 }] }, { claimId: 'C', lines: [{ units: 240 }] }, { claimId: 'V', frequencyCode: '8', originalClaimRef: 'A', lines: [{ hcpcs: '96413', ndc: null, modifiers: [] }] }]],
    ])('valid: %s', (_name, claims) => expect(outcome(id, claims, WITH_DATA)).toBe('pass'));
    it('invalid: a replacement does not withdraw another provider\'s claim, nor a claim that comes after it', () => {
      const later = [{ claimId: 'B', frequencyCode: '7', originalClaimRef: 'A', lines: [{ units: 480 }] }, { claimId: 'A', lines: [{ units: 480 }] }];
      expect(outcome(id, later, WITH_DATA)).toEqual({ fail: ['day'] });
      const other = [{ claimId: 'A', lines: [{ units: 480 }] }, { claimId: 'C', lines: [{ units: 240 }] }, { claimId: 'V', billingNpi: '1111111112', frequencyCode: '8', originalClaimRef: 'A' }];
      expect(outcome(id, other, WITH_DATA)).toEqual({ fail: ['day'] });
    });
  });

  it('MAI 1: per line, an error', () => {
    const result = check(id, [{ lines: [{ hcpcs: 'J1410', units: 4, ndc: null, modifiers: [] }] }], WITH_DATA);
    expect(result.findings.map((f) => [f.messageKey, f.severity, f.data.mue])).toEqual([['line', 'error', 3]]);
  });

  it('MAI 3: summed per member, code and day across claims, a warning on the line that goes over', () => {
    const result = check(id, [{ claimId: 'A', lines: [{ units: 240 }] }, { claimId: 'B', lines: [{ units: 480 }] }], WITH_DATA);
    expect(result.findings.map((f) => [f.claimId, f.messageKey, f.severity, f.data.total])).toEqual([['B', 'day', 'warning', 720]]);
  });

  it('MAI 2: an error', () => {
    const result = check(id, [{ diagnoses: ['D67'], lines: [{ hcpcs: 'J1411', units: 2, ndc: null }] }], WITH_DATA);
    expect(result.findings.map((f) => [f.messageKey, f.severity])).toEqual([['day', 'error']]);
  });

  // Issue 14 item 5: one --mue table was applied to 837P and 837I alike.
  describe('by setting: the practitioner table for professional claims, the outpatient hospital table for 837I', () => {
    const both = { mue: [fixture('mue-practitioner.csv'), fixture('mue-outpatient.csv')] };
    it('each claim is held to its own setting\'s value', () => {
      // J9299: 480 a day for practitioners, 240 for outpatient hospitals (made-up values).
      expect(outcome(id, [{ lines: [{ units: 480 }] }], both)).toBe('pass');
      expect(check(id, [{ claimType: 'institutional', lines: [{ units: 480 }] }], both).findings.map((f) => [f.messageKey, f.data.mue])).toEqual([['day', 240]]);
      // J1410: 3 a line (practitioner), 2 a line (outpatient).
      expect(outcome(id, [{ lines: [{ hcpcs: 'J1410', units: 3, ndc: null, modifiers: [] }] }], both)).toBe('pass');
      expect(outcome(id, [{ claimType: 'institutional', lines: [{ hcpcs: 'J1410', units: 3, ndc: null, modifiers: [] }] }], both)).toEqual({ fail: ['line'] });
    });
    it('an 837I claim is held to the outpatient hospital table: the pack\'s, when --mue gives only the practitioner one', () => {
      expect(check(id, [{ claimType: 'institutional', lines: [{ units: 960 }] }], WITH_DATA).findings.map((f) => [f.messageKey, f.data.mue, f.data.table])).toEqual([['day', 480, 'outpatient hospital MUE (table effective 2026-10-01)']]);
    });
    it('a critical access hospital claim (85x) is held to the outpatient hospital table', () => {
      expect(check(id, [{ claimType: 'institutional', facilityCode: '85', lines: [{ units: 480 }] }], both).findings.map((f) => [f.messageKey, f.data.mue])).toEqual([['day', 240]]);
    });
    it('inpatient, RHC, FQHC and ESRD claims are not edited by MUEs: no finding, nothing to pass', () => {
      for (const facilityCode of ['11', '71', '77', '72']) {
        expect(check(id, [{ claimType: 'institutional', facilityCode, lines: [{ units: 960 }] }], both), facilityCode).toEqual({ findings: [], notChecked: [] });
      }
    });
    it('a table naming no setting, or two of one setting, is a configuration error', () => {
      expect(() => loadReference({ mue: [fixture('mue-no-setting.csv')] })).toThrow(/names no setting/);
      expect(() => loadReference({ mue: [fixture('mue-practitioner.csv'), fixture('mue-practitioner.csv')] })).toThrow(/both practitioner tables/);
    });
  });
});
