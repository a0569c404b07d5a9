// Conformance over every X12 file in ../shared/corpus/x12 (837, 835 and derived variants).
// Each file has a pinned expected outcome: envelopes, claims (read / audited / skipped /
// unparseable), the drug lines found with --codes all, and the ingest issue codes.
import { describe, expect, it } from 'vitest';
import { runAudit, type AuditResult } from '../../src/audit.js';
import { parseCodeSelection } from '../../src/ingest/select.js';
import { LineRecord, type Claim } from '../../src/model/index.js';
import { ingestFile } from '../../src/ingest/index.js';
import { join } from 'node:path';
import { loadReference } from '../../src/reference/index.js';
import { X12_DIR, x12CorpusFiles } from '../support/corpus.js';

interface Expected {
  interchanges: number;
  transactions: number;
  /** read, audited, skipped, unparseable */
  claims: [number, number, number, number];
  /** hcpcs/ndc of each drug line found with --codes all, in order ('-' for none). */
  drugLines: string[];
  errors: string[];
  warnings: string[];
  /** Rule ids of the findings, first occurrence order. */
  findings: string[];
}

const e = (interchanges: number, transactions: number, claims: Expected['claims'], drugLines: string[] = [], errors: string[] = [], warnings: string[] = [], findings: string[] = []): Expected => ({
  interchanges,
  transactions,
  claims,
  drugLines,
  errors,
  warnings,
  findings,
});

const INFUSION = ['J0696/00004196501', 'J7051/63323024910', 'J3490/00338004938', 'J3490/08290033010', 'J3490/08290038005'];

const EXPECTED: Record<string, Expected> = {
  'i01_hcc_ex_837_inpatient.txt': e(0, 0, [0, 0, 0, 0], [], ['missing-isa']),
  'i02_stedi_X223-institutional-claim.edi': e(1, 1, [1, 1, 0, 0]),
  'i03_stedi_X223-two-claims.edi': e(1, 1, [2, 2, 0, 0]),
  'i08_lfh_institutional-claim.837i': e(1, 1, [1, 1, 0, 0]),
  'i11_oop_837I_4010_Batch1.txt': e(1, 54, [54, 0, 54, 0]),
  'i12_oop_837I_4010_Example1.txt': e(1, 1, [1, 0, 1, 0]),
  'p01_stedi_X222-drug-administered-in-office.edi': e(1, 1, [1, 1, 0, 0], ['J1550/00026063512']),
  // 56 units of ceftriaxone (J0696) on one day: over the CMS practitioner MUE of 16 (MAI 3, the 2026-10 table used for a 2004 service, at lower confidence).
  'p02_stedi_X222-home-infusion-HCPCS-or-NDC.edi': e(1, 1, [1, 1, 0, 0], INFUSION, [], [], ['units-exceed-mue']),
  'p03_stedi_X222-home-infusion-NDC-only.edi': e(1, 1, [1, 1, 0, 0], ['S5001/00004196501', 'S5000/63323024910', 'S5000/00338004938', 'S5000/08290033010', 'S5000/08290038005']),
  'p06_stedi_X222-commercial.edi': e(1, 1, [1, 1, 0, 0]),
  'p07_lfh_demo.drug.example10.1.837': e(1, 1, [1, 1, 0, 0], ['J1550/00026063512']),
  'p08_lfh_demo.drug.example10.3.837': e(1, 1, [1, 1, 0, 0], INFUSION, [], [], ['units-exceed-mue']),
  'p09_lfh_demo.cob.example3.C.837': e(1, 1, [1, 1, 0, 0], ['J3301/-'], [], [], ['ndc-missing']),
  'p11_imsweb_different_separators.txt': e(1, 1, [2, 2, 0, 0], [], [], ['se-count-mismatch']),
  'p12_imsweb_multiple_isa.txt': e(2, 2, [4, 4, 0, 0], [], [], ['se-count-mismatch']),
  'p13_imsweb_multiple_gs.txt': e(1, 3, [6, 6, 0, 0], [], [], ['se-count-mismatch', 'iea-count-mismatch']),
  'p14_imsweb_bad_first_line.txt': e(1, 1, [2, 2, 0, 0], [], ['isa-field-width'], ['se-count-mismatch']),
  'p15_imsweb_no_isa_line.txt': e(0, 0, [0, 0, 0, 0], [], ['missing-isa']),
  'p16_imsweb_many_claims.txt': e(1, 1, [820, 820, 0, 0], [], [], ['se-count-mismatch']),
  'p17_imsweb_multiple_transactions.txt': e(312, 312, [624, 624, 0, 0], [], [], ['se-count-mismatch']),
  'p20_oop_Example1_2_And_3_Combined.txt': e(1, 2, [3, 3, 0, 0], ['J3301/-']),
  'p21_oop_837_DeIdent_01_4010.dat': e(1, 1, [143, 0, 143, 0], [], [], ['ge-control-mismatch', 'iea-control-mismatch']),
  'p22_hccinfhir_sample_837_0.txt': e(1, 5, [5, 5, 0, 0]),
  'p23_hccinfhir_sample_837_11.txt': e(1, 1, [1, 1, 0, 0], ['J1745/50242004001'], [], ['service-without-lx', 'ctp-unit-missing', 'se-count-mismatch'], ['diagnosis-pointer-invalid', 'ndc-quantity-missing', 'ndc-not-for-code', 'drug-without-administration']),
  'p25_hccinfhir_sample_837_5.txt': e(1, 1, [1, 1, 0, 0], [], [], ['service-segment-unexpected']),
  '835/r01_emedny_sample.txt': e(1, 1, [0, 0, 0, 0]),
  '835/r02_uhc_legacy_sample.txt': e(1, 1, [0, 0, 0, 0]),
  '835/r03_bcbsnc_sample.txt': e(0, 0, [0, 0, 0, 0], [], ['missing-isa']),
  '835/r04_stedi_X221-multiple-claims-single-check.edi': e(1, 1, [0, 0, 0, 0]),
  '835/r05_oop_835_WithMultipleInterchanges.txt': e(3, 3, [0, 0, 0, 0]),
  '835/r06_tastypackets_multi-line-not-delimited.edi': e(1, 1, [0, 0, 0, 0]),
  '835/r07_oop_835_DeIdent_01_4010.dat': e(1, 1, [0, 0, 0, 0]),
  '835/r08_lfh_managed-care.835': e(1, 1, [0, 0, 0, 0]),
  'derived/d01_p01_pipe-elem_gt-comp_crlf.edi': e(1, 1, [1, 1, 0, 0], ['J1550/00026063512'], [], ['component-separator-mismatch']),
  'derived/d02_p02_newline-terminator.edi': e(1, 1, [1, 1, 0, 0], INFUSION, [], [], ['units-exceed-mue']),
  // 85025 (a blood count) carries an NDC, but is no drug line: --codes all selects drug codes (issue 29 item 12).
  'derived/d03_i09_837I-drug_clean_lf.edi': e(1, 1, [1, 1, 0, 0], [], [], ['version-mismatch', 'se-count-mismatch']),
  'derived/d04_p02_truncated_70pct.edi': e(1, 1, [1, 0, 0, 1], [], ['truncated-segment', 'truncated', 'claim-unparseable']),
  'derived/d05_two_isa_different_delimiters.edi': e(2, 2, [3, 3, 0, 0], ['J1550/00026063512'], [], ['se-count-mismatch']),
};

const reference = loadReference();

async function audit(inputs: string[]): Promise<AuditResult> {
  return runAudit({
    inputs,
    cwd: X12_DIR,
    outDir: null,
    formats: ['json'],
    codes: parseCodeSelection('all', new Set()),
    reference,
    codesOption: 'all',
    asOf: null,
    concurrency: 2,
    failOn: 'error',
    phi: 'masked',
  });
}

describe('every corpus file has a pinned expectation', () => {
  it('and every expectation names a corpus file', () => {
    expect(x12CorpusFiles()).toEqual(Object.keys(EXPECTED).sort());
  });
});

describe.each(Object.entries(EXPECTED))('%s', (file, expected) => {
  it('yields the expected envelopes, claims, drug lines and issues', async () => {
    const result = await audit([file]);
    const [{ stats, lines }] = result.files as [AuditResult['files'][number]];
    expect([stats.interchanges, stats.transactions]).toEqual([expected.interchanges, expected.transactions]);
    expect([stats.claims.read, stats.claims.audited, stats.claims.skipped, stats.claims.unparseable]).toEqual(expected.claims);
    expect(stats.claims.read).toBe(stats.claims.audited + stats.claims.skipped + stats.claims.unparseable);
    expect(lines.map((l) => `${l.hcpcs}/${l.ndc ?? '-'}`)).toEqual(expected.drugLines);
    const codes = (severity: string) => [...new Set(stats.issues.filter((i) => i.severity === severity).map((i) => i.code))];
    expect(codes('error')).toEqual(expected.errors);
    expect(codes('warning')).toEqual(expected.warnings);
    for (const issue of stats.issues) {
      expect(issue.byteOffset, `${issue.code} has a byte offset`).toBeTypeOf('number');
      expect(issue.file).toBe(file);
    }
    for (const line of lines) expect(() => LineRecord.parse(line)).not.toThrow();
    expect([...new Set(result.findings.map((f) => f.ruleId))].sort()).toEqual([...expected.findings].sort());
    const errorFindings = result.findings.some((f) => f.severity === 'error');
    // No claim audited (4010 837s, 835s): exit 3, whatever else (issue 13).
    expect(result.exitCode).toBe(expected.errors.length > 0 || expected.claims[1] === 0 ? 3 : errorFindings ? 1 : 0);
    expect(result.nothingAudited !== null).toBe(expected.claims[1] === 0);
  });
});

describe('drug lines are read field by field', () => {
  const lineOf = async (file: string, hcpcs: string, n = 0) => (await audit([file])).files[0]!.lines.filter((l) => l.hcpcs === hcpcs)[n]!;

  it('J1550 with its NDC and ML quantity (TR3 drug example)', async () => {
    for (const file of ['p01_stedi_X222-drug-administered-in-office.edi', 'p07_lfh_demo.drug.example10.1.837', 'derived/d01_p01_pipe-elem_gt-comp_crlf.edi']) {
      expect(await lineOf(file, 'J1550')).toMatchObject({
        claimId: 'CLMNO12345',
        lineNumber: 2,
        modifiers: [],
        units: 1,
        unitBasis: 'UN',
        charge: 53.37,
        serviceDate: '2004-07-11',
        ndc: '00026063512',
        ndcQuantity: 10,
        ndcUnit: 'ML',
        payerClass: 'commercial',
        memberId: '****2345',
      });
    }
  });

  it('J0696, J7051 and J3490 with five LIN/CTP (home infusion)', async () => {
    const result = await audit(['p02_stedi_X222-home-infusion-HCPCS-or-NDC.edi']);
    expect(result.files[0]!.lines.map((l) => [l.lineNumber, l.hcpcs, l.units, l.charge, l.serviceDate, l.ndc, l.ndcQuantity, l.ndcUnit])).toEqual([
      [2, 'J0696', 56, 682.5, '2004-02-01', '00004196501', 7, 'UN'],
      [3, 'J7051', 28, 15.12, '2004-02-01', '63323024910', 14, 'UN'],
      [4, 'J3490', 7, 67.69, '2004-02-01', '00338004938', 7, 'UN'],
      [5, 'J3490', 14, 57.12, '2004-02-01', '08290033010', 14, 'UN'],
      [6, 'J3490', 7, 10.5, '2004-02-01', '08290038005', 7, 'UN'],
    ]);
  });

  it('J3301 on a COB claim', async () => {
    expect(await lineOf('p09_lfh_demo.cob.example3.C.837', 'J3301')).toMatchObject({ lineNumber: 3, units: 1, charge: 21.04, ndc: null, ndcQuantity: null });
  });

  it('J1745 with a CTP that has no unit (quantity read from CTP04)', async () => {
    expect(await lineOf('p23_hccinfhir_sample_837_11.txt', 'J1745')).toMatchObject({ lineNumber: 1, units: 2, charge: 150, serviceDate: '2023-05-15', ndc: '50242004001', ndcQuantity: 150, ndcUnit: null, payerClass: 'medicaid' });
  });

  it('the 837I SV2 line with LIN/CTP (read as a claim: 85025 is no drug line to audit)', async () => {
    const claims: Claim[] = [];
    await ingestFile(join(X12_DIR, 'derived/d03_i09_837I-drug_clean_lf.edi'), 'd03.edi', { onClaim: (c) => claims.push(c) });
    expect(claims[0]).toMatchObject({ claimType: 'institutional', payerClass: 'medicare' });
    expect(claims[0]!.lines[0]).toMatchObject({ lineNumber: 1, hcpcs: '85025', units: 1, charge: 13.39, serviceDate: '1996-09-11', drug: { ndc: '01234567891', quantity: 2, unit: 'UN' } });
  });
});

describe('a batch with malformed files', () => {
  it('reports each bad file with positions, exits 3, and still audits the rest', async () => {
    const files = ['p15_imsweb_no_isa_line.txt', 'p14_imsweb_bad_first_line.txt', 'derived/d04_p02_truncated_70pct.edi', 'p02_stedi_X222-home-infusion-HCPCS-or-NDC.edi', 'p01_stedi_X222-drug-administered-in-office.edi'];
    const result = await audit(files);
    expect(result.exitCode).toBe(3);
    expect(result.files.map((f) => f.stats.file)).toEqual(files);
    expect(result.files.map((f) => f.lines.length)).toEqual([0, 0, 0, 5, 1]);
    const errors = result.summary.ingestIssues.filter((i) => i.severity === 'error');
    expect(errors.map((i) => [i.file, i.code, i.byteOffset])).toEqual([
      ['p15_imsweb_no_isa_line.txt', 'missing-isa', 0],
      ['p14_imsweb_bad_first_line.txt', 'isa-field-width', 0],
      ['derived/d04_p02_truncated_70pct.edi', 'truncated-segment', 1277],
      ['derived/d04_p02_truncated_70pct.edi', 'truncated', 1290],
      ['derived/d04_p02_truncated_70pct.edi', 'claim-unparseable', 714],
    ]);
  });
});
