import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { articleCodes, coveredCodes } from '../../src/reference/index.js';
import { loadCrosswalk, loadMue } from '../../src/reference/overlays.js';
import { billingUnitOn, codeOn, containerFor, defaultPackWithHash, loadDefaultPack, mergePack, modifierOn, PackError, packHash, parsePack, paymentOn, priceOn } from '../../src/reference/pack.js';
import { applyProfile, DEFAULT_POLICIES, loadProfile } from '../../src/reference/profiles.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const pack = loadDefaultPack();
const clone = () => JSON.parse(JSON.stringify(pack)) as Record<string, any>;

describe('the default pack', () => {
  it('passes its strict schema and covers the DOMAIN.md codes', () => {
    expect(() => parsePack(clone(), 'copy')).not.toThrow();
    expect(articleCodes(pack).size).toBe(20);
    expect(coveredCodes(pack).size).toBeGreaterThan(1000);
  });

  it('names a listed source for every sourced value', () => {
    const ids = new Set(pack.sources.map((s) => s.id));
    const missing: string[] = [];
    const visit = (value: unknown, path: string) => {
      if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${path}[${i}]`));
      else if (value && typeof value === 'object') {
        for (const [key, child] of Object.entries(value)) {
          if (key === 'source' && typeof child === 'string' && !ids.has(child)) missing.push(`${path}: ${child}`);
          visit(child, `${path}.${key}`);
        }
      }
    };
    visit(pack.codes, 'codes');
    visit(pack.modifiers, 'modifiers');
    visit(pack.ndcs, 'ndcs');
    expect(missing).toEqual([]);
  });

  it('is CMS-true where the articles were wrong, and says where it is not CMS', () => {
    expect(pack.codes.J1410!.longDescriptor.value).toBe('Injection, estrogen conjugated, per 25 mg');
    expect(pack.codes.J1444!.billingUnit).toMatchObject({ amount: 0.1, unit: 'mg of iron' });
    expect(pack.codes.J1411!.longDescriptor).toMatchObject({ confidence: 'secondary', source: 'secondary-web' });
    expect(pack.codes.J1611!.added).toMatchObject({ value: '2023-01-01', confidence: 'inferred' });
    expect(pack.codes.J1444!.terminated).toMatchObject({ value: '2025-12-31', confidence: 'inferred' });
    expect(pack.codes.J9355!.container.value).toBe('unknown');
    expect(pack.codes.J1459!.container.value).toBe('unknown');
    expect(pack.codes.J1324!.selfAdministered.value).toBe(true);
    expect(pack.modifiers.MX).toBeUndefined();
    expect(pack.modifiers['25']).toMatchObject({ descriptor: null, category: 'procedure' });
  });
});

describe('schema errors say where and what', () => {
  const rejects = (mutate: (p: Record<string, any>) => void) => {
    const broken = clone();
    mutate(broken);
    try {
      parsePack(broken, 'my-pack.json');
    } catch (error) {
      expect(error).toBeInstanceOf(PackError);
      return (error as Error).message;
    }
    throw new Error('accepted a broken pack');
  };

  it.each([
    ['a typo in a key', (p: any) => (p.codes.J9299.containr = p.codes.J9299.container), /codes\.J9299: Unrecognized key: "containr"/],
    ['a date that is not a date', (p: any) => (p.codes.J1410.added.value = '1982/01/01'), /codes\.J1410\.added\.value: expected YYYY-MM-DD \(got "1982\/01\/01"\)/],
    ['a negative billing unit', (p: any) => (p.codes.J1410.billingUnit.amount = -25), /codes\.J1410\.billingUnit\.amount: .*(>0|positive)/i],
    ['an unknown container', (p: any) => (p.codes.J9299.container.value = 'vial'), /codes\.J9299\.container\.value: .*single-dose/],
    ['a quarter that is not a quarter', (p: any) => (p.codes.J9299.prices[0].quarter = '2025-1'), /codes\.J9299\.prices\.0\.quarter: expected a quarter like 2026Q2/],
    ['a wrong format', (p: any) => (p.format = 'other'), /format: /],
  ])('%s', (_name, mutate, message) => {
    expect(rejects(mutate)).toMatch(/^my-pack\.json: /);
    expect(rejects(mutate)).toMatch(message);
  });
});

describe('overlays (--pack)', () => {
  it('replace the fields they name, add complete codes, and change the version and hash', () => {
    const extra = { ...clone().codes.J9299, hcpcs: 'J9298', covered: true, prices: [] };
    const merged = mergePack(pack, { format: 'claim-audit-pack', formatVersion: 2, version: 'site-1', codes: { J9299: { container: { value: 'multi-dose', source: 'site', confidence: 'inferred' } }, J9298: extra }, sources: [{ id: 'site', title: 'our formulary' }] }, 'site.json');
    expect(merged.codes.J9299!.container.value).toBe('multi-dose');
    expect(merged.codes.J9299!.prices).toEqual(pack.codes.J9299!.prices);
    expect(merged.codes.J9298!.covered).toBe(true);
    expect(merged.version).toBe(`${pack.version}+site-1`);
    expect(packHash(merged)).not.toBe(packHash(pack));
    expect(pack.codes.J9299!.container.value).toBe('single-dose');
  });

  it('reject an incomplete new code with its path', () => {
    expect(() => mergePack(pack, { format: 'claim-audit-pack', formatVersion: 2, version: 'x', codes: { J0001: { hcpcs: 'J0001' } } }, 'site.json')).toThrow(/site\.json \(merged over the default pack\): codes\.J0001\.covered/);
  });

  it('reject unknown keys in the overlay itself', () => {
    expect(() => mergePack(pack, { format: 'claim-audit-pack', formatVersion: 2, version: 'x', code: {} }, 'site.json')).toThrow(/Unrecognized key: "code"/);
  });
});

describe('lookups by date of service', () => {
  it.each([
    ['J9177', '2020-06-30', 'before-added'],
    ['J9177', '2020-07-01', 'in-force'],
    ['J1444', '2025-12-31', 'in-force'],
    ['J1444', '2026-01-01', 'after-terminated'],
    ['J1550', '2025-01-01', 'not-in-pack'],
  ])('%s on %s is %s', (hcpcs, date, kind) => {
    expect(codeOn(pack, hcpcs, date).kind).toBe(kind);
  });

  it('the hash of the committed file is the pack hash (computed from the bytes read, not by serialising again)', () => {
    expect(defaultPackWithHash().hash).toBe(packHash(pack));
  });

  it('the payment basis follows the claim: ASP limit on professional claims, OPPS rate on 837I', () => {
    expect(paymentOn(pack.codes.J9299!, '2025-03-31', 'professional')).toMatchObject({ basis: 'asp', quarter: '2025Q1', paymentPerUnit: 32.296, statusIndicator: null, exact: true });
    expect(paymentOn(pack.codes.J9299!, '2025-04-01', 'outpatient-hospital')).toMatchObject({ basis: 'opps', quarter: '2025Q2', statusIndicator: 'K' });
    // After the last ASP file: the latest limit, saying so.
    expect(paymentOn(pack.codes.J9299!, '2026-05-01', 'professional')).toMatchObject({ quarter: '2026Q1', exact: false, note: 'no ASP payment limit for J9299 in 2026Q2; the 2026Q1 limit was used' });
    // Before the first ASP file, and a code no ASP file prices (OPPS status E1): none.
    expect(paymentOn(pack.codes.J9299!, '2023-12-31', 'professional')).toBeNull();
    expect(paymentOn(pack.codes.J1324!, '2025-03-14', 'professional')).toBeNull();
  });

  it('the billing unit of the service quarter comes from the ASP file, else the descriptor', () => {
    expect(billingUnitOn(pack.codes.J1459!, '2025-05-01')).toEqual({ amount: 500, unit: 'mg', text: '500 MG', quarter: '2024Q1' });
    expect(billingUnitOn(pack.codes.J1459!, '2021-05-01')).toMatchObject({ amount: 500, unit: 'mg' });
    expect(billingUnitOn(pack.codes.J1444!, '2025-05-01')).toMatchObject({ amount: 0.1, unit: 'mg of iron', quarter: null });
    // A combination dosage (3 mg nivolumab / 1 mg relatlimab) is no unit to compute with.
    expect(billingUnitOn(pack.codes.J9298!, '2025-05-01')).toBeNull();
  });

  it('a code a CMS file lists in the quarter is in force then', () => {
    expect(codeOn(pack, 'J9298', '2024-03-01').kind).toBe('in-force');
    // Listed from the first quarter of the files given: in force before it, since when not known.
    expect(codeOn(pack, 'J9298', '2023-12-31').kind).toBe('in-force');
    expect(codeOn(pack, 'J1411', '2023-03-31').kind).toBe('before-added');
  });

  it('a termination inferred from Addendum B says so', () => {
    expect(codeOn(pack, 'J1444', '2026-01-01')).toMatchObject({ kind: 'after-terminated', terminated: '2025-12-31', inferred: true });
  });

  it.each([
    ['2025-03-31', '2025Q1', 32.296, true],
    ['2025-04-01', '2025Q2', 32.3, true],
    ['2026-06-30', '2026Q2', 33.624, true],
    ['2022-05-01', '2021Q4', 28.863, false],
    ['2027-01-15', '2026Q2', 33.624, false],
  ])('J9299 on %s is priced from %s at %s (exact %s)', (date, quarter, rate, exact) => {
    const found = priceOn(pack.codes.J9299!, date)!;
    expect([found.price.quarter, found.price.paymentPerUnit, found.exact]).toEqual([quarter, rate, exact]);
    if (!exact) expect(found.note).toMatch(/no Addendum B for J9299 in \d{4}Q\d; the \d{4}Q\d rate/);
  });

  it('before the first quarter there is no price, and a status without a rate has a null rate', () => {
    expect(priceOn(pack.codes.J9299!, '2019-12-31')).toBeNull();
    expect(priceOn(pack.codes.J1324!, '2025-03-14')!.price).toMatchObject({ statusIndicator: 'E2', paymentPerUnit: null });
  });

  it.each([
    ['JZ', '2022-06-30', 'before-added'],
    ['JZ', '2023-01-01', 'valid'],
    ['JW', '2025-01-01', 'valid'],
    ['MX', '2025-01-01', 'unknown'],
    ['59', '2025-01-01', 'valid'],
  ])('modifier %s on %s is %s', (code, date, kind) => {
    expect(modifierOn(pack, code, date).kind).toBe(kind);
  });

  it('the container follows the NDC where the pack knows the package', () => {
    expect(containerFor(pack.codes.J9355!, '50242013468')).toEqual({ value: 'multi-dose', basis: 'package', source: 'label-herceptin', listDate: null });
    // No label fact for the vial: trastuzumab is on CMS's JW/JZ list, so single-dose.
    expect(containerFor(pack.codes.J9355!, null)).toEqual({ value: 'single-dose', basis: 'jwjz-list', source: 'cms-jwjz-2025-06-20', listDate: '2025-06-20' });
    expect(containerFor(pack.codes.J9299!, '00003373413')).toEqual({ value: 'single-dose', basis: 'package', source: 'label-opdivo', listDate: null });
    // On neither: unknown (an absence from CMS's list is not multi-dose).
    expect(containerFor(pack.codes.J2350!, null)).toEqual({ value: 'unknown', basis: 'unknown', source: null, listDate: null });
  });
});

describe('CMS-format files', () => {
  it('MUE: title lines skipped, MAI read from its text, bad rows counted with their row number', () => {
    const mue = loadMue(fixture('mue-practitioner.csv'));
    expect(mue.kind).toBe('practitioner');
    expect(Object.fromEntries([...mue.entries].map(([k, v]) => [k, [v.value, v.mai]]))).toEqual({ J9299: [480, 3], J1459: [70, 3], J1411: [1, 2], J1410: [3, 1] });
    expect(mue.rowsRejected).toBe(1);
    expect(mue.problems).toEqual(['1 row: MUE value not a whole number']);
  });

  it('NDC crosswalk: NDCs normalised to 11 digits, an ambiguous 10-digit NDC rejected', () => {
    const crosswalk = loadCrosswalk(fixture('asp-ndc-hcpcs-crosswalk.csv'));
    expect([...crosswalk.byCode.get('J9299')!.keys()]).toEqual(['00003373413', '00003377412']);
    expect(crosswalk.byCode.get('J1459')!.get('44206043710')).toMatchObject({ drugName: 'Privigen', billUnitsPerPackage: 20 });
    expect(crosswalk.rowsRejected).toBe(1);
    expect(crosswalk.problems[0]).toMatch(/ambiguous-10-digit/);
  });

  it('a file that is not the format says so', () => {
    expect(() => loadMue(fixture('asp-ndc-hcpcs-crosswalk.csv'))).toThrow(/: not an MUE table \(.*\); it needs a header with "HCPCS\/CPT Code" and "… MUE Values" columns/);
  });

  it('profiles: * first, then the class; defaults kept where silent', () => {
    const policies = applyProfile(DEFAULT_POLICIES, loadProfile(fixture('profile-strict-medicaid.json')));
    expect(policies.medicaid).toMatchObject({ jwJzRequired: true, ndcRequired: 'error', priorAuthorization: { severity: 'error', codes: ['J1459'] }, rules: { 'modifier-not-valid-for-drug': 'error' } });
    expect(policies.commercial.ndcRequired).toBe('off');
    expect(policies.commercial.priorAuthorization.severity).toBe('warning');
    expect(policies.medicare).toMatchObject({ jwJzRequired: true, rules: { 'modifier-not-valid-for-drug': 'error' } });
    expect(DEFAULT_POLICIES.medicare.rules).toEqual({});
  });
});
