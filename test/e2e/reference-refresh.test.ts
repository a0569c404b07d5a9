// A user refreshes the reference data without a code change (issue 14 item 6): next quarter's
// CMS files dropped in a folder and named with --reference are built at start (cached by their
// content under the output folder's work area) and win over the default pack for their quarter.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { CACHE_DIR, WORK_DIR } from '../../src/output/work.js';
import { envelope, medicareDrugClaim, x12 } from '../support/x12.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const tmp = () => mkdtempSync(join(tmpdir(), 'claim-audit-reference-'));

async function cli(args: string[]) {
  let stderr = '';
  const code = await runCli(args, { stdout: () => {}, stderr: (t) => (stderr += t), cwd: root });
  return { code, stderr };
}

/** A made-up "next quarter" ASP pricing file in CMS's layout: title block, then the header. */
function nextQuarterAsp(dir: string, limit: string): void {
  writeFileSync(
    join(dir, 'whatever-name.csv'),
    [
      'Payment Allowance Limits for Medicare Part B Drugs,,,,',
      ',,,,',
      '"Effective July 1, 2026 through September 30, 2026",,,,',
      ',,,,',
      'Note 1: a test file written by claim-audit in the CMS layout; the figures are made up.,,,,',
      ',,,,',
      'HCPCS Code,Short Description,HCPCS Code Dosage,Payment Limit,Co-insurance Percentage,Vaccine AWP%,Vaccine Limit,Blood AWP%,Blood limit,Clotting Factor,Notes',
      `J9299,Inj nivolumab,1 MG,${limit},20.000,,,,,,`,
      'J9999,Not otherwise classified antineoplastic,1 MG,1.000,20.000,,,,,,',
    ].join('\r\n'),
  );
}

describe('--reference DIR', () => {
  /** A J9299 claim on a date (default 2025-03-11); no JW/JZ, so jw-jz-missing prices the line. */
  const claim = (dir: string, date?: string) => {
    const file = join(dir, `claim-${date ?? 'default'}.edi`);
    const body = medicareDrugClaim({ claimId: 'Q', procedure: 'HC:J9299' }).map((seg) => (seg[0] === 'DTP' && date ? ['DTP', '472', 'D8', date] : seg));
    writeFileSync(file, x12(envelope([body])), 'latin1');
    return file;
  };
  /** A folder holding a made-up ASP pricing file for 2026Q3. */
  const reference = (dir: string, limit: string) => {
    const ref = join(dir, 'cms');
    mkdirSync(ref, { recursive: true });
    nextQuarterAsp(ref, limit);
    return ref;
  };

  it('prices a line of the new quarter from the new file, lists the file in the manifest, and caches the build', async () => {
    const dir = tmp();
    const ref = reference(dir, '20.000');
    const out = join(dir, 'out');
    const expected = () => JSON.parse(readFileSync(join(out, 'findings.ndjson'), 'utf8').trim().split('\n')[0]!).expectedPayment;
    // Without it: the latest limit the default pack has (2026Q1, 33.573).
    await cli([claim(dir, '20260805'), '--out', out]);
    expect(expected()).toBe(8057.52);
    expect((await cli([claim(dir, '20260805'), '--out', out, '--reference', ref])).code).toBe(1);
    // 240 units × 20.000, the made-up 2026Q3 limit.
    expect(expected()).toBe(4800);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.manifest.reference.pack.version).toBe('cms-hcpcs-2020-10+asp-2026Q4+opps-2026Q2+asp-2026Q3');
    expect(summary.manifest.reference.sourceFiles).toContainEqual({ file: 'whatever-name.csv', kind: 'asp-pricing', quarter: '2026Q3', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const cache = join(out, WORK_DIR, CACHE_DIR);
    expect(readdirSync(cache)).toHaveLength(1);
    // The next run reuses it (the same bytes); a changed file is built anew.
    expect((await cli([claim(dir, '20260805'), '--out', out, '--reference', ref])).code).toBeLessThanOrEqual(1);
    expect(readdirSync(cache)).toHaveLength(1);
    nextQuarterAsp(ref, '10.000');
    await cli([claim(dir, '20260805'), '--out', out, '--reference', ref, '--quiet']);
    expect(readdirSync(cache)).toHaveLength(2);
    expect(expected()).toBe(2400);
  });

  it('the default pack is untouched for the quarters the new files do not cover', async () => {
    const dir = tmp();
    const ref = reference(dir, '99.999');
    const out = join(dir, 'out');
    await cli([claim(dir), '--out', out, '--reference', ref]);
    const finding = JSON.parse(readFileSync(join(out, 'findings.ndjson'), 'utf8').trim().split('\n')[0]!);
    // 2025-03-11: 240 × 32.296 (the 2025Q1 ASP limit of the default pack).
    expect(finding.expectedPayment).toBe(7751.04);
  });

  it('a folder without CMS files, or that does not exist, is a configuration error', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'notes.txt'), 'nothing here');
    const empty = await cli(['samples', '--out', join(dir, 'o'), '--reference', dir]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/--reference .*: no CMS file this program knows/);
    const missing = await cli(['samples', '--out', join(dir, 'o'), '--reference', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such folder/);
    expect(existsSync(join(dir, 'o', 'findings.csv'))).toBe(false);
  });
});

// Issue 28, item 1: next quarter's MUE tables, a new JW/JZ list, a fresh MCD export in the MCD's
// own CSV layout, or a MAC's full SAD list, dropped in a folder, are used without a code change.
describe('--reference DIR: newer editions of the policy files', () => {
  /** A Medicare 837P claim from a Wisconsin (J6) billing provider: one drug line with the given code, units, date, modifiers and diagnosis. */
  const claimFile = (dir: string, name: string, o: { code: string; units: number; date: string; modifiers?: string[]; dx?: string; state?: string }) => {
    const body: string[][] = [
      ['HL', '1', '', '20', '1'],
      ['NM1', '85', '2', 'CLINIC', '', '', '', '', 'XX', '1234567893'],
      ['N3', '1 MAIN ST'],
      ['N4', 'MADISON', o.state ?? 'WI', '53703'],
      ['HL', '2', '1', '22', '0'],
      ['SBR', 'P', '18', '', '', '', '', '', '', 'MB'],
      ['NM1', 'IL', '1', 'DOE', 'JANE', '', '', '', 'MI', 'MEMBER0001'],
      ['CLM', name.toUpperCase(), '9000', '', '', '11:B:1', 'Y', 'A', 'Y', 'Y'],
      ['HI', `ABK:${o.dx ?? 'C3490'}`],
      ['LX', '1'],
      ['SV1', ['HC', o.code, ...(o.modifiers ?? [])].join(':'), '9000', 'UN', String(o.units), '11', '', '1'],
      ['DTP', '472', 'D8', o.date.replaceAll('-', '')],
      ['LX', '2'],
      ['SV1', 'HC:96413', '350', 'UN', '1', '11', '', '1'],
      ['DTP', '472', 'D8', o.date.replaceAll('-', '')],
    ];
    const file = join(dir, `${name}.edi`);
    writeFileSync(file, x12(envelope([body])), 'latin1');
    return file;
  };
  const findings = (out: string) => readFileSync(join(out, 'findings.ndjson'), 'utf8').trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { ruleId: string; claimId: string; data: Record<string, unknown>; message: string; evidence: Record<string, unknown> });

  it('a newer JW/JZ list (named by its title\'s date) replaces the old: a code it adds is single-dose', async () => {
    const dir = tmp();
    const ref = join(dir, 'cms');
    mkdirSync(ref);
    writeFileSync(join(ref, 'a.csv'), 'JW and JZ modifier policy: HCPCS codes (CMS list updated December 1, 2026)\n\nHCPCS Code\nJ2350\nJ9299\n');
    const input = claimFile(dir, 'ocr', { code: 'J2350', units: 600, date: '2026-11-05' });
    const before = join(dir, 'before');
    await cli([input, '--out', before]);
    expect(findings(before).filter((f) => f.ruleId === 'jw-jz-missing')).toEqual([]);
    const after = join(dir, 'after');
    await cli([input, '--out', after, '--reference', ref]);
    expect(findings(after).filter((f) => f.ruleId === 'jw-jz-missing').map((f) => f.message)).toEqual(["J2350 is on CMS's JW/JZ policy list (updated 2026-12-01), and the payer requires JW or JZ from 2023-07-01; no line for 2026-11-05 carries either"]);
  });

  it('next quarter\'s MUE table applies from its effective date; the earlier table before it', async () => {
    const dir = tmp();
    const ref = join(dir, 'cms');
    mkdirSync(ref);
    writeFileSync(join(ref, 'b.csv'), 'Medicare NCCI Practitioner Services MUE Table - Effective January 1, 2027\r\n\r\nHCPCS/CPT Code,Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale\r\nJ9299,300,3 Date of Service Edit: Clinical,Prescribing Information\r\n');
    const out = join(dir, 'out');
    await cli([claimFile(dir, 'jan', { code: 'J9299', units: 400, date: '2027-01-15', modifiers: ['JZ'] }), claimFile(dir, 'nov', { code: 'J9299', units: 400, date: '2026-11-05', modifiers: ['JZ'] }), '--out', out, '--reference', ref]);
    const mue = findings(out).filter((f) => f.ruleId === 'units-exceed-mue');
    expect(mue.map((f) => [f.claimId, f.data.mue, f.evidence.effective])).toEqual([['JAN', 300, '2027-01-01']]);
  });

  it('an MCD article export in the MCD\'s own CSV layout: its articles bind their contractor\'s states', async () => {
    const dir = tmp();
    const ref = join(dir, 'current_article_csv');
    mkdirSync(ref);
    const files: Record<string, string> = {
      'article.csv': 'article_id,article_version,article_type,title,article_eff_date,last_updated\n99001,3,1,Billing and Coding: Ocrelizumab,2026-07-01,2026-07-01\n',
      'article_x_hcpc_code.csv': 'article_id,article_version,hcpc_code_id,hcpc_code_version,hcpc_code_group,range,last_updated,long_description,short_description\n99001,3,J2350,1,1,,2026-07-01,"Injection, ocrelizumab, 1 mg",Inj ocrelizumab\n',
      'article_x_icd10_covered.csv': 'article_id,article_version,icd10_code_id,icd10_code_version,icd10_covered_group,range,last_updated,description\n99001,3,G35,1,1,,2026-07-01,Multiple sclerosis\n99001,2,G36.0,1,1,,2026-01-01,an older version\n',
      'article_x_icd10_covered_group.csv': 'article_id,article_version,icd10_covered_group,paragraph,icd10_covered_ast,last_updated\n99001,3,1,The following ICD-10-CM codes support medical necessity for J2350.,,2026-07-01\n',
      'article_x_contractor.csv': 'article_id,article_version,contractor_id,contractor_type_id,contractor_version,last_updated\n99001,3,101,1,1,2026-07-01\n',
      'contractor.csv': 'contractor_id,contractor_type_id,contractor_version,contractor_bus_name,contractor_number\n101,1,1,"Wellpoint Federal",06102\n',
      'contractor_jurisdiction.csv': 'contractor_id,contractor_type_id,contractor_version,state_id,last_updated,active_date,term_date\n101,1,1,1,2026-07-01,2020-01-01,\n101,1,1,2,2026-07-01,2020-01-01,\n',
      'state_lookup.csv': 'state_id,state_abbrev,description\n1,WI,Wisconsin\n2,IL,Illinois\n',
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(ref, name), text);
    const out = join(dir, 'out');
    await cli([claimFile(dir, 'ms', { code: 'J2350', units: 600, date: '2026-11-05', dx: 'G35' }), claimFile(dir, 'ex', { code: 'J2350', units: 600, date: '2026-11-05', dx: 'G360' }), '--out', out, '--reference', ref]);
    const dx = findings(out).filter((f) => f.ruleId === 'diagnosis-not-covered');
    // G36.0 is only in version 2 of the article: the newer version's list decides.
    expect(dx.map((f) => [f.claimId, f.evidence.article, f.evidence.jurisdiction])).toEqual([['EX', 'A99001', 'J6']]);
    expect(dx[0]!.message).toMatch(/^none of the diagnoses \(G36\.0\) supports J2350 under billing article A99001 "Billing and Coding: Ocrelizumab" \(Wellpoint Federal, version 3, effective 2026-07-01\)/);
  });

  it('a MAC\'s full SAD list (the MCD export\'s exclusion article): a drug it lists is excluded, one it does not list passes', async () => {
    const dir = tmp();
    const ref = join(dir, 'sad');
    mkdirSync(ref);
    const codes = Array.from({ length: 120 }, (_, i) => `J${String(7000 + i).padStart(4, '0')}`).concat(['J0129']);
    writeFileSync(join(ref, 'article.csv'), 'article_id,article_version,title\n53021,120,Self-Administered Drug Exclusion List\n');
    writeFileSync(join(ref, 'article_x_hcpc_code.csv'), `article_id,article_version,hcpc_code_id,hcpc_code_version,hcpc_code_group\n${codes.map((c) => `53021,120,${c},1,1`).join('\n')}\n`);
    writeFileSync(join(ref, 'article_x_contractor.csv'), 'article_id,article_version,contractor_id,contractor_type_id,contractor_version\n53021,120,101,1,1\n');
    writeFileSync(join(ref, 'contractor.csv'), 'contractor_id,contractor_type_id,contractor_version,contractor_bus_name\n101,1,1,National Government Services Inc.\n');
    writeFileSync(join(ref, 'contractor_jurisdiction.csv'), 'contractor_id,contractor_type_id,contractor_version,state_id,term_date\n101,1,1,1,\n');
    writeFileSync(join(ref, 'state_lookup.csv'), 'state_id,state_abbrev\n1,WI\n');
    const out = join(dir, 'out');
    await cli([claimFile(dir, 'aba', { code: 'J0129', units: 75, date: '2026-11-05' }), claimFile(dir, 'nivo', { code: 'J1559', units: 100, date: '2026-11-05', modifiers: ['JZ'] }), '--out', out, '--reference', ref]);
    expect(findings(out).filter((f) => f.ruleId === 'self-administered-drug').map((f) => [f.claimId, f.evidence.article, f.evidence.listComplete])).toEqual([['ABA', 'A53021', true]]);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.coverage.notCheckedReasons.filter((r: { ruleId: string }) => r.ruleId === 'self-administered-drug')).toEqual([]);
  });
});
