// The reference pack built from the real CMS files in ../shared/reference-data (never copied
// into this repository): the committed default pack is exactly what the builder makes of them,
// each file is recognised by its content, and the pack's figures are the files' figures.
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPack, listFiles, readCmsFiles, serializePack } from '../../src/reference/build.js';
import { quarterFromTitle, type CmsFile } from '../../src/reference/cms-files.js';
import { billingUnitOn, codeOn, paymentOn, priceOn } from '../../src/reference/pack.js';
import { quarterStart } from '../../src/reference/quarters.js';
import type { Pack } from '../../src/reference/schema.js';
import { Pack as PackSchema } from '../../src/reference/schema.js';
import { REFERENCE_DIR } from '../support/corpus.js';

const committed = readFileSync(fileURLToPath(new URL('../../src/reference/default-pack.json', import.meta.url)), 'utf8');

let files: CmsFile[];
let pack: Pack;

beforeAll(() => {
  files = readCmsFiles([REFERENCE_DIR]);
  pack = buildPack(files).pack;
}, 60_000);

describe('claim-audit pack build ../shared/reference-data', () => {
  it('reproduces the committed default pack byte for byte, and it validates against the schema', () => {
    expect(serializePack(pack)).toBe(committed);
    expect(() => PackSchema.parse(JSON.parse(committed))).not.toThrow();
  });

  it('says per file what it is, its quarter and how that was known, and what was used', () => {
    const by = (name: string) => files.find((f) => f.report.file.split('/').at(-1) === name)!.report;
    expect(by('asp-pricing_2026-01.csv')).toMatchObject({ kind: 'asp-pricing', quarter: '2026Q1', quarterBasis: 'title', rowsRead: 877, rowsUsed: 877, rowsRejected: 0, note: '1 code without a payment limit (N/A): billing unit only' });
    expect(by('asp-ndc-hcpcs-crosswalk_2025-01.csv')).toMatchObject({ kind: 'asp-crosswalk', quarter: '2025Q1', quarterBasis: 'title' });
    expect(Object.keys(by('asp-ndc-hcpcs-crosswalk_2025-01.csv').rejected).sort()).toEqual(['NDC2 holds a product number, not an NDC', 'NDC2 is not an 11-digit NDC (a UPC, a GTIN or a short number)']);
    // The Level II extracts state no quarter: their K/G rates are the ASP limits of one quarter.
    expect(by('OPPS_AddendumB_2024-12-31_Level2only.csv')).toMatchObject({ kind: 'opps-addendum-b', quarter: '2025Q1', quarterBasis: 'inferred' });
    expect(by('OPPS_AddendumB_2024-04-24_Level2only.csv')).toMatchObject({ quarter: '2024Q1', quarterBasis: 'inferred' });
    expect(by('OPPS_AddendumB_2025-06-26_Level2only.csv')).toMatchObject({ quarter: '2025Q3' });
    expect(by('OPPS_AddendumB_2025-10-31_Level2only.csv')).toMatchObject({ quarter: '2025Q4' });
    expect(by('OPPS_AddendumB_2026-04_Level2only.csv')).toMatchObject({ kind: 'opps-addendum-b', quarter: '2026Q2', quarterBasis: 'column' });
    expect(by('HCPC2020_OCT_anweb.csv')).toMatchObject({ kind: 'hcpcs' });
    expect(by('opps_addb_history_target_codes.csv')).toMatchObject({ kind: 'opps-addendum-b-history' });
    // Files it cannot place are listed with the reason, never used.
    for (const name of ['OPPS_status_indicators_softek.csv', 'target_codes.csv', 'PROVENANCE.md', 'HCPC2019_README.txt']) {
      expect(by(name)).toMatchObject({ kind: 'unknown', rowsUsed: 0 });
      expect(by(name).note).toMatch(/^no header of a CMS file this builder knows/);
    }
    expect(pack.sourceFiles.map((f) => f.file)).not.toContain('target_codes.csv');
    // The files of issue 28: each kind by its title and header, with its date where it has one.
    expect(by('asp-pricing_2026-10.csv')).toMatchObject({ kind: 'asp-pricing', quarter: '2026Q4', quarterBasis: 'title', rowsUsed: 886, rowsRejected: 0 });
    expect(by('cms-jw-jz-policy-hcpcs_2025-06-20.csv')).toMatchObject({ kind: 'jwjz-list', date: '2025-06-20', rowsRead: 438, rowsUsed: 438, rowsRejected: 0 });
    expect(by('mue-practitioner_2026-10_level2.csv')).toMatchObject({ kind: 'mue', date: '2026-10-01', quarter: '2026Q4', rowsUsed: 4549 });
    expect(by('mue-outpatient-hospital_2026-10_level2.csv')).toMatchObject({ kind: 'mue', date: '2026-10-01', rowsUsed: 4500 });
    expect(by('mue-dme_2026-10_level2.csv')).toMatchObject({ kind: 'mue', date: '2026-10-01', rowsUsed: 3109 });
    expect(by('ab-mac-jurisdictions.csv')).toMatchObject({ kind: 'mac-jurisdictions', rowsUsed: 12 });
    expect(by('sad-exclusions_partial.csv')).toMatchObject({ kind: 'sad-list', rowsUsed: 38 });
    expect(by('articles.csv')).toMatchObject({ kind: 'mcd-articles', rowsUsed: 88 });
    expect(by('article_hcpcs.csv')).toMatchObject({ kind: 'mcd-hcpcs', rowsUsed: 700 });
    expect(by('article_paragraphs.csv')).toMatchObject({ kind: 'mcd-paragraphs', rowsUsed: 596 });
    // The two ICD-10 tables share a header: the one of more articles is the covered list.
    expect(by('article_icd10_covered.csv')).toMatchObject({ kind: 'mcd-icd10', rowsUsed: 44933, note: expect.stringMatching(/taken as the covered list/) });
    expect(by('article_icd10_noncovered.csv')).toMatchObject({ kind: 'mcd-icd10', rowsUsed: 134, note: expect.stringMatching(/taken as the non-covered list/) });
  });

  it('merges the policy facts into the pack: JW/JZ list, MUE by setting and date, MACs, articles, SAD lists', () => {
    expect(Object.values(pack.codes).filter((c) => c.jwJz !== null)).toHaveLength(438);
    expect(pack.codes.J9299!.jwJz).toEqual({ list: '2025-06-20', source: 'cms-jwjz-2025-06-20' });
    expect(pack.codes.J9299!.mue).toContainEqual({ setting: 'practitioner', from: '2026-10-01', value: 480, mai: 3, rationale: 'Prescribing Information', source: 'cms-mue-practitioner-2026-10-01' });
    expect(pack.macs.map((m) => m.jurisdiction)).toEqual(['J15', 'J5', 'J6', 'J8', 'JE', 'JF', 'JH', 'JJ', 'JK', 'JL', 'JM', 'JN']);
    expect(Object.keys(pack.articles)).toHaveLength(88);
    // Every article binds the jurisdictions of its contractor (Wellpoint Federal is NGS since 2025).
    expect(Object.values(pack.articles).filter((a) => a.jurisdictions.length === 0).map((a) => a.id)).toEqual([]);
    expect(pack.articles.A52399).toMatchObject({ contractor: 'Wellpoint Federal', jurisdictions: ['J6', 'JK'], version: 75 });
    expect(Object.keys(pack.sadLists)).toHaveLength(8);
    expect(Object.values(pack.sadLists).every((l) => !l.complete)).toBe(true);
    // October 2026 payment limits.
    expect(paymentOn(pack.codes.J9299!, '2026-11-15', 'professional')).toMatchObject({ quarter: '2026Q4', paymentPerUnit: 34.191, exact: true });
  });

  it('sweep: every MUE row of every table, every code of the JW/JZ list and every covered ICD-10 code of every article is in the pack', () => {
    let checked = 0;
    for (const file of files) {
      if (file.kind === 'mue') {
        for (const row of file.rows) {
          const code = pack.codes[row.hcpcs];
          if (!code) continue;
          expect(code.mue, `${row.hcpcs} ${file.setting}`).toContainEqual(expect.objectContaining({ setting: file.setting, from: file.report.date, value: row.value, mai: row.mai }));
          checked++;
        }
      } else if (file.kind === 'jwjz-list') {
        for (const hcpcs of file.codes) expect(pack.codes[hcpcs]?.jwJz?.list, hcpcs).toBe(file.listDate);
        checked += file.codes.length;
      } else if (file.kind === 'mcd-icd10' && file.covered) {
        for (const row of file.rows) {
          expect(pack.articles[row.article]?.covered[String(row.group)], `${row.article} ${row.group} ${row.code}`).toContain(row.code);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(40_000);
  });

  it('recognises files by content, never by name: renamed and shuffled, the same pack', () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-pack-'));
    const names = listFiles([REFERENCE_DIR]).filter((f) => !/README|PROVENANCE|^target_codes|status_indicators/.test(f.display));
    // Reverse the order the files are read in, and give each a meaningless name.
    names.reverse().forEach((f, i) => copyFileSync(f.path, join(dir, `${String(i).padStart(2, '0')}-${(i * 7919) % 1000}.csv`)));
    const renamed = buildPack(readCmsFiles([dir])).pack;
    const strip = (p: Pack) => ({ ...p, sourceFiles: p.sourceFiles.map(({ file: _file, ...rest }) => rest).sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1)), sources: p.sources.map(({ file: _file, ...rest }) => rest) });
    expect(strip(renamed)).toEqual(strip(pack));
  }, 60_000);

  it('an Addendum B extract without its quarter and without ASP files to match is listed, not used', () => {
    const alone = readCmsFiles([join(REFERENCE_DIR, 'opps', 'OPPS_AddendumB_2025-06-26_Level2only.csv')]);
    expect(alone[0]!.report).toMatchObject({ kind: 'unknown' });
    expect(alone[0]!.report.note).toMatch(/states no quarter/);
  });

  it('reads the quarter from the titles CMS writes', () => {
    expect(quarterFromTitle('Payment Allowance Limits for Medicare Part B Drugs "Effective January 1, 2026 through March 31, 2026"')).toBe('2026Q1');
    expect(quarterFromTitle('Medicare Part B Payment Limit File Effective April 1, 2026 through June 30, 2026')).toBe('2026Q2');
    expect(quarterFromTitle('January 2025 ASP NDC - HCPCS Crosswalk      Effective January 1, 2025 through March 31, 2025')).toBe('2025Q1');
    expect(quarterFromTitle('Addendum B.–Final OPPS Payment by HCPCS Code for CY 2026 (October 2026)')).toBe('2026Q4');
    expect(quarterFromTitle('no date here')).toBeNull();
  });
});

describe('the figures of the CMS files', () => {
  it('pins J9299, J9271, J7321 and J9298', () => {
    const code = (hcpcs: string) => pack.codes[hcpcs]!;
    expect(paymentOn(code('J9299'), '2025-02-14', 'professional')).toMatchObject({ basis: 'asp', quarter: '2025Q1', paymentPerUnit: 32.296, exact: true });
    expect(billingUnitOn(code('J9299'), '2025-02-14')).toMatchObject({ amount: 1, unit: 'mg', text: '1 MG' });
    expect(paymentOn(code('J9271'), '2025-01-01', 'professional')).toMatchObject({ paymentPerUnit: 57.603 });
    expect(paymentOn(code('J7321'), '2025-03-31', 'professional')).toMatchObject({ basis: 'asp', paymentPerUnit: 73.026 });
    expect(billingUnitOn(code('J7321'), '2025-03-31')).toMatchObject({ amount: 1, unit: 'dose' });
    // Packaged under OPPS, paid in the office.
    expect(priceOn(code('J7321'), '2025-02-01')!.price).toMatchObject({ quarter: '2025Q1', statusIndicator: 'N', paymentPerUnit: null });
    expect(paymentOn(code('J7321'), '2025-02-01', 'outpatient-hospital')).toMatchObject({ basis: 'opps', statusIndicator: 'N', paymentPerUnit: null });
    // J9298 is not in the 2020 HCPCS file; the ASP files list it from their first quarter, 2024Q1: in force before it, since when not known.
    expect(codeOn(pack, 'J9298', '2024-03-01').kind).toBe('in-force');
    expect(codeOn(pack, 'J9298', '2023-03-01').kind).toBe('in-force');
    expect(code('J9298').added).toMatchObject({ value: null, confidence: 'inferred' });
  });

  it('pins the crosswalk rows of Opdivo 240 mg, Fresenius glucagon and ketorolac', () => {
    expect(pack.ndcs['00003373413']).toEqual([expect.objectContaining({ hcpcs: 'J9299', from: '2024Q1', to: '2026Q1', drugName: 'Opdivo', packageSize: 24, packageQuantity: 1, billingUnitsPerItem: 240, billingUnitsPerPackage: 240 })]);
    expect(pack.ndcs['63323058282']).toEqual([expect.objectContaining({ hcpcs: 'J1611', packageSize: 1, billingUnitsPerItem: 1, billingUnitsPerPackage: 1 })]);
    expect(pack.ndcs['00404999601']).toEqual([expect.objectContaining({ hcpcs: 'J1885', packageSize: 1, billingUnitsPerItem: 2, billingUnitsPerPackage: 2 })]);
  });

  it('sweep: for every code of every ASP file, the professional price in that quarter is the file\u2019s payment limit', () => {
    let checked = 0;
    for (const file of files) {
      if (file.kind !== 'asp-pricing') continue;
      const quarter = file.report.quarter!;
      const inside = `${quarterStart(quarter).slice(0, 8)}15`;
      for (const row of file.rows) {
        if (row.paymentLimit === null) continue;
        const found = paymentOn(pack.codes[row.hcpcs]!, inside, 'professional');
        expect(found, `${row.hcpcs} ${quarter}`).toMatchObject({ basis: 'asp', quarter, paymentPerUnit: row.paymentLimit, exact: true });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(8000);
  });

  it('sweep: the crosswalk of every quarter is in the pack, row for row', () => {
    let checked = 0;
    for (const file of files) {
      if (file.kind !== 'asp-crosswalk') continue;
      const quarter = file.report.quarter!;
      for (const row of file.rows) {
        const listing = pack.ndcs[row.ndc]?.find((l) => l.hcpcs === row.hcpcs && l.from <= quarter && quarter <= l.to);
        expect(listing, `${row.ndc} ${row.hcpcs} ${quarter}`).toMatchObject({ packageSize: row.packageSize, packageQuantity: row.packageQuantity, billingUnitsPerItem: row.billingUnitsPerItem, billingUnitsPerPackage: row.billingUnitsPerPackage });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50_000);
  });

  it('every code of the ASP files is in the pack, and the old 20 are still the covered set', () => {
    const raw = parse(readFileSync(join(REFERENCE_DIR, 'asp', 'asp-pricing_2025-10.csv'), 'latin1'), { relax_column_count: true }) as string[][];
    const codes = raw.slice(9).map((r) => r[0]!.trim()).filter((c) => c !== '');
    for (const c of codes) expect(pack.codes[c], c).toBeDefined();
    expect(Object.values(pack.codes).filter((c) => c.covered)).toHaveLength(20);
  });
});
