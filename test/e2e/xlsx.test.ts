// findings.xlsx read back twice, the way its users' tools read it: by exceljs (sheets, cell
// types, frozen panes, autofilter) and by LibreOffice headless (Debian libreoffice-calc, which
// .ci/run installs), whose CSV of the Worklist sheet must hold worklist.csv's values.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { readWorkbook } from '../support/xlsx.js';
import { zipEntry } from '../support/zip.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SOFFICE = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p)) ?? null;
const REQUIRED = process.env.CLAIM_AUDIT_REQUIRE_LIBREOFFICE === '1';
if (!SOFFICE && REQUIRED) throw new Error('CLAIM_AUDIT_REQUIRE_LIBREOFFICE=1 but LibreOffice is not installed (apt-get install libreoffice-calc)');

let out: string;
let worklist: Record<string, string>[];

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'claim-audit-xlsx-'));
  await runCli(['samples', '--out', out, '--profile', 'examples/profile-340b.json'], { stdout: () => {}, stderr: () => {}, cwd: root });
  worklist = parse(readFileSync(join(out, 'worklist.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
});

describe('findings.xlsx read back by exceljs', () => {
  it('has the Summary, Worklist, owner queue, Findings and Suppressed sheets, typed cells, frozen header rows and autofilters', async () => {
    const book = await readWorkbook(join(out, 'findings.xlsx'));
    const { owners } = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { owners: Array<{ owner: string; lines: number }> };
    // A sheet per owner queue, after the whole worklist, each holding its queue's lines.
    expect(book.worksheets.map((s) => s.name)).toEqual(['Summary', 'Worklist', ...owners.map((q) => `Queue ${q.owner}`), 'Findings', 'Suppressed', 'Rules']);
    for (const q of owners) expect(book.getWorksheet(`Queue ${q.owner}`)!.rowCount, q.owner).toBe(q.lines + 1);
    const ws = book.getWorksheet('Worklist')!;
    expect(ws.rowCount).toBe(worklist.length + 1);
    // The header row, the rank, the claim and the line stay in view; printed landscape, one page wide, the header on every page.
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, xSplit: 3 });
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
    for (const sheet of book.worksheets) expect(sheet.pageSetup.orientation, sheet.name).toBe('landscape');
    expect(ws.autoFilter).toBeTruthy();
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    const first = ws.getRow(2);
    // Money as numbers, dates as dates, ids as text (leading zeros survive).
    expect(typeof first.getCell(col('Dollars')).value).toBe('number');
    expect(first.getCell(col('Dollars')).value).toBe(Number(worklist[0]!.dollars));
    expect(first.getCell(col('Service date')).value).toBeInstanceOf(Date);
    expect(typeof first.getCell(col('Claim')).value).toBe('string');
    expect(typeof first.getCell(col('Billing NPI')).value).toBe('string');
    const findings = book.getWorksheet('Findings')!;
    const fHeader = (findings.getRow(1).values as unknown[]).slice(1);
    const ndcs = [];
    for (let r = 2; r <= findings.rowCount; r++) ndcs.push(findings.getRow(r).getCell(fHeader.indexOf('NDC') + 1).value);
    expect(ndcs).toContain('00003-3734-13');
    // Line dollars sum to the headline, as in findings.csv.
    let lineDollars = 0;
    for (let r = 2; r <= findings.rowCount; r++) lineDollars += Math.round(Number(findings.getRow(r).getCell(fHeader.indexOf('Dollars at risk (line)') + 1).value ?? 0) * 100);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(lineDollars / 100).toBeCloseTo(summary.findingTotals.dollarsAtRisk, 2);
    // The rule of each row links to its row on the Rules sheet: a link that holds wherever the workbook is saved.
    const rules = book.getWorksheet('Rules')!;
    const ruleRow = new Map<string, number>();
    rules.eachRow((row, n) => {
      if (n > 1) ruleRow.set(String(row.getCell(1).value), n);
    });
    expect(ruleRow.size).toBeGreaterThan(25);
    // (exceljs does not read links within a workbook: the sheet's XML is read instead.)
    const top = worklist[0]!.rule_ids!.split(' ')[0]!;
    const worklistXml = zipEntry(join(out, 'findings.xlsx'), 'xl/worksheets/sheet2.xml');
    const cell = `${String.fromCharCode(64 + Math.floor((col('Rules') - 1) / 26))}${String.fromCharCode(65 + ((col('Rules') - 1) % 26))}`.replace('@', '');
    expect(worklistXml).toContain(`<hyperlink ref="${cell}2" location="'Rules'!A${ruleRow.get(top)}"/>`);
    expect(worklistXml).not.toContain('report.html');
    // Each rule says what it checks and why, from its page, with its public sources.
    const jw = rules.getRow(ruleRow.get('jw-jz-missing')!);
    expect(String(jw.getCell(6).value)).toMatch(/^Medicare Part B requires JW/);
    expect(String(jw.getCell(7).value)).toContain('87 FR 69710');
  });
});

describe.skipIf(!SOFFICE)('findings.xlsx converted by LibreOffice headless', () => {
  // Frozen panes are view state, which a headless conversion (no window, no view) does not write
  // back; they are checked in the file as written, above, and LibreOffice shows them when it opens it.
  it('saved again by LibreOffice, it keeps the wrapped findings, landscape fit-to-width pages and a sheet per owner queue', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-soffice-xlsx-'));
    const result = spawnSync(SOFFICE!, ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'xlsx', '--outdir', join(dir, 'saved'), join(out, 'findings.xlsx')], { encoding: 'utf8', timeout: 120_000 });
    expect(result.status, result.stderr).toBe(0);
    const book = await readWorkbook(join(dir, 'saved', 'findings.xlsx'));
    const { owners } = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { owners: Array<{ owner: string; lines: number }> };
    for (const q of owners) expect(book.getWorksheet(`Queue ${q.owner}`)?.rowCount, q.owner).toBe(q.lines + 1);
    const ws = book.getWorksheet('Worklist')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['Rank', 'Claim', 'Line']);
    // The findings wrap within their column.
    expect(ws.getRow(2).getCell(header.indexOf('Findings') + 1).alignment).toMatchObject({ wrapText: true });
    for (const sheet of book.worksheets) expect(sheet.pageSetup, sheet.name).toMatchObject({ orientation: 'landscape', fitToWidth: 1, fitToHeight: 0 });
  }, 180_000);

  it('its Worklist sheet, as CSV, holds the values of worklist.csv', () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-soffice-'));
    // The Worklist is the second sheet: LibreOffice's CSV filter takes a sheet number (token 12).
    const result = spawnSync(SOFFICE!, ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2', '--outdir', dir, join(out, 'findings.xlsx')], { encoding: 'utf8', timeout: 120_000 });
    expect(result.status, result.stderr).toBe(0);
    const produced = readdirSync(dir).find((f) => f.endsWith('.csv'))!;
    const rows = parse(readFileSync(join(dir, produced), 'utf8'), { relax_column_count: true }) as string[][];
    expect(rows.length).toBe(worklist.length + 1);
    const header = rows[0]!;
    const at = (row: string[], name: string) => row[header.indexOf(name)]!;
    rows.slice(1).forEach((row, i) => {
      const expected = worklist[i]!;
      expect(Number(at(row, 'Rank'))).toBe(Number(expected.rank));
      expect(Number(at(row, 'Dollars').replace(/[$,]/g, ''))).toBe(Number(expected.dollars));
      expect(Number(at(row, 'Denied').replace(/[$,]/g, ''))).toBe(Number(expected.denial));
      expect(at(row, 'Claim')).toBe(expected.claim_id);
      expect(at(row, 'Billing NPI')).toBe(expected.billing_npi);
      expect(at(row, 'Service date')).toBe(expected.service_date);
      expect(at(row, 'Code')).toBe(expected.hcpcs);
      expect(at(row, 'Owner')).toBe(expected.owner);
      expect(at(row, 'First step')).toBe(expected.first_step);
    });
  }, 180_000);
});
