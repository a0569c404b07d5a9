// End to end through the CLI shell: the samples, exit codes, outputs, determinism, PHI.
import { gzipSync } from 'node:zlib';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { Finding, LineRecord } from '../../src/model/index.js';
import { envelope, medicareDrugClaim, x12 } from '../support/x12.js';
import { DEFAULT_OUTPUTS } from '../support/outputs.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: root });
  return { code, stdout, stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'claim-audit-'));
const readLines = (dir: string) =>
  readFileSync(join(dir, 'lines.ndjson'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => LineRecord.parse(JSON.parse(l)));
const readSummary = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
const readFindings = (dir: string) =>
  readFileSync(join(dir, 'findings.ndjson'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => Finding.parse(JSON.parse(l)));

/** What npm start runs: the samples, with the profile that names the sample 340B hospital. */
const START = ['samples', '--profile', 'examples/profile-340b.json'];

describe('the samples (what npm start audits)', () => {
  it('audit cleanly: no ingest issues, every drug line of the covered codes, findings exactly on the faulty lines', async () => {
    const out = tmp();
    const { code, stderr } = await cli([...START, '--out', out]);
    expect(code).toBe(1);
    expect(stderr).toContain('Audited 4 files: 40 claims read (40 audited, 0 skipped, 0 unparseable), 42 drug lines; 0 input errors, 0 warnings.');
    const lines = readLines(out);
    expect(lines.map((l) => `${l.claimId}#${l.lineNumber} ${l.hcpcs}${l.modifiers.map((m) => `-${m}`).join('')} x${l.units} ${l.payerClass} ${l.verdict}`)).toEqual([
      'SG25050701#1 J1756 x200 medicare fail',
      'SG25050702#1 J1439-JZ x750 medicare not-checked',
      'SG25050801#1 J9299 x240 medicare fail',
      'RB250311-01#2 J9299-JZ x240 medicare not-checked',
      'RB250311-02#1 J9299-RT x24 medicare fail',
      'RB250312-01#1 J1459-JZ x100 medicare fail',
      'RB250313-01#1 J9355 x12 medicare not-checked',
      'RB250313-01#2 J9355-JW x3 medicare not-checked',
      'RB250314-01#1 J1324 x180 medicare fail',
      'RB250314-02#1 J1410-MX x1 medicare fail',
      'RB250317-01#1 J1411-JZ x1 medicare not-checked',
      // No administration on the claim: drug-without-administration.
      'RB250318-01#1 J9177-JZ x400 medicare fail',
      'RB250320-01#1 J9355-JZ x30 medicare fail',
      'RB250321-01#1 J9299-JW-JZ x240 medicare fail',
      'RB250321-02#1 J9299-JW x10 medicare fail',
      'RB250324-01#1 J1459-JZ x20 medicare fail',
      'RB250324-02#1 J1410 x1 medicare fail',
      'RB250325-01#1 J9177-JZ x0 medicare fail',
      'RB250325-02#1 J1410 x2.5 medicare fail',
      'RB260115-01#1 J1444 x272 medicare fail',
      'RB250327-01#1 J9299-JZ x240 medicare fail',
      'RB250328-01#1 J9299-JZ x240 medicare fail',
      'MC250402-01#1 J1569 x20 medicaid fail',
      'MC250402-02#1 J1459 x20 medicaid fail',
      'MC250403-01#1 J1611 x1 medicaid not-checked',
      'CM250404-01#1 J1439 x750 commercial not-checked',
      'CM250404-02#1 Q0138 x510 commercial not-checked',
      'MA250407-01#1 J9299-JZ x480 medicare-advantage not-checked',
      'MC250404-01#1 J1611 x1 medicaid fail',
      'CM250405-01#1 J9299 x240 commercial fail',
      'RB250311-01B#1 J9299-JZ x240 medicare fail',
      'RB250602-01#1 J1411-JZ x1 medicare fail',
      // The canonical CSV template: the same Claim records, so the same rules.
      'CSV250701-01#1 J9299-JZ x240 medicare not-checked',
      'CSV250702-01#1 J1459 x100 medicare fail',
      'CSV250703-01#1 J1569 x20 medicaid fail',
      'CSV250704-01#1 J9299-JZ x240 commercial not-checked',
      'CSV250705-01#1 J1439-JW-JZ x750 medicare fail',
      // Wave 2: a drug at place of service 22, an unclassified code for nivolumab, a 340B hospital without TB.
      'CSV250706-01#1 J9299-JZ x240 medicare fail',
      'CSV250707-01#1 J9999-JZ x1 medicare fail',
      'CSV250708-01#1 J9299-JZ x240 medicare fail',
      // A JW line that wastes a whole vial (issue 29: the only sample of jw-waste-exceeds-package not in conflict with JZ).
      'CSV250709-01#1 J9299 x140 medicare not-checked',
      'CSV250709-01#2 J9299-JW x340 medicare fail',
    ]);
    // The faulty nivolumab line of the rules issue: 24 units, 240 ME, RT, no JW/JZ.
    expect(lines[4]).toMatchObject({ ndc: '00003373413', ndcQuantity: 240, ndcUnit: 'ME', verdict: 'fail', memberId: '****MK73' });
    // A 10-digit NDC without dashes is ambiguous: kept as sent, never guessed.
    expect(lines[23]).toMatchObject({ ndc: null, ndcAsSent: '4420643710' });
    expect(lines[22]).toMatchObject({ ndc: null, ndcAsSent: null });
    expect(lines.every((l) => l.sourceRef.file.startsWith('samples/') && (l.sourceRef.segmentIndex !== undefined || l.sourceRef.row !== undefined))).toBe(true);

    const summary = readSummary(out);
    expect(summary.totals).toMatchObject({ files: 4, claims: { read: 40, audited: 40, skipped: 0, unparseable: 0 }, drugLines: 42, ingestIssues: { errors: 0, warnings: 0 } });
    expect(summary.coverage).toMatchObject({ linesAudited: 42, passed: 0, failed: 30, notChecked: 12 });
    expect(summary.coverage.passed + summary.coverage.failed + summary.coverage.notChecked).toBe(summary.coverage.linesAudited);
    expect(summary.manifest.inputs.map((i: { file: string; sha256: string }) => [i.file, i.sha256.length])).toEqual([
      ['samples/837i-hospital-outpatient-medicare.edi', 64],
      ['samples/837p-infusion-center-medicare.edi', 64],
      ['samples/837p-medicaid-commercial-advantage.edi', 64],
      ['samples/csv-canonical-template.csv', 64],
    ]);
    expect(readdirSync(out).sort()).toEqual([...DEFAULT_OUTPUTS]);
  });

  it('the rules issue example: Medicare J9299, 24 units, NDC 240 ME, RT, no JW/JZ', async () => {
    const out = tmp();
    await cli(['samples', '--out', out]);
    const findings = readFindings(out).filter((f) => f.claimId === 'RB250311-02');
    expect(findings.map((f) => [f.ruleId, f.severity, f.dollarsAtRisk, f.dollarBasis])).toEqual([
      // The 216 units not billed, at 32.296 a unit.
      ['units-vs-ndc-quantity', 'warning', 6975.94, 'asp'],
      ['jw-jz-missing', 'error', 775.1, 'asp'],
      ['modifier-not-valid-for-drug', 'warning', 775.1, 'asp'],
    ]);
    expect(findings[0]!.remediation).toBe('bill 240 units (240 mg ÷ 1 mg, rounded up)');
    expect(findings[1]!.remediation).toBe('add JZ if nothing was discarded, or bill the discarded amount on its own line with JW');
    expect(findings[1]!.denial).toEqual({ group: 'CO', carc: '16', rarc: 'N822', verified: false });
    // 24 units × the 2025Q1 ASP payment limit for J9299 (32.296 per 1 mg): a professional claim.
    expect(findings[1]!.expectedPayment).toBe(775.1);
    const line = readLines(out).find((l) => l.claimId === 'RB250311-02')!;
    expect(line.verdict).toBe('fail');
    expect([...line.findingIds].sort()).toEqual(findings.map((f) => f.id).sort());
  });

  it('every rule fires on the samples (the CMS crosswalk and MUE tables are in the pack), and clean lines have no finding', async () => {
    const out = tmp();
    await cli([...START, '--out', out]);
    const summary = readSummary(out);
    expect(summary.groups.rule).toHaveLength(29);
    expect(summary.groups.rule.map((g: { key: string }) => g.key)).toContain('units-exceed-mue');
    const clean = ['RB250311-01', 'RB250313-01', 'RB250317-01', 'MC250403-01', 'CM250404-01', 'CM250404-02', 'MA250407-01', 'SG25050702'];
    const findings = readFindings(out);
    expect(findings.filter((f) => clean.includes(f.claimId))).toEqual([]);
    expect(summary.topFindings).toEqual(JSON.parse(JSON.stringify(findings.slice(0, 100))));
    expect(findings.map((f) => f.dollarsAtRisk)).toEqual([...findings.map((f) => f.dollarsAtRisk)].sort((a, b) => b - a));
    const withData = tmp();
    await cli(['samples', '--out', withData, '--mue', join(root, 'test/fixtures/mue-practitioner.csv'), '--ndc-crosswalk', join(root, 'test/fixtures/asp-ndc-hcpcs-crosswalk.csv')]);
    const rules = readSummary(withData).groups.rule.map((g: { key: string }) => g.key);
    expect(rules).toContain('ndc-not-for-code');
    expect(rules).toContain('units-exceed-mue');
  });

  it('give byte-identical lines.ndjson and summary.json (but for timestamps) at any concurrency', async () => {
    const a = tmp();
    const b = tmp();
    expect((await cli(['samples', '--out', a, '--concurrency', '1'])).code).toBe(1);
    expect((await cli(['samples/', '--out', b, '--concurrency', '3'])).code).toBe(1);
    expect(readFileSync(join(b, 'lines.ndjson'))).toEqual(readFileSync(join(a, 'lines.ndjson')));
    expect(readFileSync(join(b, 'findings.ndjson'))).toEqual(readFileSync(join(a, 'findings.ndjson')));
    const strip = (dir: string) => {
      const s = readSummary(dir);
      delete s.manifest.run;
      s.manifest.options.out = null;
      s.manifest.options.concurrency = null;
      s.manifest.options.inputs = null;
      return s;
    };
    expect(strip(b)).toEqual(strip(a));
  });
});

describe('exit codes', () => {
  it.each([
    [['--bogus', 'samples'], /^claim-audit: unknown option --bogus \(see claim-audit --help\)$/m],
    [[], /no inputs/],
    [['samples', '--format', 'pdf'], /--format takes csv, xlsx, html, json, parquet, separated by commas; got "pdf"/],
    [['samples', '--codes', 'J14,Q0138'], /--codes expects covered, articles, all, or HCPCS codes/],
    [['samples', '--as-of', '2025-02-30'], /--as-of takes a date/],
    [['samples', '--concurrency', '0'], /--concurrency takes a whole number/],
    [['samples', '--memory-budget', '64MB'], /--memory-budget takes a whole number from 0 to 4096; got "64MB"/],
    [['samples', '--fail-on', 'info'], /--fail-on takes error, warning or none/],
    [['samples', '--phi', 'none'], /--phi takes masked or full/],
    [['samples', '--pack', 'missing-pack.json'], /pack missing-pack\.json: cannot read/],
    [['samples', '--diff-articles'], /--diff-articles goes with the codes sub-command/],
  ])('2 for %j, with one clear line', async (args, message) => {
    const { code, stderr, stdout } = await cli(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });

  it('3 when some input cannot be read, while the rest is audited and written', async () => {
    const dir = tmp();
    const garbage = join(dir, 'garbage.edi');
    writeFileSync(garbage, 'GS*HC*X~ST*837*1~');
    const out = join(dir, 'out');
    const { code, stderr } = await cli(['samples/837p-infusion-center-medicare.edi', garbage, join(dir, 'missing.edi'), '--out', out]);
    expect(code).toBe(3);
    expect(stderr).toMatch(/garbage\.edi \(byte 0\): error: no ISA interchange header/);
    expect(stderr).toMatch(/missing\.edi: error: no such file or folder/);
    expect(readLines(out)).toHaveLength(19);
    expect(readSummary(out).totals.ingestIssues.errors).toBe(2);
    // Input errors (3) outrank findings (1).
    expect(readSummary(out).findingTotals.bySeverity.error).toBeGreaterThan(0);
  });

  it('1 with --codes all on a gzip file (it has error findings), read like the plain one', async () => {
    const dir = tmp();
    const gz = join(dir, 'claims.edi.gz');
    writeFileSync(gz, gzipSync(readFileSync(join(root, 'samples/837p-infusion-center-medicare.edi'))));
    const { code } = await cli([gz, '--out', join(dir, 'gz'), '--codes', 'all']);
    const plain = await cli(['samples/837p-infusion-center-medicare.edi', '--out', join(dir, 'plain'), '--codes', 'all']);
    expect([code, plain.code]).toEqual([1, 1]);
    const strip = (l: LineRecord) => ({ ...l, sourceRef: { ...l.sourceRef, file: '' } });
    expect(readLines(join(dir, 'gz')).map(strip)).toEqual(readLines(join(dir, 'plain')).map(strip));
    expect(readLines(join(dir, 'gz'))).toHaveLength(19);
  });

  it('--include and --exclude choose the files found in folders; files named outright are always read', async () => {
    const only = tmp();
    await cli(['samples', '--out', only, '--include', '*.edi', '--exclude', '*medicaid*']);
    expect(readSummary(only).manifest.inputs.map((i: { file: string }) => i.file)).toEqual(['samples/837i-hospital-outpatient-medicare.edi', 'samples/837p-infusion-center-medicare.edi']);
    const csv = tmp();
    await cli(['samples', 'samples/837i-hospital-outpatient-medicare.edi', '--out', csv, '--include', 'samples/*.csv']);
    // In command-line order: the folder's matches, then the file named outright.
    expect(readSummary(csv).manifest.inputs.map((i: { file: string }) => i.file)).toEqual(['samples/csv-canonical-template.csv', 'samples/837i-hospital-outpatient-medicare.edi']);
  });

  it('--codes with a list audits only those codes', async () => {
    const out = tmp();
    expect((await cli(['samples', '--out', out, '--codes', 'j9299,Q0138'])).code).toBe(1);
    expect(readLines(out).map((l) => l.hcpcs)).toEqual(['J9299', 'J9299', 'J9299', 'J9299', 'J9299', 'J9299', 'J9299', 'Q0138', 'J9299', 'J9299', 'J9299', 'J9299', 'J9299', 'J9299', 'J9299', 'J9299', 'J9299']);
  });

  it('0 when the findings are below --fail-on, 1 at or above it, never 1 with none', async () => {
    const dir = tmp();
    const file = join(dir, 'one.edi');
    // A right nivolumab line but for RT: one warning finding.
    const claim = medicareDrugClaim({ procedure: 'HC:J9299:JZ:RT' });
    writeFileSync(file, x12(envelope([claim])), 'latin1');
    const atError = await cli([file, '--out', join(dir, 'a')]);
    const atWarning = await cli([file, '--out', join(dir, 'b'), '--fail-on', 'warning']);
    expect(readFindings(join(dir, 'a')).map((f) => [f.ruleId, f.severity])).toEqual([['modifier-not-valid-for-drug', 'warning']]);
    expect([atError.code, atWarning.code]).toEqual([0, 1]);
    // none: findings never fail the run (job runners retry a step that exits non-zero); errors in the input still do.
    expect((await cli(['samples', '--out', join(dir, 'c'), '--fail-on', 'none'])).code).toBe(0);
  });
});

describe('what the reference data cannot check is said per line', () => {
  const fixture = (name: string) => join(root, 'test/fixtures', name);
  const gaps = (line: LineRecord) => Object.fromEntries(line.notChecked.map((n) => [n.ruleId, n.reason]));

  it('no price, an unknown container, no billing article for the MAC: each line says what it lacks, and summary.json counts the lines by fact', async () => {
    const out = tmp();
    await cli(['samples', '--out', out]);
    const lines = readLines(out);
    const enfuvirtide = gaps(lines.find((l) => l.hcpcs === 'J1324')!);
    expect(enfuvirtide).toEqual({
      'charge-below-expected-payment': 'no ASP payment limit for J1324 on or before the service date',
      'jw-jz-missing': "container of J1324 unknown: not on CMS's JW/JZ list (2025-06-20) and no label fact",
    });
    const nivolumab = gaps(lines.find((l) => l.hcpcs === 'J9299')!);
    expect(nivolumab).toEqual({ 'diagnosis-not-covered': 'no covered-diagnosis list for J9299: no billing article lists it and the project has none' });
    const facts = Object.fromEntries(lines.flatMap((l) => l.notChecked).map((n) => [n.reason, n.fact]));
    expect(facts["container of J1324 unknown: not on CMS's JW/JZ list (2025-06-20) and no label fact"]).toBe('container');
    const summary = readSummary(out);
    // The hospital outpatient lines no longer need a price for the charge comparison (issue 29: OPPS pays its rate whatever the charge).
    expect(summary.coverage.limitedBy).toMatchObject({ container: 5, 'diagnosis-article': 31, price: 5 });
    expect(summary.manifest.reference.pack).toMatchObject({ version: 'cms-hcpcs-2020-10+asp-2026Q4+opps-2026Q2', codes: 1198 });
    expect(summary.manifest.reference.pack.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('--mue overrides the pack\'s table for its setting; --ndc-crosswalk adds NDCs', async () => {
    const out = tmp();
    const { code } = await cli(['samples', '--out', out, '--mue', fixture('mue-practitioner.csv'), '--ndc-crosswalk', fixture('asp-ndc-hcpcs-crosswalk.csv'), '--profile', fixture('profile-strict-medicaid.json')]);
    expect(code).toBe(1);
    const lines = readLines(out);
    const professional = lines.find((l) => l.hcpcs === 'J9299' && l.claimType === 'professional')!;
    expect(gaps(professional)['units-exceed-mue']).toBeUndefined();
    expect(gaps(professional)['ndc-not-for-code']).toBeUndefined();
    // The user's practitioner table lacks J1324: no MUE there, nothing to check (the pack's value, 108, is not used).
    expect(readFindings(out).filter((f) => f.ruleId === 'units-exceed-mue' && f.code === 'J1324')).toEqual([]);
    expect(readSummary(out).manifest.reference).toMatchObject({ mue: [{ kind: 'practitioner', codes: 4, rowsRejected: 1 }], ndcCrosswalk: { codes: 2, rowsRejected: 1 } });
  });

  it('a broken pack, MUE or profile file is a configuration error (exit 2, one line)', async () => {
    for (const args of [['--mue', fixture('asp-ndc-hcpcs-crosswalk.csv')], ['--profile', fixture('mue-practitioner.csv')], ['--pack', fixture('profile-strict-medicaid.json')]]) {
      const { code, stderr } = await cli(['samples', '--out', tmp(), ...args]);
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('PHI', () => {
  it('member ids are masked by default and shown with --phi full; names never appear', async () => {
    const masked = tmp();
    const full = tmp();
    await cli(['samples', '--out', masked]);
    await cli(['samples', '--out', full, '--phi', 'full']);
    expect(readLines(masked)[3]!.memberId).toBe('****MK73');
    expect(readLines(full)[3]!.memberId).toBe('1EG4TE5MK73');
    for (const dir of [masked, full]) {
      const text = ['lines.ndjson', 'findings.ndjson', 'summary.json', 'findings.csv', 'report.html'].map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
      expect(text).not.toMatch(/JANE|DOE|19480214|SAMPLE STREET/);
    }
    expect(readFileSync(join(masked, 'findings.csv'), 'utf8')).toContain(',****MK73,');
    expect(readFileSync(join(masked, 'findings.csv'), 'utf8')).not.toContain('1EG4TE5MK73');
    expect(readFileSync(join(masked, 'report.html'), 'utf8')).not.toContain('1EG4TE5MK73');
    expect(readFileSync(join(full, 'findings.csv'), 'utf8')).toContain(',1EG4TE5MK73,');
    expect(readSummary(full).manifest.phi).toBe('full');
    expect(readSummary(masked).manifest.phi).toBe('masked');
    // The full-id report says so in its header; the masked one does not.
    expect(readFileSync(join(full, 'report.html'), 'utf8')).toContain('id="phi-banner"');
    expect(readFileSync(join(masked, 'report.html'), 'utf8')).not.toContain('id="phi-banner"');
  });
});

describe('sub-commands', () => {
  it('codes lists the covered codes with CMS descriptors, units, dates, containers, ASP limits and OPPS rates', async () => {
    const { code, stdout } = await cli(['codes']);
    expect(code).toBe(0);
    const row = (hcpcs: string) => stdout.split('\n').find((l) => l.startsWith(hcpcs))!.replace(/\s+/g, ' ');
    expect(row('J1410')).toBe('J1410 25 mg 1982-01-01 — unknown $402.131 (2026Q4) $391.718 (K, 2026Q2) Injection, estrogen conjugated, per 25 mg');
    expect(row('J9299')).toBe('J9299 1 mg 2016-01-01 — single-dose $34.191 (2026Q4) $33.624 (K, 2026Q2) Injection, nivolumab, 1 mg');
    expect(row('J1459')).toMatch(/^J1459 500 mg 2009-01-01 — single-dose \(JW\/JZ list\) /);
    expect(row('J1444')).toBe('J1444 0.1 mg of iron 2019-07-01 2025-12-31* unknown — no rate (E2, 2025Q4) Injection, ferric pyrophosphate citrate powder, 0.1 mg of iron');
    expect(row('J1411')).toBe('J1411 1 therapeutic dose 2023-04-01* — single-dose — $3,691,450.00 (K, 2026Q2) Injection, etranacogene dezaparvovec-drlb, per therapeutic dose†');
    expect(row('J1324')).toBe('J1324 1 mg 2007-01-01 — unknown — no rate (E1, 2026Q2) Injection, enfuvirtide, 1 mg');
    expect(stdout).toMatch(/^pack cms-hcpcs-2020-10\+asp-2026Q4\+opps-2026Q2 \(sha256 [0-9a-f]{12}\)$/m);
  });

  it('codes CODE shows its history by quarter: billing unit, ASP limit, OPPS status and rate, NDCs', async () => {
    const { code, stdout } = await cli(['codes', 'J9299', 'j7321']);
    expect(code).toBe(0);
    const row = (hcpcs: string, quarter: string) => {
      const block = stdout.slice(stdout.indexOf(`${hcpcs}  `));
      return block.split('\n').find((l) => l.startsWith(quarter))!.replace(/\s+/g, ' ');
    };
    expect(row('J9299', '2025Q1')).toBe('2025Q1 1 MG $32.296 K $32.296 4');
    expect(row('J7321', '2025Q1')).toMatch(/^2025Q1 per dose \$73\.026 N no rate \d+$/);
    // Before the ASP files and the crosswalks: the OPPS history only.
    expect(row('J9299', '2023Q1')).toBe('2023Q1 — — K $30.001 —');
  });

  it('codes --diff-articles shows what the articles claimed against CMS', async () => {
    const { code, stdout } = await cli(['codes', '--diff-articles']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/J1410\s+immune globulin, per 5 mL\s+Injection, estrogen conjugated, per 25 mg \[25 mg\]/);
    expect(stdout).toMatch(/J1444\s+ferumoxytol, per 1 mg\s+Injection, ferric pyrophosphate citrate powder, 0\.1 mg of iron/);
  });

  it('--help is generated from the option table: every audit option once, examples, 80 columns; map --help is the sharded run', async () => {
    const { OPTION_HELP } = await import('../../src/cli/help.js');
    const { AUDIT_OPTION_NAMES } = await import('../../src/cli/args.js');
    expect(OPTION_HELP.map((o) => o.name).filter((n) => n !== 'help' && n !== 'version').sort()).toEqual([...AUDIT_OPTION_NAMES].sort());
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(Math.max(...help.stdout.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(80);
    for (const name of AUDIT_OPTION_NAMES) expect(help.stdout.match(new RegExp(`^  (-\\w, )?--${name}(?= |$)`, 'gm')), name).toHaveLength(1);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain("claim-audit 'inbound/*.837' --history audit-history --out reports --quiet");
    // The sharded steps are one line of the main help; their own help has them whole.
    expect(help.stdout).not.toContain('--shard-from-env');
    const map = await cli(['map', '--help']);
    expect(map.stdout.replace(/\s+/g, ' ')).toContain('--shard-from-env --shards N takes K from JOB_COMPLETION_INDEX');
    expect(map.stdout.replace(/\s+/g, ' ')).toContain('go to merge');
    expect((await cli(['merge', '--help'])).stdout).toBe(map.stdout);
    expect((await cli(['rules', '--help'])).stdout).toContain('claim-audit rules [ID] [--wide] [--markdown]');
  });

  it('rules lists the catalogue within 100 columns; --wide shows every field', async () => {
    const list = await cli(['rules']);
    expect(list.code).toBe(0);
    const lines = list.stdout.trimEnd().split('\n');
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(100);
    expect(lines[0]).toMatch(/^id\s+severity\s+CARC\/RARC\s+title$/);
    // Every rule, its title wrapped in its column; an unverified code marked, the mark explained.
    expect(lines.filter((l) => /^[a-z0-9-]+\s+(error|warning|info)\s/.test(l))).toHaveLength(29);
    expect(list.stdout).toMatch(/^jw-jz-missing\s+error\s+CO-16\/N822\*\s+Single-dose drug without JW/m);
    expect(list.stdout).toContain('* the code payers most likely send');
    const { code, stdout } = await cli(['rules', '--wide']);
    expect(code).toBe(0);
    // 29 rules and the header.
    expect(stdout.trim().split('\n')).toHaveLength(30);
    expect(stdout).toMatch(/jw-jz-missing\s+error\s+CO-16\/N822 \(unverified\)\s+pharmacy\s+returned\s+professional, outpatient-hospital, cah\s+claim\s+Single-dose drug without JW or JZ/);
    expect(stdout).toMatch(/units-vs-ndc-quantity\s+warning\s+CO-16\/M53\s+pharmacy\s+underbilling, overpayment\s+all\s+line/);
    expect(stdout).toMatch(/^id\s+severity\s+CARC\/RARC\s+owner\s+dollars\s+settings\s+scope\s+title$/m);
  });
});
