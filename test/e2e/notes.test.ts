// The team's notes carried from night to night (issue 31, item 5): assignee, work status and note
// typed into night 1's workbook (by exceljs, then saved again by LibreOffice headless when it is
// installed, as a user's spreadsheet would) appear on night 2's rows for the same finding ids,
// whether the line was audited again or carried; a finding that ended keeps its note in the
// history's ended list; a "won't fix" row becomes a suppression entry in one command.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { defaultNotesFiles } from '../../src/report/notes.js';
import { readWorkbook } from '../support/xlsx.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SOFFICE = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p)) ?? null;
const EDI = 'samples/837p-infusion-center-medicare.edi';
const CSV = 'samples/csv-canonical-template.csv';

async function cli(args: string[], date: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: root, now: () => new Date(`${date}T02:00:00Z`) });
  return { code, stdout, stderr };
}

type Row = Record<string, string> & { finding_ids: string; claim_id: string };
const rowsOf = (file: string) => parse(readFileSync(file, "utf8"), { columns: true, bom: true }) as Row[];

/** A row's notes as the CSV holds them. */
const notesOf = (r: Record<string, string>) => ({ assignee: r.assignee, work_status: r.work_status, note: r.note });

describe('worklist notes', () => {
  it('typed into night 1\'s workbook, they are on night 2\'s rows for the same findings, kept in the history when a finding ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-notes-'));
    const out = join(dir, 'reports');
    const history = join(dir, 'history');
    expect((await cli([EDI, CSV, '--out', out, '--history', history, '--fail-on', 'none'], '2026-03-01')).code).toBe(0);
    const night1 = rowsOf(join(out, 'worklist.csv'));
    // Three lines: one fixed tonight (RB250311-02), one audited again unchanged, one whose file is not in tonight's input (carried).
    const fixed = night1.find((r) => r.claim_id === 'RB250311-02')!;
    const again = night1.find((r) => r.source_file === EDI && r.claim_id !== 'RB250311-02')!;
    const carried = night1.find((r) => r.source_file === CSV)!;
    const typed = new Map([
      [fixed.finding_ids, { assignee: 'ana', status: 'corrected', note: 'rebilled with JZ, 240 units' }],
      [again.finding_ids, { assignee: 'raj', status: 'In progress', note: '=SUM(A1) payer called 3/1' }],
      [carried.finding_ids, { assignee: 'lee', status: "won't fix", note: 'contract carve-out with the payer' }],
    ]);

    // Typed into the Worklist sheet with exceljs, as a spreadsheet user would, and saved under another name.
    const book = await readWorkbook(join(out, 'findings.xlsx'));
    const ws = book.getWorksheet('Worklist')!;
    const header = (ws.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
    const col = (title: string) => header.indexOf(title);
    let edited = 0;
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const work = typed.get(String(row.getCell(col('Finding ids')).value));
      if (!work) return;
      row.getCell(col('Assignee')).value = work.assignee;
      row.getCell(col('Work status')).value = work.status;
      row.getCell(col('Note')).value = work.note;
      edited++;
    });
    expect(edited).toBe(3);
    let notesFile = join(dir, 'edited.xlsx');
    await book.xlsx.writeFile(notesFile);
    if (SOFFICE) {
      // Saved again by LibreOffice (shared strings, its own styles), the way a user's Calc or Excel writes it.
      const saved = join(dir, 'saved');
      const result = spawnSync(SOFFICE, ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'xlsx', '--outdir', saved, notesFile], { encoding: 'utf8', timeout: 120_000 });
      expect(result.status, result.stderr).toBe(0);
      notesFile = join(saved, readdirSync(saved).find((f) => f.endsWith('.xlsx'))!);
    }

    // Night 2: the EDI file again, RB250311-02 fixed; the CSV file not sent.
    const night2Edi = join(dir, 'night2.edi');
    writeFileSync(night2Edi, readFileSync(join(root, EDI), 'latin1').replace('CLM*RB250311-02*8550***11:B:1', 'CLM*RB250311-02*8550***11:B:7').replace('SV1*HC:J9299:RT*8200*UN*24*', 'SV1*HC:J9299:JZ*8200*UN*240*'), 'latin1');
    copyFileSync(notesFile, join(dir, 'notes.xlsx'));
    const two = await cli([night2Edi, '--out', out, '--history', history, '--fail-on', 'none', '--worklist-notes', join(dir, 'notes.xlsx')], '2026-03-02');
    expect(two.code, two.stderr).toBe(0);
    // The status typed in another case is read as the one it names: no warning.
    expect(two.stderr).not.toContain('worklist notes');
    const night2 = rowsOf(join(out, 'worklist.csv'));
    const byIds = (ids: string) => night2.find((r) => r.finding_ids.split(' ').some((id) => ids.split(' ').includes(id)));
    expect(byIds(again.finding_ids)!.status).toBe('unchanged');
    // The formula-like note comes back as typed (neutralised again in the CSV: one apostrophe, not two).
    expect(notesOf(byIds(again.finding_ids)!)).toEqual({ assignee: 'raj', work_status: 'in progress', note: "'=SUM(A1) payer called 3/1" });
    expect(byIds(carried.finding_ids)!.status).toBe('carried');
    expect(notesOf(byIds(carried.finding_ids)!)).toEqual({ assignee: 'lee', work_status: "won't fix", note: 'contract carve-out with the payer' });
    // The fixed line left the worklist; its note is kept with the ended finding in the history.
    expect(night2.filter((r) => r.finding_ids.split(' ').some((id) => fixed.finding_ids.split(' ').includes(id)))).toEqual([]);
    const run2 = readdirSync(history).filter((d) => /^\d{8}T/.test(d)).sort().at(-1)!;
    const ended = readFileSync(join(history, run2, 'ended.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; status: string; work?: unknown });
    const fixedIds = fixed.finding_ids.split(' ');
    expect(ended.filter((e) => fixedIds.includes(e.id)).map((e) => [e.status, e.work])).toEqual(fixedIds.map(() => ['resolved', { assignee: 'ana', status: 'corrected', note: 'rebilled with JZ, 240 units' }]));

    // Night 3 without a notes file: the notes come from night 2's worklist.csv and the history.
    const three = await cli([night2Edi, '--out', out, '--history', history, '--fail-on', 'none'], '2026-03-03');
    expect(three.code, three.stderr).toBe(0);
    const night3 = rowsOf(join(out, 'worklist.csv'));
    expect(notesOf(night3.find((r) => r.finding_ids === byIds(carried.finding_ids)!.finding_ids)!)).toMatchObject({ assignee: 'lee', work_status: "won't fix" });
    expect(night3.find((r) => r.finding_ids === byIds(again.finding_ids)!.finding_ids)!.aging_days).toBe('2');

    // The "won't fix" line becomes suppression entries, one per finding, the note as the reason.
    const suppressions = join(dir, 'team.suppressions.jsonl');
    const add = await cli(['suppressions', 'add', '--from-worklist', join(out, 'worklist.csv'), '--expires', '2026-12-31', '--suppressions', suppressions], '2026-03-03');
    expect(add.code, add.stderr).toBe(0);
    const entries = readFileSync(suppressions, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(entries.map((e) => e.finding).sort()).toEqual(carried.finding_ids.split(' ').sort());
    expect(entries[0]).toMatchObject({ reason: 'contract carve-out with the payer', owner: 'lee', expires: '2026-12-31', created: '2026-03-03' });
    // Night 4 with them: the line leaves the worklist and the open dollars.
    const four = await cli([night2Edi, '--out', out, '--history', history, '--fail-on', 'none', '--suppressions', suppressions], '2026-03-04');
    expect(four.code, four.stderr).toBe(0);
    expect(rowsOf(join(out, 'worklist.csv')).some((r) => r.finding_ids === byIds(carried.finding_ids)!.finding_ids)).toBe(false);
  }, 240_000);

  it('a notes file that is not a worklist is one line and exit 2; a default one that cannot be read is a warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-notes-bad-'));
    const bad = join(dir, 'notes.csv');
    writeFileSync(bad, 'a,b\n1,2\n');
    const given = await cli([EDI, '--out', join(dir, 'out'), '--worklist-notes', bad], '2026-03-01');
    expect(given.code).toBe(2);
    expect(given.stderr.trim().split('\n')).toEqual([`claim-audit: --worklist-notes ${bad}: no finding_ids column: not a worklist.csv`]);
    // A CSV that cannot be parsed (an unclosed quote): one line, nothing of its content quoted.
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, 'finding_ids,note\n00000000000000aa,"Jane Doe 1950-01-01\n');
    const parsed = await cli([EDI, '--out', join(dir, 'out3'), '--worklist-notes', broken], '2026-03-01');
    expect(parsed.code).toBe(2);
    expect(parsed.stderr.trim().split('\n')).toEqual([`claim-audit: --worklist-notes ${broken}: not a CSV file that can be read (record 2)`]);
    // The output folder's own worklist.csv, damaged: the run goes on and says so.
    const out = join(dir, 'out2');
    expect((await cli([EDI, '--out', out, '--fail-on', 'none'], '2026-03-01')).code).toBe(0);
    writeFileSync(join(out, 'worklist.csv'), 'not,a,worklist\n');
    const next = await cli([EDI, '--out', out, '--fail-on', 'none'], '2026-03-02');
    expect(next.code).toBe(0);
    expect(next.stderr).toContain('warning: worklist notes: ');
    expect(next.stderr).toContain('no notes carried from it');
    // A work status of no known kind is kept in the note, with a warning naming the row.
    const rows = readFileSync(join(dir, 'out2', 'worklist.csv'), 'utf8').split('\r\n');
    const header = rows[0]!.split(',');
    const cells = rows[1]!.split(',');
    cells[header.indexOf('work_status')] = 'waiting on pharmacy';
    rows[1] = cells.join(',');
    writeFileSync(join(out, 'worklist.csv'), rows.join('\r\n'));
    const third = await cli([EDI, '--out', out, '--fail-on', 'none'], '2026-03-03');
    expect(third.stderr).toMatch(/worklist\.csv, row 2: work status "waiting on pharmacy" is not one of open, in progress/);
    expect(rowsOf(join(out, 'worklist.csv'))[0]!.note).toBe('[waiting on pharmacy]');
  }, 120_000);

  // A run's own workbook is not the team's: on a large run it was written long after the run's
  // finishing time, so the next run took it for an edited one and read it whole with exceljs
  // (a 100 MB drug-heavy night's 7 MB workbook ran the next night out of heap).
  it('a run\'s own workbook is dated as the run finished, so the next run does not read it for notes', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'claim-audit-notes-own-')), 'reports');
    const clock = { at: Date.parse('2026-03-01T02:00:00Z') };
    // Every reading of the clock an hour later: the workbook is written "hours" after finishedAt.
    const later = async () => runCli([EDI, '--out', out, '--fail-on', 'none'], { stdout: () => {}, stderr: () => {}, cwd: root, now: () => new Date((clock.at += 3_600_000)) });
    expect(await later()).toBe(0);
    const finished = Date.parse((JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { manifest: { run: { finishedAt: string } } }).manifest.run.finishedAt);
    expect(Math.abs(statSync(join(out, 'findings.xlsx')).mtimeMs - finished)).toBeLessThan(1000);
    expect(defaultNotesFiles(out).map((f) => f.slice(out.length + 1))).toEqual(['worklist.csv']);
  });
});

