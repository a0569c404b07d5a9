// The real CSV files of ../shared/corpus/csv (never copied here): each is audited with its
// layout named, or refused in one line; claim and drug-line counts and normalised values pinned.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { readCsv, type CsvIssue } from '../../src/ingest/csv/read.js';
import { ingestFile } from '../../src/ingest/index.js';
import { LineRecord, type Claim } from '../../src/model/index.js';
import { CSV_DIR, csvCorpusFiles } from '../support/corpus.js';

async function audit(name: string) {
  const out = mkdtempSync(join(tmpdir(), 'claim-audit-csv-corpus-'));
  let stderr = '';
  const code = await runCli([join(CSV_DIR, name), '--codes', 'all', '--out', out], { stdout: () => {}, stderr: (t) => (stderr += t) });
  // A run that audited no claim (a refused file) writes nothing.
  if (!existsSync(join(out, 'summary.json'))) return { code, stderr, summary: null, input: null, lines: [] };
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  const lines = readFileSync(join(out, 'lines.ndjson'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => LineRecord.parse(JSON.parse(l)));
  return { code, stderr, summary, input: summary.manifest.inputs[0], lines };
}

/** file → layout, claims read/audited/skipped, service lines, drug lines (--codes all); or the refusal. */
const EXPECTED: Record<string, { layout: string; claims: [number, number, number]; lines: number; drugLines: number } | { refused: RegExp }> = {
  'bfd_rif_sample-a-bcarrier.psv': { layout: 'ccw-rif-carrier', claims: [1, 1, 0], lines: 1, drugLines: 0 },
  'desynpuf_DE1_0_2008_to_2010_Carrier_Claims_Sample_0A.csv': { layout: 'desynpuf-carrier', claims: [1, 1, 0], lines: 1, drugLines: 0 },
  'desynpuf_DE1_0_2008_to_2010_Outpatient_Claims_Sample_0.csv': { layout: 'desynpuf-outpatient', claims: [2, 2, 0], lines: 4, drugLines: 0 },
  'synthea_claims_excerpt.csv': { refused: /^Synthea claims: claim headers with SNOMED CT diagnoses and no service lines/ },
  'synthea_claims_transactions_excerpt.csv': { refused: /^Synthea claims_transactions: its procedure codes are SNOMED CT, CVX and RxNorm, not HCPCS/ },
  'tuva_cclf_connector_parta_revenue_center_CCLF2_excerpt.csv': { layout: 'cclf2', claims: [3, 3, 0], lines: 5, drugLines: 0 },
  'tuva_cclf_connector_partb_dme_CCLF6_excerpt.csv': { layout: 'cclf6', claims: [2, 1, 1], lines: 2, drugLines: 0 },
  'tuva_cclf_connector_partb_physicians_CCLF5_subset.csv': { layout: 'cclf5', claims: [9, 8, 1], lines: 10, drugLines: 0 },
  // --codes all: the 125 J/Q lines and the covered codes among the rest (vaccines such as 90732, contrast A9585).
  'tuva_demo_medical_claim_jcodes_subset.csv': { layout: 'tuva-medical-claim-legacy', claims: [127, 127, 0], lines: 165, drugLines: 126 },
  // The whole table the subset was cut from (rows of a claim apart: regrouped, with a warning).
  'tuva_demo_medical_claim_full.csv': { layout: 'tuva-medical-claim-legacy', claims: [3274, 3274, 0], lines: 6067, drugLines: 200 },
};

describe('the CSV corpus', () => {
  it('has an expectation for every file', () => {
    expect(csvCorpusFiles()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(csvCorpusFiles())('%s', async (name) => {
    const expected = EXPECTED[name]!;
    const { code, stderr, input, summary, lines } = await audit(name);
    if ('refused' in expected) {
      // The file's count line, its error, and why nothing was written; no report (issue 13).
      expect(code).toBe(3);
      expect(summary).toBeNull();
      const said = stderr.trim().split('\n');
      expect(said).toHaveLength(3);
      expect(said[1]).toMatch(new RegExp(`${name.replace(/\./g, '\\.')} \\(row 1\\): error: ${expected.refused.source.slice(1)}`));
      expect(said[2]).toMatch(/^claim-audit: nothing audited: no file could be read as an 837 or a claim export \(1 file tried\)/);
      return;
    }
    // Nothing lost: every claim read is audited, skipped or unparseable.
    expect(input.claims.read).toBe(input.claims.audited + input.claims.skipped + input.claims.unparseable);
    expect(input.format).toBe('csv');
    expect(input.csv.layout).toBe(expected.layout);
    expect([input.claims.read, input.claims.audited, input.claims.skipped]).toEqual(expected.claims);
    expect(input.lines).toBe(expected.lines);
    expect(lines).toHaveLength(expected.drugLines);
    expect(input.csv.rows.rejected).toBe(0);
    expect(summary.ingestIssues.filter((i: { severity: string }) => i.severity === 'error')).toEqual([]);
  });
});

describe('normalised values of the corpus files', () => {
  it('Tuva: all 125 J/Q lines with their units and modifiers; institutional charges repeated per claim are not taken as line charges', async () => {
    const { lines: all, input } = await audit('tuva_demo_medical_claim_jcodes_subset.csv');
    // The one other line --codes all takes: a covered vaccine (90732).
    expect(all.filter((l) => !/^[JQ]\d{4}$/.test(l.hcpcs ?? '')).map((l) => l.hcpcs)).toEqual(['90732']);
    const lines = all.filter((l) => /^[JQ]\d{4}$/.test(l.hcpcs ?? ''));
    expect(lines).toHaveLength(125);
    const pick = (claimId: string, lineNumber: number) => {
      const l = lines.find((x) => x.claimId === claimId && x.lineNumber === lineNumber)!;
      return [l.hcpcs, l.units, l.modifiers, l.charge, l.claimType];
    };
    expect(pick('679715', 5)).toEqual(['Q0138', 510, ['JG'], 14650.45, 'institutional']);
    expect(pick('921759', 4)).toEqual(['J1756', 200, ['PO'], 7991.94, 'institutional']);
    expect(pick('1390638', 2)).toEqual(['J2704', 20, [], null, 'institutional']);
    const modifiers = lines.flatMap((l) => l.modifiers).sort();
    expect(modifiers).toEqual(['59', '59', '59', 'EC', 'GZ', 'JG', 'JG', 'LT', 'LT', 'PO', 'PO', 'TB']);
    expect(lines.every((l) => l.units !== null && l.units > 0)).toBe(true);
    expect(input.csv.chargeBasis).toEqual({ line: 113, claimRepeated: 14, none: 0 });
    expect(input.csv.grouping).toBe('spilled');
  });

  it('CCLF5: zero-padded units read as numbers, ~ as empty, the cancel skipped and the re-delivery superseded', async () => {
    const { input, summary } = await audit('tuva_cclf_connector_partb_physicians_CCLF5_subset.csv');
    expect(input.csv.rows).toEqual({ read: 12, used: 12, rejected: 0, superseded: 1 });
    expect(input.skippedClaims).toEqual([expect.objectContaining({ claimId: '0000000001051', reason: expect.stringMatching(/^CCLF cancel record/) })]);
    expect(summary.ingestIssues).toEqual([]);
  });

  it('CCW RIF carrier: pipe-delimited, DD-MON-YYYY dates, the 000000000 NDC placeholder read as no NDC', async () => {
    // 92999 is a CPT code, not a drug: read the claim itself.
    const claims: Claim[] = [];
    await ingestFile(join(CSV_DIR, 'bfd_rif_sample-a-bcarrier.psv'), 'rif.psv', { onClaim: (c) => claims.push(c) });
    expect(claims).toHaveLength(1);
    expect(claims[0]).toMatchObject({ claimId: '9991831999', memberId: '567834', payerClass: 'medicare', billingProviderNpi: '1234567890', statementFrom: '1999-10-27' });
    // The line's own diagnosis (LINE_ICD_DGNS_CD A52) is not among the claim's four: it is added, and pointed at.
    expect(claims[0]!.diagnoses.map((d) => d.code)).toEqual(['A02', 'A06', 'B04', 'B05', 'A52']);
    expect(claims[0]!.lines[0]!.diagnosisPointers).toEqual([5]);
    expect(claims[0]!.lines[0]).toMatchObject({ lineNumber: 6, hcpcs: '92999', modifiers: ['LT'], units: 1, charge: 75, serviceDate: '1999-10-27', drug: null, placeOfService: '11' });
  });
});

describe('the project scanner and csv-parse read every corpus file alike', () => {
  it.each(csvCorpusFiles())('%s', async (name) => {
    const bytes = readFileSync(join(CSV_DIR, name));
    const read = async (parser: 'auto' | 'csv-parse') => {
      const claims: Claim[] = [];
      const issues: CsvIssue[] = [];
      const open = () =>
        (async function* () {
          for (let i = 0; i < bytes.length; i += 1000) yield bytes.subarray(i, i + 1000);
        })();
      const result = await readCsv(open(), open, { claim: (c) => claims.push(c), issue: (i) => issues.push(i) }, { file: name, profile: null, sizeHint: bytes.length, parser });
      return JSON.parse(JSON.stringify({ claims, issues, result })) as unknown;
    };
    expect(await read('auto')).toEqual(await read('csv-parse'));
  });
});
