// Predicted against paid (issue 32): a paired 837/835 set with known outcomes, audited, then its
// remittances read; every line's outcome and how it was matched, and the calibration, exact.
// Then three nights: the 835 read with the second night's audit (--remits) puts the payer's word
// on the first night's open lines, and the third night keeps it.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { wilson } from '../../src/view/calibration.js';
import { CODE_DATE_LINE, OTHER_CLP01_CLAIM, REVERSED_CLAIM, writePaired835, writePaired837, type PlannedOutcome } from '../support/remit-pairs.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

async function cli(args: string[], date = '2026-03-06') {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: root, now: () => new Date(`${date}T02:00:00Z`) });
  return { code, stdout, stderr };
}

const ndjson = (path: string) => readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));

let dir: string;
let planned: PlannedOutcome[];
let denialOf: Map<string, string | null>;
let dollarsOf: Map<string, Map<string, number>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'claim-audit-remits-'));
  const edi = writePaired837(dir, root);
  expect((await cli([edi, '--out', join(dir, 'night1'), '--history', join(dir, 'history'), '--fail-on', 'none'], '2026-03-01')).code).toBe(0);
  planned = writePaired835(join(dir, 'night1'), join(dir, 'paid.835'));
  const findings = ndjson(join(dir, 'night1', 'findings.ndjson')) as Array<{ id: string; ruleId: string; claimId: string; lineNumber: number; dollarsAtRisk: number; denial: { group: string | null; carc: string | null } }>;
  denialOf = new Map(findings.map((f) => [f.ruleId, f.denial.carc]));
  // Each line's largest amount per rule: what the calibration counts as predicted.
  dollarsOf = new Map();
  for (const f of findings) {
    const key = `${f.claimId}#${f.lineNumber}`;
    const m = dollarsOf.get(key) ?? dollarsOf.set(key, new Map()).get(key)!;
    m.set(f.ruleId, Math.max(m.get(f.ruleId) ?? 0, f.dollarsAtRisk));
  }
}, 120_000);

describe('claim-audit remits on a paired 837/835 set', () => {
  it('matches every audited line, each as planned, and measures every rule exactly', async () => {
    const run = await cli(['remits', join(dir, 'paid.835'), '--history', join(dir, 'history'), '--out', join(dir, 'calibration')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/matched 18 claims and 19 audited drug lines; 0 claims and 0 lines matched nothing/);
    // Every line's outcome, and how it was matched.
    const kept = readdirSync(join(dir, 'history', 'outcomes'));
    expect(kept).toHaveLength(1);
    const outcomes = ndjson(join(dir, 'history', 'outcomes', kept[0]!)) as Array<{ claimId: string; lineNumber: number; outcome: string; matchedBy: string; adjusted: number; carcs: string[]; rarcs: string[] }>;
    const got = outcomes.map((o) => [o.claimId, o.lineNumber, o.outcome, o.matchedBy]).sort();
    const want = planned.map((p) => [p.claimId, p.lineNumber, p.outcome, p.matchedBy]).sort();
    expect(got).toEqual(want);
    // The three scenarios of matching are there.
    expect(outcomes.find((o) => o.claimId === OTHER_CLP01_CLAIM)!.matchedBy).toBe('6R (claim under another CLP01)');
    expect(outcomes.find((o) => o.claimId === CODE_DATE_LINE.claimId)!.matchedBy).toBe('code+date');
    // The reversed claim's last word is its second payment, by plan.
    expect(outcomes.filter((o) => o.claimId === REVERSED_CLAIM).map((o) => o.outcome)).toEqual(planned.filter((p) => p.claimId === REVERSED_CLAIM).map((p) => p.outcome));
    const { calibration } = JSON.parse(readFileSync(join(dir, 'calibration', 'calibration.json'), 'utf8'));
    // Pinned: the plan gives 10 denied, 1 reduced, 8 paid (19 drug lines on 18 claims).
    expect(calibration.byOutcome).toEqual({ paid: 8, reduced: 1, denied: 10, reversed: 0 });
    // Every rule, recomputed from the plan.
    const rules = new Map<string, { outcomes: number; denied: number; reduced: number; paid: number; named: number; predicted: number; adjusted: number }>();
    for (const p of planned) {
      const taken = p.taken.filter(([g, c]) => g !== 'PR' && !['45', '42', '253'].includes(c)).reduce((n, [, , a]) => n + Math.round(a * 100), 0);
      for (const ruleId of p.ruleIds) {
        const r = rules.get(ruleId) ?? { outcomes: 0, denied: 0, reduced: 0, paid: 0, named: 0, predicted: 0, adjusted: 0 };
        r.outcomes++;
        r[p.outcome]++;
        if (p.outcome !== 'paid' && p.taken.some(([g, c]) => g !== 'PR' && c === denialOf.get(ruleId))) r.named++;
        r.predicted += Math.round((dollarsOf.get(`${p.claimId}#${p.lineNumber}`)?.get(ruleId) ?? 0) * 100);
        r.adjusted += taken;
        rules.set(ruleId, r);
      }
    }
    expect(calibration.rules.map((r: { ruleId: string }) => r.ruleId).sort()).toEqual([...rules.keys()].sort());
    for (const r of calibration.rules) {
      const e = rules.get(r.ruleId)!;
      const confirmed = e.denied + e.reduced;
      expect(r, r.ruleId).toMatchObject({ outcomes: e.outcomes, denied: e.denied, reduced: e.reduced, paid: e.paid, confirmed, withNamedCarc: e.named, precision: Math.round((confirmed / e.outcomes) * 1000) / 1000, interval: wilson(confirmed, e.outcomes) });
      expect(Math.round(r.predictedDollars * 100), r.ruleId).toBe(e.predicted);
      expect(Math.round(r.adjustedDollars * 100), r.ruleId).toBe(e.adjusted);
    }
    // Pinned: the MUE finding confirmed with the CARC it names; JW/JZ findings confirmed by CO-4, which they do not name.
    expect(calibration.rules.find((r: { ruleId: string }) => r.ruleId === 'units-exceed-mue')).toMatchObject({ outcomes: 1, confirmed: 1, withNamedCarc: 1, precision: 1, interval: { low: 0.207, high: 1 } });
    expect(calibration.rules.find((r: { ruleId: string }) => r.ruleId === 'jw-jz-missing')).toMatchObject({ confirmed: 1, withNamedCarc: 0 });
    // The denials no rule predicted: CO-197 and CO-22 (whole charges), the CO-59 partial payment, by dollars.
    expect(calibration.unpredicted.map((u: { carcs: string; rarcs: string; code: string; lines: number; dollars: number }) => [u.carcs, u.rarcs, u.code, u.lines, u.dollars])).toEqual([
      ['CO-197', 'N54', 'J9299', 1, 8200],
      ['CO-22', 'MA04', 'J9355', 1, 1500],
      ['CO-59', '', 'J9355', 1, 187.5],
    ]);
    expect(calibration.unpredicted.map((u: { carcs: string }) => u.carcs).sort()).toEqual(['CO-197', 'CO-22', 'CO-59']);
    for (let i = 1; i < calibration.unpredicted.length; i++) expect(calibration.unpredicted[i - 1].dollars).toBeGreaterThanOrEqual(calibration.unpredicted[i].dollars);
    // Paid in full with findings: candidate suppressions.
    expect(calibration.paidWithFindings.map((p: { claimId: string; lineNumber: number }) => `${p.claimId}#${p.lineNumber}`).sort()).toEqual(planned.filter((p) => p.outcome === 'paid' && p.ruleIds.length > 0).map((p) => `${p.claimId}#${p.lineNumber}`).sort());
    // calibration.csv: a row per rule.
    const rows = parse(readFileSync(join(dir, 'calibration', 'calibration.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.filter((r) => r.scope === 'rule')).toHaveLength(rules.size);
  });

  it('an 837 given as a remittance, a truncated 835, a reversal without its original: issues, not crashes', async () => {
    const bad = join(dir, 'bad');
    const text = readFileSync(join(dir, 'paid.835'), 'latin1');
    writeFileSync(`${bad}-truncated.835`, text.slice(0, Math.floor(text.length / 2)), 'latin1');
    writeFileSync(`${bad}-reversal.835`, text.replace(/CLP\*RB250311-01\*1\*8200\*([\d.]+)/, 'CLP*RB250311-01*22*-8200*-$1'), 'latin1');
    writeFileSync(`${bad}-negative.835`, text.replace(/CLP\*RB250312-01\*1\*2500/, 'CLP*RB250312-01*1*-2500'), 'latin1');
    const run = await cli(['remits', join(root, 'samples/837p-infusion-center-medicare.edi'), `${bad}-truncated.835`, `${bad}-reversal.835`, `${bad}-negative.835`, '--history', join(dir, 'history-bad-does-not-exist')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no audited run to match remittances to');
    const each = async (file: string) => cli(['remits', file, '--history', join(dir, 'history')]);
    const wrong = await each(join(root, 'samples/837p-infusion-center-medicare.edi'));
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('error: an 837 claim transaction in a remittance file');
    const truncated = await each(`${bad}-truncated.835`);
    expect(truncated.code).toBe(3);
    expect(truncated.stderr).toMatch(/bad-truncated\.835 \(segment \d+, byte \d+\): error: the input ends in the middle of a segment/);
    const reversal = await each(`${bad}-reversal.835`);
    expect(reversal.code).toBe(0);
    expect(reversal.stderr).toContain('a reversal (CLP02 22) of a payment no remittance read shows');
    const negative = await each(`${bad}-negative.835`);
    expect(negative.stderr).toContain('a negative charge on a claim that is not a reversal');
    // The same payment read twice: the later is the last word, said once a claim.
    writeFileSync(`${bad}-again.835`, text, 'latin1');
    const twice = await cli(['remits', join(dir, 'paid.835'), `${bad}-again.835`, '--history', join(dir, 'history')]);
    expect(twice.code).toBe(0);
    const hostile = { stderr: [wrong, truncated, reversal, negative, twice].map((r) => r.stderr).join('') };
    expect(twice.stderr).toContain('paid again under the same payer claim number');
    expect(hostile.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});

describe('three nights with remittances', () => {
  it('the 835 read with night 2 puts the payer\'s word on night 1\'s open lines; night 3 keeps it', async () => {
    const d = mkdtempSync(join(tmpdir(), 'claim-audit-remits-nights-'));
    const history = join(d, 'history');
    const out = join(d, 'reports');
    const edi = writePaired837(d, root);
    expect((await cli([edi, '--out', out, '--history', history, '--fail-on', 'none'], '2026-03-01')).code).toBe(0);
    const plan = writePaired835(out, join(d, 'paid.835'));
    // Night 2: other claims, and the remittance for night 1's.
    const two = await cli(['samples/837p-medicaid-commercial-advantage.edi', '--out', out, '--history', history, '--fail-on', 'none', '--remits', join(d, 'paid.835')], '2026-03-06');
    expect(two.code, two.stderr).toBe(0);
    const rows = parse(readFileSync(join(out, 'worklist.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const mue = plan.find((p) => p.ruleIds.includes('units-exceed-mue'))!;
    const row = rows.find((r) => r.claim_id === mue.claimId && Number(r.line_number) === mue.lineNumber)!;
    expect(row).toMatchObject({ status: 'carried', payer_outcome: 'denied', payer_date: '2026-03-05', payer_codes: 'CO-151 N362' });
    const paid = plan.find((p) => p.outcome === 'paid' && p.ruleIds.length > 0)!;
    expect(rows.find((r) => r.claim_id === paid.claimId && Number(r.line_number) === paid.lineNumber)!.payer_outcome).toBe('paid');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('denied by payer on 2026-03-05 (CO-151 / N362)');
    expect(html).toContain('paid: consider a suppression');
    expect(html).toContain('id="calibration"');
    // The worklist filters by what the payer did; the CLI says how the rules fared.
    expect(html).toContain('<select id="worklist-outcome" data-filter="outcome">');
    expect(html).toMatch(/data-outcome="denied"/);
    expect(two.stderr).toMatch(/Payers: 19 audited lines answered \(10 denied, 1 reduced, 8 paid, 0 reversed\); \d+ of \d+ rule findings with an answer confirmed; 3 denied lines no rule predicted \(calibration\.csv\)\./);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.calibration.byOutcome).toEqual({ paid: 8, reduced: 1, denied: 10, reversed: 0 });
    const runs = readdirSync(history).filter((r) => /^\d{8}T/.test(r)).sort();
    expect(readdirSync(join(history, runs[1]!))).toContain('outcomes.ndjson');
    // Night 3: nothing new read; the outcomes stay, from the history.
    const three = await cli(['samples/837p-medicaid-commercial-advantage.edi', '--out', out, '--history', history, '--fail-on', 'none'], '2026-03-07');
    expect(three.code).toBe(0);
    const again = parse(readFileSync(join(out, 'worklist.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(again.find((r) => r.claim_id === mue.claimId && Number(r.line_number) === mue.lineNumber)!.payer_outcome).toBe('denied');
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).calibration.lines).toBe(19);
    expect(readdirSync(out)).toContain('calibration.csv');
    // The workbook's Calibration sheet: a row per rule, as calibration.csv.
    const { readWorkbook } = await import('../support/xlsx.js');
    const sheet = (await readWorkbook(join(out, 'findings.xlsx'))).getWorksheet('Calibration')!;
    const csvRows = parse(readFileSync(join(out, 'calibration.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(sheet.rowCount - 1).toBe(csvRows.length);
    expect(String(sheet.getRow(2).getCell(3).value)).toBe(csvRows[0]!.rule_id);
  }, 120_000);
});
