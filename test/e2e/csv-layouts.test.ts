import { createHash } from 'node:crypto';
// Every CSV layout claim-audit knows, from fixtures written for these tests: the layout is
// named, the columns mapped, the values normalised into the same Claim records as the 837
// reader's, and what a layout cannot carry is said instead of reported missing.
import { describe, expect, it } from 'vitest';
import { loadCsvProfile } from '../../src/ingest/csv/mapping.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvText, ingestCsvText } from '../support/csv.js';

const line = (claim: { lines: Array<{ hcpcs: string | null; modifiers: string[]; units: number | null; charge: number | null; serviceDate: string | null; drug: { ndc: string; quantity: number | null; unit: string | null } | null }> }, i = 0) => {
  const l = claim.lines[i]!;
  return { hcpcs: l.hcpcs, modifiers: l.modifiers, units: l.units, charge: l.charge, serviceDate: l.serviceDate, ndc: l.drug?.ndc ?? null, ndcQuantity: l.drug?.quantity ?? null, ndcUnit: l.drug?.unit ?? null };
};

describe('canonical long layout', () => {
  it('reads the template columns into claims, one per claim id, lines in order', async () => {
    const { claims, stats } = await ingestCsvText(
      'canonical.csv',
      csvText([
        'claim_id,line_number,member_id,payer_name,claim_filing_indicator,service_from_date,hcpcs,modifier_1,modifier_2,units,charge,ndc,ndc_quantity,ndc_unit,diagnosis_1,diagnosis_2,dx_pointers,prior_auth_number',
        'C1,1,M0001,MEDICARE,MB,2025-03-11,J9299,JZ,,240,8200.00,00003-3734-13,24,ML,C34.90,Z51.12,"1,2",',
        'C1,2,M0001,MEDICARE,MB,2025-03-11,96413,,,1,450,,,,C34.90,Z51.12,1,',
        'C2,1,M0002,ACME,CI,2025-03-12,J1459,JW,59,20,"$2,500.00",44206-437-10,200,ML,D80.1,,A,PA123',
      ]),
    );
    expect(stats.csv).toMatchObject({ layout: 'canonical', delimiter: 'comma', encoding: 'UTF-8', rows: { read: 3, used: 3, rejected: 0 }, grouping: 'contiguous', unmappedColumns: [] });
    expect(stats.claims).toEqual({ read: 2, audited: 2, skipped: 0, unparseable: 0 });
    expect(claims.map((c) => [c.claimId, c.payerClass, c.memberId, c.lines.length, c.diagnoses.map((d) => d.code)])).toEqual([
      ['C1', 'medicare', 'M0001', 2, ['C3490', 'Z5112']],
      ['C2', 'commercial', 'M0002', 1, ['D801']],
    ]);
    expect(line(claims[0]!)).toEqual({ hcpcs: 'J9299', modifiers: ['JZ'], units: 240, charge: 8200, serviceDate: '2025-03-11', ndc: '00003-3734-13', ndcQuantity: 24, ndcUnit: 'ML' });
    expect(claims[0]!.lines[0]!.diagnosisPointers).toEqual([1, 2]);
    expect(line(claims[1]!)).toMatchObject({ modifiers: ['JW', '59'], charge: 2500, ndc: '44206-437-10' });
    expect(claims[1]!.lines[0]).toMatchObject({ priorAuthorization: 'PA123', diagnosisPointers: [1], sourceRef: { file: 'canonical.csv', row: 4 } });
    expect(claims[0]!.unavailable).toBeUndefined();
  });

  it('keeps a drug line without units or NDC (its findings follow), and rejects only a row without a claim id', async () => {
    const { claims, stats } = await ingestCsvText(
      'gaps.csv',
      csvText(['claim_id,service_from_date,hcpcs,units,charge,ndc', 'C1,2025-03-11,J9299,,8200,', ',2025-03-11,J9299,240,8200,00003373413', 'C2,2025-13-45,J9299,abc,8200,N400003373413']),
    );
    expect(claims.map((c) => line(c))).toEqual([
      { hcpcs: 'J9299', modifiers: [], units: null, charge: 8200, serviceDate: '2025-03-11', ndc: null, ndcQuantity: null, ndcUnit: null },
      { hcpcs: 'J9299', modifiers: [], units: null, charge: 8200, serviceDate: null, ndc: '00003373413', ndcQuantity: null, ndcUnit: null },
    ]);
    expect(stats.csv!.rows).toMatchObject({ read: 3, used: 2, rejected: 1 });
    // Masked (the default): a cell is quoted by its shape, never its value (issue 13 item 1).
    expect(stats.issues.map((i) => [i.severity, i.code, i.row, i.column, i.value])).toEqual([
      ['error', 'csv-row-rejected', 3, 'claim_id', ',9999-99-99,A9999,999'],
      ['warning', 'csv-value-invalid', 4, 'service_from_date', '9999-99-99'],
      ['warning', 'csv-value-invalid', 4, 'units', 'AAA'],
    ]);
  });

  it('--phi full quotes the cells themselves', async () => {
    const { stats } = await ingestCsvText('gaps.csv', csvText(['claim_id,service_from_date,hcpcs,units', ',2025-03-11,J9299,240', 'C2,2025-13-45,J9299,abc']), null, 'full');
    expect(stats.issues.map((i) => i.value)).toEqual([',2025-03-11,J9299,240', '2025-13-45', 'abc']);
  });
});

describe('generic exports by header aliases', () => {
  it('maps human column names, semicolons, US dates, packed and glued modifiers, money in $ and parentheses', async () => {
    const { claims, stats } = await ingestCsvText(
      'pm-export.csv',
      csvText([
        'Claim #;DOS;CPT/HCPCS;Mod 1;Mod 2;Units;Charges;NDC;NDC Qty;NDC UOM;Auth #;Dx 1;Dx 2;Dx Pointer;Financial Class;Notes',
        'A-1001;3/11/25;J9299;JZ;;240;$8,200.00;00003-3734-13;24;ML;;C34.90;;1;Medicare Part B;"two\nlines"',
        'A-1002;03/12/2025;J1459-JW;;;10;(125.00);;;;PA-9;D80.1;Z79.899;AB;Commercial;',
      ]),
    );
    expect(stats.csv).toMatchObject({ layout: 'generic', delimiter: 'semicolon', unmappedColumns: ['Notes'] });
    expect(stats.csv!.columns).toMatchObject({ claim_id: 'Claim #', service_from_date: 'DOS', hcpcs: 'CPT/HCPCS', units: 'Units', charge: 'Charges', prior_auth_number: 'Auth #', modifier_columns: ['Mod 1', 'Mod 2'], diagnosis_columns: ['Dx 1', 'Dx 2'] });
    expect(claims.map((c) => [c.claimId, c.payerClass, line(c)])).toEqual([
      ['A-1001', 'medicare', { hcpcs: 'J9299', modifiers: ['JZ'], units: 240, charge: 8200, serviceDate: '2025-03-11', ndc: '00003-3734-13', ndcQuantity: 24, ndcUnit: 'ML' }],
      ['A-1002', 'commercial', { hcpcs: 'J1459', modifiers: ['JW'], units: 10, charge: -125, serviceDate: '2025-03-12', ndc: null, ndcQuantity: null, ndcUnit: null }],
    ]);
    expect(claims[1]!.lines[0]!.diagnosisPointers).toEqual([1, 2]);
    // Day/month undecidable in the column: month first, said once.
    expect(stats.issues.map((i) => i.code)).toEqual(['csv-date-order-assumed']);
  });

  it('decides day-first for a column that has a day over 12, and warns', async () => {
    const { claims } = await ingestCsvText('eu.csv', csvText(['claim,date of service,code,units,charge', 'X1,03/04/2025,J9299,240,100', 'X2,25/04/2025,J9299,240,100']));
    expect(claims.map((c) => c.lines[0]!.serviceDate)).toEqual(['2025-04-03', '2025-04-25']);
  });

  it('says what a file without a claim id or a code column is, in one line', async () => {
    const { claims, stats } = await ingestCsvText('other.csv', csvText(['name,amount,date', 'a,1,2025-01-01']));
    expect(claims).toEqual([]);
    expect(stats.issues).toHaveLength(1);
    expect(stats.issues[0]).toMatchObject({ severity: 'error', code: 'csv-layout-unknown' });
    expect(stats.issues[0]!.message).toMatch(/^not a claim export claim-audit recognises: no column for claim_id, hcpcs, a service date \(3 columns, none of them a header claim-audit knows; is the header row missing\?\); name the columns with --csv-profile FILE$/);
  });

  // Issue 13 item 1: the first row of a file without a header row was printed as its headers.
  it('names header cells only when they are known headers: the first row may be a patient', async () => {
    const row = 'CLM001,JANE DOE,1962-04-01,123 MAIN ST,J9299,240,5000';
    const { stats } = await ingestCsvText('h.csv', csvText([row]));
    expect(stats.issues[0]!.message).toContain('7 columns, none of them a header claim-audit knows');
    for (const cell of ['CLM001', 'JANE DOE', '1962-04-01', '123 MAIN ST']) expect(JSON.stringify(stats)).not.toContain(cell);
    const known = await ingestCsvText('k.csv', csvText(['Claim #,Patient Name,DOB,Units,"units":1', 'X,Y,Z,1,2']));
    expect(known.stats.issues[0]!.message).toContain('5 columns; known headers: Claim # (column 1), Units (column 4); 3 not known');
    const full = await ingestCsvText('h.csv', csvText([row]), null, 'full');
    expect(full.stats.issues[0]!.message).toContain('headers: CLM001, JANE DOE');
  });

  it('reads Latin-1 exports (with a warning), UTF-8 with a BOM, and UTF-16LE', async () => {
    const rows = csvText(['claim_id,service_from_date,hcpcs,payer_name', 'C1,2025-03-11,J9299,SALUD MÉDICA']);
    const latin1 = await ingestCsvText('latin1.csv', Buffer.from(rows, 'latin1'));
    expect(latin1.claims[0]!.payerName).toBe('SALUD MÉDICA');
    expect(latin1.stats.issues.map((i) => i.code)).toEqual(['csv-encoding-assumed']);
    const bom = await ingestCsvText('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rows, 'utf8')]));
    expect(bom.stats.csv!.encoding).toBe('UTF-8 (with BOM)');
    expect(bom.claims[0]!.claimId).toBe('C1');
    const utf16 = await ingestCsvText('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rows, 'utf16le')]));
    expect(utf16.claims[0]!.payerName).toBe('SALUD MÉDICA');
  });
});

describe('a line longer than 1 MiB', () => {
  it('is cut and reported once, and the rows after it are read', async () => {
    const text = `claim_id,service_from_date,hcpcs\nA,2025-01-01,J9299\nB,2025-01-01,${'x'.repeat(2_500_000)}\nC,2025-01-01,J9299\n`;
    const { claims, stats } = await ingestCsvText('long.csv', text);
    expect(claims.map((c) => c.claimId)).toEqual(['A', 'B', 'C']);
    expect(stats.issues.map((i) => [i.code, i.message])).toEqual([['csv-line-too-long', 'line 3 is longer than 1 MiB: it is cut there, and the rest of the line is not read']]);
  });
});

describe('claims whose rows are not contiguous', () => {
  it('are regrouped on disk before any is handed over: each claim once, in file order (by its first row), lines in row order', async () => {
    const rows = ['claim_id,line_number,service_from_date,hcpcs,units'];
    for (let i = 0; i < 50; i++) rows.push(`C${(i * 3) % 7},${Math.floor(i / 7) + 1},2025-03-11,J9299,${i + 1}`);
    const { claims, stats } = await ingestCsvText('scattered.csv', csvText(rows));
    expect(stats.csv!.grouping).toBe('spilled');
    expect(claims.map((c) => c.claimId)).toEqual(['C0', 'C3', 'C6', 'C2', 'C5', 'C1', 'C4']);
    expect(stats.claims).toEqual({ read: 7, audited: 7, skipped: 0, unparseable: 0 });
    expect(claims.reduce((n, c) => n + c.lines.length, 0)).toBe(50);
    const c3 = claims.find((c) => c.claimId === 'C3')!;
    expect(c3.lines.map((l) => [l.lineNumber, l.units])).toEqual([
      [1, 2],
      [2, 9],
      [3, 16],
      [4, 23],
      [5, 30],
      [6, 37],
      [7, 44],
    ]);
    expect(stats.issues.map((i) => i.code)).toEqual(['csv-claims-not-contiguous']);
    // The byte count and checksum are of the whole file, once.
    expect(stats.bytes).toBe(csvText(rows).length);
    expect(stats.sha256).toBe(createHash('sha256').update(csvText(rows)).digest('hex'));
  });
});

describe('a replacement claim in a CSV', () => {
  it('names the claim it replaces in original_claim_id (REF*F8), which it supersedes before the rules across claims', async () => {
    const { runAudit } = await import('../../src/audit.js');
    const { loadReference, coveredCodes } = await import('../../src/reference/index.js');
    const { parseCodeSelection } = await import('../../src/ingest/select.js');
    const reference = loadReference();
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-lineage-'));
    const header = 'claim_id,line_number,member_id,billing_npi,service_from_date,hcpcs,modifier_1,units,frequency_code,original_claim_id';
    const audit = async (replacementRow: string) => {
      const file = join(dir, `${replacementRow.length}.csv`);
      // C300 bills the same line again, as an original: a duplicate of A100 unless A100 is replaced.
      writeFileSync(file, csvText([header, 'A100,1,M1,1234567893,2025-03-11,J9299,JZ,240,1,', replacementRow, 'C300,1,M1,1234567893,2025-03-11,J9299,JZ,240,1,']));
      const result = await runAudit({ inputs: [file], outDir: null, formats: [], codes: parseCodeSelection('covered', coveredCodes(reference.pack)), codesOption: 'covered', reference, asOf: null, concurrency: 1, failOn: 'error', phi: 'masked' });
      return result.findings.filter((f) => f.ruleId === 'duplicate-line').map((f) => f.claimId);
    };
    // The replacement B200 names A100: A100 is superseded, so C300 duplicates nothing.
    expect(await audit('B200,1,M1,1234567893,2025-03-11,J9299,JZ,240,7,A100')).toEqual([]);
    // Without the reference B200 replaces nothing known: C300 duplicates A100.
    expect(await audit('B200,1,M1,1234567893,2025-03-11,J9299,JZ,240,7,')).toEqual(['C300']);
  });
});

describe('claims whose rows are not contiguous, through a whole audit', () => {
  it('give the same findings, from the rules on a claim and across claims, as the same rows grouped by claim', async () => {
    const { runAudit } = await import('../../src/audit.js');
    const { loadReference, coveredCodes } = await import('../../src/reference/index.js');
    const { parseCodeSelection } = await import('../../src/ingest/select.js');
    const reference = loadReference();
    const header = 'claim_id,line_number,member_id,billing_npi,service_from_date,hcpcs,modifier_1,units,frequency_code';
    const rows: string[] = [];
    // One provider and member, the same code and day: lines with equal units on other claims are duplicates;
    // claim C2 is a replacement, so its lines stay out of the phase across claims.
    for (let i = 0; i < 60; i++) rows.push(`C${i % 7},${Math.floor(i / 7) + 1},M1,1234567893,2025-03-11,J9299,JZ,${(i % 5) + 1},${i % 7 === 2 ? 7 : 1}`);
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-scattered-'));
    const scattered = join(dir, 'scattered.csv');
    const grouped = join(dir, 'grouped.csv');
    writeFileSync(scattered, csvText([header, ...rows]));
    const byClaim = (row: string) => row.split(',').slice(0, 2).map((v, i) => (i === 0 ? v : v.padStart(3, '0'))).join();
    writeFileSync(grouped, csvText([header, ...[...rows].sort((a, b) => (byClaim(a) < byClaim(b) ? -1 : 1))]));
    const audit = async (input: string, bucketLines?: number) => {
      const result = await runAudit({ inputs: [input], outDir: null, formats: [], codes: parseCodeSelection('covered', coveredCodes(reference.pack)), codesOption: 'covered', reference, asOf: null, concurrency: 1, failOn: 'error', phi: 'masked', executor: 'local', ...(bucketLines ? { tuning: { bucketLines } } : {}) });
      return {
        findings: result.findings.map((f) => [f.id, f.ruleId, f.claimId, f.lineNumber]),
        lines: result.files[0]!.lines.map((l) => [l.claimId, l.lineNumber, l.units, l.findingIds, l.notChecked]),
      };
    };
    const expected = await audit(grouped);
    expect(expected.findings.filter(([, rule]) => rule === 'duplicate-line').length).toBeGreaterThan(10);
    expect(await audit(scattered)).toEqual(expected);
    // Members spread over several buckets of the phase across claims.
    expect(await audit(scattered, 1)).toEqual(expected);
  });
});

describe('industry layouts', () => {
  it('Tuva medical_claim (current): person_id, payer; institutional rows repeating the claim charge', async () => {
    const header = 'claim_id,claim_line_number,claim_type,person_id,member_id,payer,plan,claim_start_date,claim_end_date,claim_line_start_date,claim_line_end_date,place_of_service_code,bill_type_code,revenue_center_code,service_unit_quantity,hcpcs_code,hcpcs_modifier_1,hcpcs_modifier_2,hcpcs_modifier_3,hcpcs_modifier_4,hcpcs_modifier_5,rendering_npi,billing_npi,paid_amount,allowed_amount,charge_amount,diagnosis_code_1,diagnosis_code_2';
    const { claims, stats } = await ingestCsvText(
      'tuva.csv',
      csvText([
        header,
        'P1,1,professional,10001,M1,medicare,ffs,2024-02-01,2024-02-01,2024-02-01,2024-02-01,11,,,240,J9299,JZ,,,,,1588667638,1234567893,7000,7500,8200,C3490,',
        'I1,1,institutional,10002,M2,medicare,ffs,2024-02-02,2024-02-02,,,,131,0636,100,J1459,,,,,,,1093817465,2000,2500,9100,D801,',
        'I1,2,institutional,10002,M2,medicare,ffs,2024-02-02,2024-02-02,,,,131,0260,1,96365,,,,,,,1093817465,2000,2500,9100,D801,',
      ]),
    );
    expect(stats.csv).toMatchObject({ layout: 'tuva-medical-claim', chargeBasis: { line: 1, claimRepeated: 1, none: 0 } });
    expect(claims[0]).toMatchObject({ claimType: 'professional', payerName: 'medicare', memberId: 'M1' });
    expect(line(claims[0]!)).toMatchObject({ hcpcs: 'J9299', modifiers: ['JZ'], units: 240, charge: 8200, serviceDate: '2024-02-01' });
    expect(claims[1]).toMatchObject({ claimType: 'institutional', facilityCode: '13', frequencyCode: '1' });
    // Line charges unknown: the charge rules are not checked rather than told the charge is missing.
    expect(claims[1]!.lines.map((l) => [l.charge, l.serviceDate, l.serviceDateSource])).toEqual([
      [null, '2024-02-02', 'claim'],
      [null, '2024-02-02', 'claim'],
    ]);
    expect(claims[1]!.unavailable!.charge).toMatch(/repeats its charge/);
    expect(claims[0]!.unavailable!.ndc).toBe('the Tuva medical_claim layout has no NDC column');
  });

  it('CCLF5: zero padding, ~ placeholders, sentinel dates, cancel and adjustment records, re-delivered claims', async () => {
    const header =
      'CUR_CLM_UNIQ_ID,CLM_LINE_NUM,BENE_MBI_ID,CLM_TYPE_CD,CLM_FROM_DT,CLM_THRU_DT,RNDRG_PRVDR_TYPE_CD,CLM_POS_CD,CLM_LINE_FROM_DT,CLM_LINE_THRU_DT,CLM_LINE_HCPCS_CD,CLM_LINE_CVRD_PD_AMT,CLM_LINE_DGNS_CD,CLM_ADJSMT_TYPE_CD,CLM_LINE_ALOWD_CHRG_AMT,CLM_LINE_SRVC_UNIT_QTY,HCPCS_1_MDFR_CD,HCPCS_2_MDFR_CD,HCPCS_3_MDFR_CD,HCPCS_4_MDFR_CD,HCPCS_5_MDFR_CD,CLM_DGNS_1_CD,CLM_DGNS_2_CD,CLM_DGNS_3_CD,CLM_RNDRG_PRVDR_NPI_NUM,FILE_DATE';
    const { claims, stats } = await ingestCsvText(
      'cclf5.csv',
      csvText([
        header,
        '0000000002001,0000000001,1AA0AA0AA01,71,2025-03-11,2025-03-11,1,11,2025-03-11,2025-03-11,J9299,00000007000.00,C3490,0,0000000007751.04,000000000000000240.0000,JZ,~,~,~,~,C3490,~,~,1588667638,2025-04-10',
        '0000000002002,0000000001,1AA0AA0AA01,71,2025-03-12,2025-03-12,1,11,1000-01-01,1000-01-01,J9299,00000000000.00,C3490,1,0000000007751.04,000000000000000240.0000,~,~,~,~,~,C3490,~,~,1588667638,2025-04-10',
        '0000000002003,0000000001,1AA0AA0AA01,71,2025-03-12,2025-03-12,1,11,2025-03-12,2025-03-12,J9299,00000007000.00,C3490,2,0000000007751.04,000000000000000240.0000,JZ,~,~,~,~,C3490,~,~,1588667638,2025-04-10',
        '0000000002004,0000000001,1AA0AA0AA01,71,2025-03-13,2025-03-13,1,11,2025-03-13,2025-03-13,J1459,00000000900.00,D801,0,0000000000985.68,000000000000000020.0000,~,~,~,~,~,D801,~,~,1588667638,2025-04-10',
        '0000000002004,0000000001,1AA0AA0AA01,71,2025-03-13,2025-03-13,1,11,2025-03-13,2025-03-13,J1459,00000000900.00,D801,0,0000000000985.68,000000000000000024.0000,~,~,~,~,~,D801,~,~,1588667638,2025-05-10',
      ]),
    );
    expect(stats.csv).toMatchObject({ layout: 'cclf5', rows: { read: 5, used: 5, rejected: 0, superseded: 1 } });
    expect(stats.claims).toEqual({ read: 4, audited: 3, skipped: 1, unparseable: 0 });
    expect(stats.skippedClaims).toEqual([{ claimId: '0000000002002', reason: 'CCLF cancel record (CLM_ADJSMT_TYPE_CD 1): it reverses an earlier claim', row: 3, byteOffset: expect.any(Number) }]);
    expect(claims.map((c) => [c.claimId, c.payerClass, c.claimType, c.frequencyCode, line(c)])).toEqual([
      ['0000000002001', 'medicare', 'professional', null, { hcpcs: 'J9299', modifiers: ['JZ'], units: 240, charge: null, serviceDate: '2025-03-11', ndc: null, ndcQuantity: null, ndcUnit: null }],
      ['0000000002003', 'medicare', 'professional', '7', { hcpcs: 'J9299', modifiers: ['JZ'], units: 240, charge: null, serviceDate: '2025-03-12', ndc: null, ndcQuantity: null, ndcUnit: null }],
      // Re-delivered: the later FILE_DATE's 24 units, not the first delivery's 20.
      ['0000000002004', 'medicare', 'professional', null, { hcpcs: 'J1459', modifiers: [], units: 24, charge: null, serviceDate: '2025-03-13', ndc: null, ndcQuantity: null, ndcUnit: null }],
    ]);
    expect(claims[0]!.lines[0]!.diagnosisPointers).toEqual([1]);
    expect(claims[0]!.unavailable).toMatchObject({ charge: 'the CCLF5 layout has no submitted charge (only allowed and paid amounts)', ndc: 'the CCLF5 layout has no NDC column' });
  });

  it('CCLF2 and CCLF6: revenue-center and DME lines, with what each layout lacks', async () => {
    const cclf2 = await ingestCsvText(
      'cclf2.csv',
      csvText([
        'CUR_CLM_UNIQ_ID,CLM_LINE_NUM,BENE_MBI_ID,CLM_TYPE_CD,CLM_LINE_FROM_DT,CLM_LINE_THRU_DT,CLM_LINE_PROD_REV_CTR_CD,CLM_LINE_INSTNL_REV_CTR_DT,CLM_LINE_HCPCS_CD,CLM_FROM_DT,CLM_THRU_DT,CLM_LINE_SRVC_UNIT_QTY,CLM_LINE_CVRD_PD_AMT,HCPCS_1_MDFR_CD,HCPCS_2_MDFR_CD,HCPCS_3_MDFR_CD,HCPCS_4_MDFR_CD,HCPCS_5_MDFR_CD,FILE_DATE',
        '0000000003001,0000000001,1AA0AA0AA01,40,2025-04-14,2025-04-14,0636,2025-04-14,J1756,2025-04-14,2025-04-14,000000000000000200.0000,0000000000000.00,,,,,,2025-11-10',
      ]),
    );
    expect(cclf2.stats.csv!.layout).toBe('cclf2');
    expect(cclf2.claims[0]).toMatchObject({ claimType: 'institutional', payerClass: 'medicare' });
    expect(cclf2.claims[0]!.lines[0]).toMatchObject({ hcpcs: 'J1756', units: 200, revenueCode: '0636', serviceDate: '2025-04-14' });
    const cclf6 = await ingestCsvText(
      'cclf6.csv',
      csvText([
        'CUR_CLM_UNIQ_ID,CLM_LINE_NUM,BENE_MBI_ID,CLM_TYPE_CD,CLM_FROM_DT,CLM_THRU_DT,CLM_POS_CD,CLM_LINE_FROM_DT,CLM_LINE_THRU_DT,CLM_LINE_HCPCS_CD,CLM_LINE_CVRD_PD_AMT,PAYTO_PRVDR_NPI_NUM,CLM_ADJSMT_TYPE_CD,CLM_LINE_ALOWD_CHRG_AMT,CLM_BLG_PRVDR_NPI_NUM,FILE_DATE',
        '0000000004001,0000000001,1AA0AA0AA01,82,2025-06-01,2025-06-30,12,2025-06-01,2025-06-30,J7613,00000000012.30,1999900123,0,0000000000015.00,1999900123,2025-12-08',
      ]),
    );
    expect(cclf6.stats.csv!.layout).toBe('cclf6');
    expect(cclf6.claims[0]!.billingProviderNpi).toBe('1999900123');
    expect(cclf6.claims[0]!.unavailable).toMatchObject({ units: 'the CCLF6 layout has no units column', modifiers: 'the CCLF6 layout has no modifier columns' });
  });

  it('CMS IDR claim line: timestamps, NDC with quantity and qualifier', async () => {
    const { claims, stats } = await ingestCsvText(
      'idr.csv',
      csvText([
        'CLM_UNIQ_ID,CLM_LINE_NUM,CLM_LINE_HCPCS_CD,HCPCS_1_MDFR_CD,HCPCS_2_MDFR_CD,HCPCS_3_MDFR_CD,HCPCS_4_MDFR_CD,HCPCS_5_MDFR_CD,CLM_LINE_SRVC_UNIT_QTY,CLM_LINE_NDC_CD,CLM_LINE_NDC_QTY,CLM_LINE_NDC_QTY_QLFYR_CD,CLM_LINE_SBMT_CHRG_AMT,CLM_LINE_ALOWD_CHRG_AMT,CLM_LINE_FROM_DT,CLM_POS_CD,CLM_LINE_REV_CTR_CD,CLM_RNDRG_PRVDR_NPI_NUM',
        '-8844123455,1,J9299,JZ,,,,,240,00003373413,24,ML,8200.00,7751.04,2024-12-08 00:43:43.541764,11,,1588667638',
      ]),
    );
    expect(stats.csv!.layout).toBe('idr-claim-line');
    expect(claims[0]).toMatchObject({ claimId: '-8844123455', payerClass: 'medicare', claimType: 'professional' });
    expect(line(claims[0]!)).toEqual({ hcpcs: 'J9299', modifiers: ['JZ'], units: 240, charge: 8200, serviceDate: '2024-12-08', ndc: '00003373413', ndcQuantity: 24, ndcUnit: 'ML' });
  });

  // Issue 29 item 14: CLM_TYPE_CD says the claim's form; the revenue center column is no sign of an institutional claim.
  it('CMS IDR claim line: CLM_TYPE_CD 71/72 professional, 81/82 DME (professional form), Part A types institutional with their facility type', async () => {
    const header = 'CLM_UNIQ_ID,CLM_TYPE_CD,CLM_LINE_NUM,CLM_LINE_HCPCS_CD,CLM_LINE_SRVC_UNIT_QTY,CLM_LINE_SBMT_CHRG_AMT,CLM_LINE_FROM_DT,CLM_POS_CD,CLM_LINE_REV_CTR_CD';
    const rows = [['-71', '71', '11', '0000'], ['-72', '72', '12', '0000'], ['-81', '81', '12', '0000'], ['-82', '82', '12', '0000'], ['-40', '40', '', '0636'], ['-60', '60', '', '0636'], ['-20', '20', '', '0636'], ['-50', '50', '', '0636'], ['-10', '10', '', '0636']];
    const { claims, stats } = await ingestCsvText('idr.csv', csvText([header, ...rows.map(([id, type, pos, rev]) => `${id},${type},1,J9299,240,8200.00,2024-12-08,${pos},${rev}`)]));
    expect(stats.csv!.layout).toBe('idr-claim-line');
    expect(claims.map((c) => [c.claimId, c.claimType, c.claimType === 'institutional' ? c.facilityCode : null])).toEqual([
      ['-71', 'professional', null],
      ['-72', 'professional', null],
      ['-81', 'professional', null],
      ['-82', 'professional', null],
      ['-40', 'institutional', '13'],
      ['-60', 'institutional', '11'],
      ['-20', 'institutional', '21'],
      ['-50', 'institutional', '81'],
      ['-10', 'institutional', '32'],
    ]);
  });

  // Issue 13 item 7: CLM_LINE_DGNS_CD was left unmapped and the layout said it had no diagnoses.
  it('CMS IDR claim line: the line diagnosis (CLM_LINE_DGNS_CD) is the claim’s diagnosis and the line’s pointer', async () => {
    const header = 'CLM_UNIQ_ID,CLM_LINE_NUM,CLM_LINE_HCPCS_CD,CLM_LINE_SRVC_UNIT_QTY,CLM_LINE_SBMT_CHRG_AMT,CLM_LINE_FROM_DT,CLM_POS_CD,CLM_LINE_DGNS_CD';
    const { claims, stats } = await ingestCsvText(
      'idr.csv',
      csvText([header, '-1,1,96413,1,450.00,2024-12-08,11,C3490', '-1,2,J9299,240,8200.00,2024-12-08,11,C3491', '-2,1,J9299,240,8200.00,2024-12-09,11,', '-3,1,J9299,240,8200.00,2024-12-09,11,C3490', '-3,2,96413,1,450.00,2024-12-09,11,']),
    );
    expect(stats.csv!.columns).toMatchObject({ line_diagnosis: 'CLM_LINE_DGNS_CD' });
    expect(stats.csv!.unavailable.diagnoses).toBeUndefined();
    const [both, none, partly] = claims;
    expect(both!.diagnoses.map((d) => d.code)).toEqual(['C3490', 'C3491']);
    expect(both!.lines.map((l) => l.diagnosisPointers)).toEqual([[1], [2]]);
    expect(both!.unavailable?.diagnoses).toBeUndefined();
    // No line of the claim has a diagnosis: not checked, never "missing".
    expect(none!.diagnoses).toEqual([]);
    expect(none!.unavailable).toMatchObject({ diagnoses: 'no line of the claim has a diagnosis in CLM_LINE_DGNS_CD' });
    expect(partly!.diagnoses.map((d) => d.code)).toEqual(['C3490']);
    expect(partly!.unavailable).toMatchObject({ diagnosisPointers: 'some lines of the claim have no diagnosis in CLM_LINE_DGNS_CD' });
    expect(partly!.unavailable?.diagnoses).toBeUndefined();
  });

  it('CCW RIF carrier (pipe, DD-MON-YYYY, 000000000 NDC, a trailing delimiter) and outpatient', async () => {
    const carrier = await ingestCsvText(
      'rif-carrier.psv',
      csvText([
        'BENE_ID|CLM_ID|CLM_FROM_DT|CLM_THRU_DT|PRNCPAL_DGNS_CD|ICD_DGNS_CD1|CARR_CLM_BLG_NPI_NUM|LINE_NUM|PRF_PHYSN_NPI|LINE_SRVC_CNT|LINE_PLACE_OF_SRVC_CD|LINE_1ST_EXPNS_DT|LINE_LAST_EXPNS_DT|HCPCS_CD|HCPCS_1ST_MDFR_CD|HCPCS_2ND_MDFR_CD|LINE_NCH_PMT_AMT|LINE_SBMTD_CHRG_AMT|LINE_ALOWD_CHRG_AMT|LINE_ICD_DGNS_CD|LINE_NDC_CD',
        '567834|9991831999|27-OCT-2024|27-OCT-2024|C3490|C3490|1234567893|1|1923124|240.0|11|27-OCT-2024|27-OCT-2024|J9299|JZ||6000|8200|7751.04|C3490|000000000|',
        '567834|9991831999|27-OCT-2024|27-OCT-2024|C3490|C3490|1234567893|2|1923124|1.0|11|27-OCT-2024|27-OCT-2024|96413|||100|450|200|C3490|00003373413|',
      ]),
    );
    expect(carrier.stats.csv).toMatchObject({ layout: 'ccw-rif-carrier', delimiter: 'pipe', trailingDelimiter: true, unmappedColumns: [] });
    expect(line(carrier.claims[0]!)).toEqual({ hcpcs: 'J9299', modifiers: ['JZ'], units: 240, charge: 8200, serviceDate: '2024-10-27', ndc: null, ndcQuantity: null, ndcUnit: null });
    expect(line(carrier.claims[0]!, 1).ndc).toBe('00003373413');
    expect(carrier.claims[0]!.lines[0]!.diagnosisPointers).toEqual([1]);
    const outpatient = await ingestCsvText(
      'rif-outpatient.csv',
      csvText([
        'BENE_ID,CLM_ID,CLM_FROM_DT,CLM_THRU_DT,ORG_NPI_NUM,PRNCPAL_DGNS_CD,CLM_LINE_NUM,REV_CNTR,REV_CNTR_DT,HCPCS_CD,HCPCS_1ST_MDFR_CD,REV_CNTR_UNIT_CNT,REV_CNTR_TOT_CHRG_AMT,REV_CNTR_IDE_NDC_UPC_NUM,REV_CNTR_NDC_QTY,REV_CNTR_NDC_QTY_QLFR_CD',
        '567834,8881,05-MAY-2025,05-MAY-2025,1093817465,D509,1,0636,05-MAY-2025,J1756,,200,300.00,00517234001,10,ML',
      ]),
    );
    expect(outpatient.stats.csv!.layout).toBe('ccw-rif-outpatient');
    expect(outpatient.claims[0]).toMatchObject({ claimType: 'institutional', billingProviderNpi: '1093817465' });
    expect(line(outpatient.claims[0]!)).toEqual({ hcpcs: 'J1756', modifiers: [], units: 200, charge: 300, serviceDate: '2025-05-05', ndc: '00517234001', ndcQuantity: 10, ndcUnit: 'ML' });
  });

  it('DE-SynPUF carrier (wide): line slots unpivoted where a HCPCS is present, claim-level lists never', async () => {
    const slots = (stem: string) => Array.from({ length: 13 }, (_, i) => `${stem}_${i + 1}`);
    const header = ['DESYNPUF_ID', 'CLM_ID', 'CLM_FROM_DT', 'CLM_THRU_DT', ...Array.from({ length: 8 }, (_, i) => `ICD9_DGNS_CD_${i + 1}`), ...slots('PRF_PHYSN_NPI'), ...slots('HCPCS_CD'), ...slots('LINE_NCH_PMT_AMT'), ...slots('LINE_ALOWD_CHRG_AMT'), ...slots('LINE_ICD9_DGNS_CD')];
    const row: Record<string, string> = { DESYNPUF_ID: 'B1', CLM_ID: '4363', CLM_FROM_DT: '20080229', CLM_THRU_DT: '20080229', ICD9_DGNS_CD_1: '36632', ICD9_DGNS_CD_2: '1749', HCPCS_CD_1: 'J9355', LINE_NCH_PMT_AMT_1: '80', LINE_ICD9_DGNS_CD_1: '1749', HCPCS_CD_3: '96413', LINE_NCH_PMT_AMT_2: '0' };
    const { claims, stats } = await ingestCsvText('synpuf.csv', csvText([header.map((h) => `"${h}"`).join(','), header.map((h) => row[h] ?? '').join(',')]));
    expect(stats.csv!.layout).toBe('desynpuf-carrier');
    expect(claims).toHaveLength(1);
    expect(claims[0]!.lines.map((l) => [l.lineNumber, l.hcpcs, l.serviceDate, l.diagnosisPointers])).toEqual([
      [1, 'J9355', '2008-02-29', [2]],
      [3, '96413', '2008-02-29', []],
    ]);
    expect(claims[0]!.diagnoses).toEqual([
      { qualifier: 'BK', code: '36632' },
      { qualifier: 'BF', code: '1749' },
    ]);
    expect(claims[0]!.unavailable).toMatchObject({ units: 'the DE-SynPUF carrier layout has no units' });
  });

  it('Synthea claims_transactions: recognised and refused in one line', async () => {
    const { claims, stats } = await ingestCsvText(
      'claims_transactions.csv',
      csvText(['ID,CLAIMID,CHARGEID,PATIENTID,TYPE,AMOUNT,METHOD,FROMDATE,TODATE,PLACEOFSERVICE,PROCEDURECODE,MODIFIER1,UNITS,PATIENTINSURANCEID,FEESCHEDULEID', 'x,c1,0,p,CHARGE,125.00,,2020-02-06T08:45:50Z,2020-02-06T09:00:50Z,pl,410620009,,1,pi,1']),
    );
    expect(claims).toEqual([]);
    expect(stats.issues.map((i) => [i.severity, i.code, i.message])).toEqual([
      ['error', 'csv-layout-refused', 'Synthea claims_transactions: its procedure codes are SNOMED CT, CVX and RxNorm, not HCPCS, so there are no drug lines to audit'],
    ]);
    expect(stats.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('--csv-profile', () => {
  it('a mapping file names the columns of an in-house export', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-map-'));
    const mappingFile = join(dir, 'acme.json');
    writeFileSync(mappingFile, JSON.stringify({ name: 'acme-pm', columns: { claim_id: 'Enc', hcpcs: 'Svc', service_from_date: 'When', units: 'Qty', charge: 'Amt' }, modifiers: ['M1'], payerClass: 'medicaid', dateOrder: 'DMY' }));
    const { claims, stats } = await ingestCsvText('acme.csv', csvText(['Enc,Svc,M1,When,Qty,Amt', 'E1,J1569,JW,03/04/2025,20,2400']), loadCsvProfile(mappingFile));
    expect(stats.csv!.layout).toBe('mapping:acme-pm');
    expect(claims[0]).toMatchObject({ claimId: 'E1', payerClass: 'medicaid' });
    expect(line(claims[0]!)).toMatchObject({ hcpcs: 'J1569', modifiers: ['JW'], units: 20, charge: 2400, serviceDate: '2025-04-03' });
  });

  it('a mapping file that does not validate is refused with the path in it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-map-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'x', columns: { claim_number: 'A' } }));
    expect(() => loadCsvProfile(bad)).toThrow(/--csv-profile .*bad\.json: not a valid mapping file: columns/);
    expect(() => loadCsvProfile('no-such-layout')).toThrow(/neither a layout name \(canonical, generic, synthea-claims-transactions/);
  });
});

describe('the CLI on CSV input', () => {
  it('names the row and column of a rejected row, audits the rest, and exits 3', async () => {
    const { runCli } = await import('../../src/cli/run.js');
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-cli-csv-'));
    const file = join(dir, 'export.csv');
    writeFileSync(file, csvText(['claim_id,service_from_date,hcpcs,units,charge,payer_class', 'C1,2025-03-11,J9299,240,8200,medicare', ',2025-03-11,J9299,240,8200,medicare']));
    let stderr = '';
    const code = await runCli([file, '--out', join(dir, 'out')], { stdout: () => {}, stderr: (t) => (stderr += t) });
    expect(code).toBe(3);
    expect(stderr).toContain('export.csv (row 3, column claim_id): error: no claim id (column claim_id is empty)');
    expect(stderr).toContain('Audited 1 file: 1 claim read (1 audited, 0 skipped, 0 unparseable), 1 drug line; 1 input error, 0 warnings.');
  });

  it('refuses a mapping file that does not validate with exit 2 and one line', async () => {
    const { runCli } = await import('../../src/cli/run.js');
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-cli-csv-'));
    writeFileSync(join(dir, 'map.json'), '{"name":"x"}');
    let stderr = '';
    const code = await runCli(['samples', '--csv-profile', join(dir, 'map.json')], { stdout: () => {}, stderr: (t) => (stderr += t) });
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/not a valid mapping file: columns/);
  });
});
