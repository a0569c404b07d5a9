// Nightly operation through the CLI: run history (--history), statuses against the last run,
// claims replaced and voided, findings carried open, re-runs, and the run history on disk.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { localDate } from '../../src/suppressions/suppressions.js';
import { Finding } from '../../src/model/index.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const NIGHT_1 = 'samples/837p-infusion-center-medicare.edi';

async function cli(args: string[], now?: Date) {
  let stderr = '';
  const code = await runCli(args, { stdout: () => {}, stderr: (t) => (stderr += t), cwd: root, ...(now ? { now: () => now } : {}) });
  return { code, stderr };
}

const findingsOf = (out: string) =>
  readFileSync(join(out, 'findings.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => Finding.parse(JSON.parse(l)));
const summaryOf = (out: string) => JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
/** "claim rule status" of each finding, sorted. */
const statuses = (out: string) => findingsOf(out).map((f) => `${f.claimId} ${f.ruleId} ${f.status}`).sort();

/** The night-1 file's segments: ST's body split into the header, subscribers and claims. */
function segmentsOf(path: string): string[] {
  return readFileSync(join(root, path), 'latin1')
    .split('~')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Night 2: a corrected replacement of two night-1 claims (one under its own CLM01, one naming it in REF*F8), a void, and a new faulty claim. */
function nightTwo(): string {
  const all = segmentsOf(NIGHT_1);
  const header = all.slice(all.findIndex((s) => s.startsWith('BHT')), all.findIndex((s) => s.startsWith('HL*2*')));
  const subscriber = (claimId: string) => {
    const at = all.findIndex((s) => s.startsWith(`CLM*${claimId}*`));
    const hl = all.slice(0, at).findLastIndex((s) => s.startsWith('HL*'));
    return all.slice(hl + 1, all.slice(hl + 1).findIndex((s) => s.startsWith('CLM*')) + hl + 1);
  };
  const claim = (claimId: string) => {
    const at = all.findIndex((s) => s.startsWith(`CLM*${claimId}*`));
    const end = all.findIndex((s, i) => i > at && /^(CLM|HL|SE)\*/.test(s));
    return all.slice(at, end);
  };
  // RB250311-02, replaced under its own claim number: 240 units with JZ, no RT (its three findings fixed).
  const fixed = claim('RB250311-02').map((s) => s.replace('CLM*RB250311-02*8550***11:B:1', 'CLM*RB250311-02*8550***11:B:7').replace('SV1*HC:J9299:RT*8200*UN*24*', 'SV1*HC:J9299:JZ*8200*UN*240*'));
  // RB250312-01, replaced as RB250312-01R naming it in REF*F8: the charge fixed, the units (100 for 100 mL of Privigen) not.
  const replaced = claim('RB250312-01').flatMap((s) => {
    if (s.startsWith('CLM*')) return ['CLM*RB250312-01R*9250***11:B:7*Y*A*Y*Y', 'REF*F8*RB250312-01'];
    return [s.replace('SV1*HC:J1459:JZ*2500*', 'SV1*HC:J1459:JZ*9000*')];
  });
  // RB250324-02 voided.
  const voided = claim('RB250324-02').map((s) => s.replace('CLM*RB250324-02*450***11:B:1', 'CLM*RB250324-02*450***11:B:8'));
  // A new claim of the same provider: nivolumab without JZ, with its infusion.
  const fresh = ['CLM*RB250401-01*8550***11:B:1*Y*A*Y*Y', 'HI*ABK:C3490', 'LX*1', 'SV1*HC:J9299*8200*UN*240*11**1', 'DTP*472*D8*20250401', 'LIN**N4*00003373413', 'CTP****24*ML', 'LX*2', 'SV1*HC:96413*350*UN*1*11**1', 'DTP*472*D8*20250401'];
  const body = [
    ...header,
    'HL*2*1*22*0',
    ...subscriber('RB250311-02'),
    ...fixed,
    ...fresh,
    'HL*3*1*22*0',
    ...subscriber('RB250312-01'),
    ...replaced,
    'HL*4*1*22*0',
    ...subscriber('RB250324-02'),
    ...voided,
  ];
  const segments = [all[0]!, all[1]!, 'ST*837*0001*005010X222A1', ...body, `SE*${body.length + 2}*0001`, 'GE*1*1', 'IEA*1*000000101'];
  return `${segments.join('~\n')}~\n`;
}

describe('three nights with history', () => {
  it('night 1 new; night 2 fixed, replaced, voided and new claims; night 3 nothing new', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-nights-'));
    const out = join(dir, 'reports');
    const history = join(out, 'history');
    const night2 = join(dir, 'night2.edi');
    writeFileSync(night2, nightTwo(), 'latin1');

    // Night 1: everything is new, first seen tonight.
    const one = await cli([NIGHT_1, '--out', out, '--history', history], new Date('2026-03-01T02:00:00Z'));
    expect(one.code).toBe(1);
    const night1 = findingsOf(out);
    expect(night1.length).toBe(19);
    expect(new Set(night1.map((f) => f.status))).toEqual(new Set(['new']));
    const run1 = summaryOf(out).history.run as string;
    expect(run1).toMatch(/^20260301T020000Z-[0-9a-f]{6}$/);
    expect(night1.every((f) => f.firstSeen?.run === run1 && f.firstSeen.date === localDay('2026-03-01T02:00:00Z'))).toBe(true);
    expect(summaryOf(out).history).toMatchObject({ since: null, byStatus: { new: { findings: 19 }, resolved: { findings: 0 } }, carried: { findings: 0 } });

    // Night 2.
    const two = await cli([night2, '--out', out, '--history', history], new Date('2026-03-02T02:00:00Z'));
    expect(two.code).toBe(1);
    const s2 = summaryOf(out).history;
    expect(s2.since).toBe(run1);
    expect(statuses(out)).toEqual([
      // Charge fixed, units still wrong: carried from RB250312-01 with its firstSeen, its dollars changed.
      'RB250312-01R units-vs-ndc-quantity updated',
      'RB250401-01 jw-jz-missing new',
    ]);
    const carried = findingsOf(out).find((f) => f.claimId === 'RB250312-01R')!;
    expect(carried.firstSeen).toEqual({ run: run1, date: localDay('2026-03-01T02:00:00Z') });
    const ended = (s2.ended as Array<{ claimId: string; ruleId: string; status: string }>).map((e) => `${e.claimId} ${e.ruleId} ${e.status}`).sort();
    expect(ended).toEqual([
      'RB250311-02 jw-jz-missing resolved',
      'RB250311-02 modifier-not-valid-for-drug resolved',
      'RB250311-02 units-vs-ndc-quantity resolved',
      'RB250324-02 diagnosis-pointer-invalid voided',
    ]);
    expect(s2.byStatus).toMatchObject({ new: { findings: 1 }, unchanged: { findings: 0 }, updated: { findings: 1 }, resolved: { findings: 3 }, voided: { findings: 1 } });
    // The resolved dollars: what their line put at risk on night 1, once (the three are findings of one line, counted at its largest).
    const night1Of = (claim: string, rule: string) => night1.find((f) => f.claimId === claim && f.ruleId === rule)!;
    const resolved = ['RB250311-02 jw-jz-missing', 'RB250311-02 modifier-not-valid-for-drug', 'RB250311-02 units-vs-ndc-quantity'].map((k) => night1Of(k.split(' ')[0]!, k.split(' ')[1]!));
    expect(new Set(resolved.map((f) => f.lineNumber)).size).toBe(1);
    const resolvedDollars = Math.max(...resolved.map((f) => f.dollarsAtRisk));
    expect(s2.byStatus.resolved.dollars).toBeCloseTo(resolvedDollars, 2);
    // Night 1's findings of claims not in night 2's input stay open, as they were: 19 less the 5 ended or carried.
    // (The charge of RB250312-01 is not below the payment of the 20 units its NDC quantity shows: no finding on night 1 since issue 29.)
    expect(s2.carried.findings).toBe(14);
    expect(s2.carried.top.every((e: { firstSeen: { run: string } }) => e.firstSeen.run === run1)).toBe(true);

    // Night 3: night 2's file again: nothing new, nothing ended; the open worklist as it was.
    const three = await cli([night2, '--out', out, '--history', history], new Date('2026-03-03T02:00:00Z'));
    expect(three.code).toBe(1);
    const s3 = summaryOf(out).history;
    expect(statuses(out)).toEqual(['RB250312-01R units-vs-ndc-quantity unchanged', 'RB250401-01 jw-jz-missing unchanged']);
    expect(s3.byStatus).toMatchObject({ new: { findings: 0 }, unchanged: { findings: 2 }, updated: { findings: 0 }, resolved: { findings: 0 }, voided: { findings: 0 } });
    expect(s3.carried.findings).toBe(14);
    expect(findingsOf(out).find((f) => f.claimId === 'RB250401-01')!.firstSeen!.run).toBe(s2.run);
    expect(three.stderr).toContain(`History (since ${s2.run}): 0 findings resolved ($0.00), 0 findings voided.`);
    expect(three.stderr).toMatch(/Open: \$[\d,.]+ on \d+ claim lines \([^)]*\): 0 lines new tonight \(\$0\.00\), 0 lines changed \(\$0\.00\), \d+ lines still open \(\$[\d,.]+; \d+ lines not in tonight.s files\)\./);

    // The history: three runs, each a folder with its files; --keep-runs keeps the newest.
    const runs = readdirSync(history).sort();
    expect(runs).toEqual([run1, s2.run, s3.run]);
    for (const run of runs) expect(readdirSync(join(history, run)).sort()).toEqual(['audited.ndjson', 'drug-lines.ndjson', 'ended.ndjson', 'findings.ndjson', 'open.ndjson', 'report.html', 'run.json']);
    expect(readFileSync(join(history, s3.run, 'open.ndjson'), 'utf8').trim().split('\n')).toHaveLength(16);
    // --since a date or a run: night 3 compared with night 1.
    await cli([night2, '--out', out, '--history', history, '--since', run1, '--keep-runs', '2'], new Date('2026-03-04T02:00:00Z'));
    expect(summaryOf(out).history.since).toBe(run1);
    expect(readdirSync(history)).toHaveLength(2);
  });

  it('a night whose input holds no claim (exit 3) adds nothing to the history', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-empty-night-'));
    const out = join(dir, 'reports');
    const history = join(out, 'history');
    await cli([NIGHT_1, '--out', out, '--history', history]);
    const empty = join(dir, 'empty.edi');
    writeFileSync(empty, '');
    const { code } = await cli([empty, '--out', out, '--history', history]);
    expect(code).toBe(3);
    expect(readdirSync(history)).toHaveLength(1);
  });

  it('re-running the same inputs: all unchanged, the same findings (their status aside) and, from the second run on, the same bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-rerun-'));
    const out = join(dir, 'reports');
    const history = join(out, 'history');
    await cli([NIGHT_1, '--out', out, '--history', history], new Date('2026-03-01T02:00:00Z'));
    const first = readFileSync(join(out, 'findings.ndjson'), 'utf8');
    await cli([NIGHT_1, '--out', out, '--history', history], new Date('2026-03-02T02:00:00Z'));
    const second = readFileSync(join(out, 'findings.ndjson'), 'utf8');
    expect(new Set(findingsOf(out).map((f) => f.status))).toEqual(new Set(['unchanged']));
    expect(second.replaceAll('"status":"unchanged"', '"status":"new"')).toBe(first);
    expect(readdirSync(history)).toHaveLength(2);
    await cli([NIGHT_1, '--out', out, '--history', history], new Date('2026-03-03T02:00:00Z'));
    expect(readFileSync(join(out, 'findings.ndjson'), 'utf8')).toBe(second);
  });

  it('the same claim in another file, its lines re-ordered, is the same findings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-reorder-'));
    const all = segmentsOf(NIGHT_1);
    // RB250311-02 with its two lines swapped (the infusion first).
    const at = all.findIndex((s) => s.startsWith('CLM*RB250311-02*'));
    const end = all.findIndex((s, i) => i > at && /^(CLM|HL|SE)\*/.test(s));
    const claim = all.slice(at, end);
    const lx = claim.map((s, i) => (s.startsWith('LX*') ? i : -1)).filter((i) => i >= 0);
    const drug = claim.slice(lx[0], lx[1]).map((s) => s.replace('LX*1', 'LX*2'));
    const infusion = claim.slice(lx[1]).map((s) => s.replace('LX*2', 'LX*1'));
    const reordered = [...claim.slice(0, lx[0]), ...infusion, ...drug];
    const body = [...all.slice(all.findIndex((s) => s.startsWith('BHT')), all.findIndex((s) => s.startsWith('CLM*'))), ...reordered];
    const file = join(dir, 'again.edi');
    writeFileSync(file, `${[all[0], all[1], 'ST*837*0001*005010X222A1', ...body, `SE*${body.length + 2}*0001`, 'GE*1*1', 'IEA*1*000000101'].join('~\n')}~\n`, 'latin1');
    await cli([NIGHT_1, '--out', join(dir, 'a')]);
    await cli([file, '--out', join(dir, 'b')]);
    const ids = (out: string) => findingsOf(out).filter((f) => f.claimId === 'RB250311-02').map((f) => `${f.ruleId} ${f.id} ${f.lineKey}`).sort();
    expect(ids(join(dir, 'b'))).toEqual(ids(join(dir, 'a')));
    expect(findingsOf(join(dir, 'b')).find((f) => f.ruleId === 'jw-jz-missing')!.lineNumber).toBe(2);
  });

  it('--since that names no run is a usage error before anything is read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-since-'));
    const { code, stderr } = await cli([NIGHT_1, '--out', join(dir, 'r'), '--history', join(dir, 'h'), '--since', '20250101T000000Z-abcdef']);
    expect(code).toBe(2);
    expect(stderr).toContain('--since 20250101T000000Z-abcdef: no such run');
    expect((await cli([NIGHT_1, '--out', join(dir, 'r'), '--since', 'last'])).code).toBe(2);
  });
});

const localDay = (iso: string) => localDate(new Date(iso));
