// The PHI scan (issue 13): a CSV and an 837 in which every patient-identifying value (names,
// birth dates, addresses, member and subscriber ids, free-text notes and descriptions) is a
// unique marker, some of them where the input is damaged so that issues quote it, run through
// the binary under the default --phi masked. No marker may appear in any stream or output,
// except the last 4 characters of member ids.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import { envelope, x12 } from '../support/x12.js';
import { xlsxText } from '../support/xlsx.js';
import { DEFAULT_OUTPUTS } from '../support/outputs.js';
import { parquetText } from '../support/parquet.js';
import { outputFiles, REPORT_FORMATS } from '../../src/report/write.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const bin = join(root, 'dist/cli/main.js');

/** Markers: uppercase words no report, rule or pack text holds. */
const M = {
  subscriberLast: 'QZSUBLASTQZ',
  subscriberFirst: 'QZSUBFIRSTQZ',
  subscriberStreet: 'QZSUBSTREETQZ',
  subscriberCity: 'QZSUBCITYQZ',
  subscriberZip: '99127',
  subscriberBirth: '19310517',
  memberId: 'QZMEMBERQZ4417',
  patientLast: 'QZPATLASTQZ',
  patientFirst: 'QZPATFIRSTQZ',
  patientStreet: 'QZPATSTREETQZ',
  patientBirth: '19330919',
  patientId: 'QZPATIDQZ',
  note: 'QZNOTEQZ',
  claimNote: 'QZCLAIMNOTEQZ',
  description: 'QZDESCRIPTIONQZ',
  brokenName: 'QZBROKENNAMEQZ',
  csvName: 'QZCSVNAMEQZ',
  csvBirth: '1929-03-07',
  csvAddress: 'QZCSVADDRESSQZ',
  csvMember: 'QZCSVMEMBERQZ8812',
  csvNote: 'QZCSVNOTEQZ',
  csvRejectedName: 'QZREJECTEDQZ',
  csvBadDate: 'QZBADDATEQZ',
  headerlessName: 'QZHEADERLESSQZ',
  headerlessBirth: '1927-11-30',
} as const;
/** What masking may leave: the last 4 characters of the member ids. */
const ALLOWED = [M.memberId.slice(-4), M.csvMember.slice(-4)];

function claimFile(): string {
  const claim = [
    ['HL', '1', '', '20', '1'],
    ['NM1', '85', '2', 'CLINIC', '', '', '', '', 'XX', '1234567893'],
    ['HL', '2', '1', '22', '1'],
    ['SBR', 'P', '', 'QZGROUPQZ', '', '', '', '', '', 'MB'],
    ['NM1', 'IL', '1', M.subscriberLast, M.subscriberFirst, '', '', '', 'MI', M.memberId],
    ['N3', M.subscriberStreet],
    ['N4', M.subscriberCity, 'IL', M.subscriberZip],
    ['DMG', 'D8', M.subscriberBirth, 'F'],
    ['NM1', 'PR', '2', 'MEDICARE', '', '', '', '', 'PI', '1'],
    ['HL', '3', '2', '23', '0'],
    ['PAT', '19'],
    ['NM1', 'QC', '1', M.patientLast, M.patientFirst, '', '', '', 'MI', M.patientId],
    ['N3', M.patientStreet],
    ['DMG', 'D8', M.patientBirth, 'M'],
    ['CLM', 'SCAN1', '8200', '', '', '11:B:1', 'Y', 'A', 'Y', 'Y'],
    ['NTE', 'ADD', M.claimNote],
    ['HI', 'ABK:C3490'],
    ['LX', '1'],
    ['SV1', `HC:J9299:::::${M.description}`, '8200', 'UN', '240', '11', '', '1'],
    ['DTP', '472', 'D8', '20250311'],
    ['NTE', 'ADD', M.note],
    // Damage that makes issues quote segments: a lower-case segment id holding a name, and a
    // date that is not one.
    ['Nm1', 'QC', '1', M.brokenName],
    ['DTP', '472', 'D8', '2025XX11'],
    ['LIN', '', 'N4', '00003373413'],
    ['CTP', '', '', '', '24', 'ML'],
    ['LX', '2'],
    ['SV1', 'HC:J9299:JZ', '8200', 'UN', '240', '11', '', '1'],
    ['DTP', '472', 'D8', '20250311'],
  ];
  return x12(envelope([claim]));
}

const csv = [
  'claim_id,member_id,patient_name,birth_date,address,notes,service_from_date,hcpcs,units,charge,payer_class,description',
  `C1,${M.csvMember},${M.csvName},${M.csvBirth},${M.csvAddress},${M.csvNote},2025-03-11,J9299,240,8200,medicare,${M.description}`,
  `,${M.csvMember},${M.csvRejectedName},${M.csvBirth},${M.csvAddress},${M.csvNote},2025-03-11,J9299,240,8200,medicare,x`,
  `C2,${M.csvMember},${M.csvName},${M.csvBirth},${M.csvAddress},${M.csvNote},${M.csvBadDate},J9299,${M.csvName},8200,medicare,x`,
  `C3,${M.csvMember},"${M.csvName}, JR",${M.csvBirth},"${M.csvAddress}\nSUITE 2",${M.csvNote},2025-03-12,J9299,240,8200,medicare,x`,
].join('\n');

let dir: string;

beforeAll(() => {
  // The binary was built by the global setup (test/support/build.ts).
  dir = mkdtempSync(join(tmpdir(), 'claim-audit-phi-'));
  writeFileSync(join(dir, 'scan.edi'), claimFile());
  writeFileSync(join(dir, 'scan.csv'), `${csv}\n`);
  writeFileSync(join(dir, 'headerless.csv'), `X9,${M.headerlessName},${M.headerlessBirth},J9299,240,5000\n`);
}, 120_000);

it.each([
  ['on a pipe (cron)', [] as string[]],
  ['--quiet', ['--quiet']],
  ['--codes all, --fail-on warning', ['--codes', 'all', '--fail-on', 'warning']],
  ['every format (Parquet too)', ['--format', REPORT_FORMATS.join(',')]],
])('no marker in stderr, stdout or any output under --phi masked, %s', async (_, extra) => {
  const out = join(dir, `out-${extra.join('')}`);
  const inputs = ['scan.edi', 'scan.csv', 'headerless.csv'].map((f) => join(dir, f));
  const result = spawnSync(process.execPath, [bin, ...inputs, '--out', out, ...extra], { cwd: root, encoding: 'utf8' });
  expect(result.status).toBe(3);
  const outputs = readdirSync(out);
  expect(outputs.sort()).toEqual(extra[0] === '--format' ? outputFiles(REPORT_FORMATS).sort() : [...DEFAULT_OUTPUTS]);
  const streams: Array<[string, string]> = [
    ['stderr', result.stderr],
    ['stdout', result.stdout],
    ...outputs.filter((f) => !f.endsWith('.xlsx') && !f.endsWith('.parquet')).map((f): [string, string] => [f, readFileSync(join(out, f), 'utf8')]),
    // The workbook is a zip and Parquet pages are compressed: their cells, read back.
    ['findings.xlsx', await xlsxText(join(out, 'findings.xlsx'))],
    ...(await Promise.all(outputs.filter((f) => f.endsWith('.parquet')).map(async (f): Promise<[string, string]> => [f, await parquetText(join(out, f))]))),
  ];
  // The scan saw the claims: findings on both the 837 and the CSV.
  const lines = readFileSync(join(out, 'lines.ndjson'), 'utf8');
  expect(lines).toContain('"claimId":"SCAN1"');
  expect(lines).toContain('"claimId":"C1"');
  for (const [name, text] of streams) {
    for (const [field, marker] of Object.entries(M)) {
      expect(text.includes(marker), `${field} (${marker}) in ${name}`).toBe(false);
      // Nor any part of a marker longer than what masking keeps (a cut snippet).
      if (/^QZ/.test(marker)) expect(text.includes(marker.slice(0, 8)), `part of ${field} in ${name}`).toBe(false);
    }
  }
  // What masking keeps is there: the last 4 of a member id, masked.
  expect(lines).toContain(`****${ALLOWED[0]}`);
  expect(lines).toContain(`****${ALLOWED[1]}`);
});

it('--phi full shows them: the scan can find what masking hides', () => {
  const out = join(dir, 'out-full');
  const result = spawnSync(process.execPath, [bin, join(dir, 'scan.edi'), join(dir, 'scan.csv'), join(dir, 'headerless.csv'), '--out', out, '--phi', 'full'], { cwd: root, encoding: 'utf8' });
  const all = [result.stderr, readFileSync(join(out, 'summary.json'), 'utf8'), readFileSync(join(out, 'lines.ndjson'), 'utf8')].join('\n');
  for (const marker of [M.memberId, M.csvMember, M.brokenName, M.headerlessName, M.csvRejectedName, M.csvBadDate]) expect(all).toContain(marker);
});

/**
 * Damaged envelopes (issue 27): an issue that quotes an ISA or GS whose terminator is wrong or
 * missing must not run on into the segments after it (NM1*IL with the subscriber's name and id).
 */
function damagedEnvelopes(): Record<string, string> {
  const good = claimFile();
  const isaEnd = good.indexOf('~') + 1;
  const isaText = good.slice(0, isaEnd);
  const rest = good.slice(isaEnd);
  const gs = /^GS\*[^~]*~/;
  return {
    // The ISA declares '!' as the terminator; the segments end with '~'.
    'terminator-declared-wrong.edi': `${isaText.slice(0, -1)}!${rest}`,
    // The ISA declares LF; the segments end with '~' on one line.
    'terminator-declared-lf.edi': `${isaText.slice(0, -1)}\n${rest}`,
    // The ISA declares '~'; the segments end with LF.
    'terminator-used-lf.edi': `${isaText}${rest.replace(/~/g, '\n')}`,
    // A truncated ISA, then the claim.
    'isa-truncated.edi': `${isaText.slice(0, 40)}~${rest}`,
    'isa-truncated-short.edi': `ISA*00*X~${rest}`,
    // An ISA with no GS: the transaction follows the ISA directly.
    'isa-without-gs.edi': `${isaText}${rest.replace(gs, '')}`,
    // A GS whose element separator is not the ISA's.
    'gs-separator-differs.edi': `${isaText}${rest.replace(gs, (m) => m.replace(/\*/g, '|'))}`,
    // A file that is not an interchange at its start, then segments.
    'no-isa.edi': rest,
    // Only the tail of a file: the interchange cut inside the subscriber's NM1.
    'cut-in-nm1.edi': good.slice(0, good.indexOf(M.subscriberFirst) + 4),
  };
}

it('no marker in any stream or output when the envelopes are damaged (wrong or missing terminators, truncated ISA, no GS, another separator)', async () => {
  const files = damagedEnvelopes();
  const damaged = join(dir, 'damaged');
  mkdirSync(damaged, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(damaged, name), text);
  const out = join(dir, 'out-damaged');
  // With a good file beside them, so that every report is written.
  const result = spawnSync(process.execPath, [bin, damaged, join(dir, 'scan.edi'), '--out', out], { cwd: root, encoding: 'utf8' });
  expect(result.status).toBe(3);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { ingestIssues: Array<{ file: string; code: string; value?: string }> };
  // Every damaged file is reported.
  for (const name of Object.keys(files)) expect(summary.ingestIssues.some((i) => i.file.endsWith(name)), name).toBe(true);
  expect(summary.ingestIssues.map((i) => i.code)).toEqual(expect.arrayContaining(['isa-invalid', 'segment-terminator-wrong', 'missing-isa', 'st-outside-group']));
  const outputs = readdirSync(out).filter((f) => !f.startsWith('.'));
  const streams: Array<[string, string]> = [
    ['stderr', result.stderr],
    ['stdout', result.stdout],
    ...outputs.filter((f) => !f.endsWith('.xlsx')).map((f): [string, string] => [f, readFileSync(join(out, f), 'utf8')]),
    ['findings.xlsx', await xlsxText(join(out, 'findings.xlsx'))],
  ];
  for (const [name, text] of streams) {
    for (const [field, marker] of Object.entries(M)) {
      expect(text.includes(marker), `${field} (${marker}) in ${name}`).toBe(false);
      if (/^QZ/.test(marker)) expect(text.includes(marker.slice(0, 6)), `part of ${field} in ${name}`).toBe(false);
    }
  }
});

it("the probe's repro: an ISA that runs into NM1*IL shows its structure only", () => {
  const file = join(dir, 'x.837');
  writeFileSync(file, 'ISA*00*X~GS*HC*A~ST*837*1~NM1*IL*1*DOE*JANE****MI*MEMBER123~SE*3*1~');
  const result = spawnSync(process.execPath, [bin, file, join(dir, 'scan.edi'), '--out', join(dir, 'out-repro')], { cwd: root, encoding: 'utf8' });
  const all = [result.stderr, readFileSync(join(dir, 'out-repro', 'summary.json'), 'utf8'), readFileSync(join(dir, 'out-repro', 'report.html'), 'utf8')].join('\n');
  for (const value of ['DOE', 'JANE', 'MEMBER123', 'R123']) expect(all).not.toContain(value);
  expect(result.stderr).toContain('[ISA*99*A]');
});
