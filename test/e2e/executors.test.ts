// The memory and the local executor give byte-identical outputs: on the samples, and on
// generated drug-heavy 837P and CSV input large enough to spill everything the local executor
// can spill (tiny buckets split again, tiny sorted runs merged in passes, the pool forced on).
// The corpus files are checked the same way in test/corpus/executors.test.ts.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate837, generateCanonicalCsv } from '../../src/bench/generate.js';
import { auditWith, BYTE_IDENTICAL } from '../support/differential.js';

const MB = 1024 * 1024;

const lineOf = (row: string) => Number(row.split(',')[1]);
/** Rows sorted by line number (stable): each claim's first line, then its second…: claims with several lines are apart. */
const byLineNumber = (rows: string[]) => rows.map((row, i) => [row, i] as const).sort((x, y) => lineOf(x[0]) - lineOf(y[0]) || x[1] - y[1]).map(([row]) => row);

/**
 * Claims made for the rules across claims: a few hundred members with several claims each on a
 * few days, the same codes, units and modifiers again and again (duplicates), daily units over
 * the MUE, a one-time gene therapy given twice, replacement and void claims; rows apart.
 */
function acrossClaims(seed: number, replacing = false): string {
  let state = seed;
  const random = (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  const rows: string[] = [];
  for (let claim = 0; claim < 6000; claim++) {
    const member = `M${String(random(400)).padStart(4, '0')}`;
    const date = `2025-03-${String(10 + random(3)).padStart(2, '0')}`;
    // The later file replaces or voids claims of the first by their claim id.
    const frequency = replacing ? ['7', '8'][random(2)] : ['1', '1', '1', '1', '7', '8'][random(6)];
    if (replacing && claim >= 1500) break;
    const type = random(4) === 0 ? 'institutional' : 'professional';
    const lines = 1 + random(3);
    for (let line = 1; line <= lines; line++) {
      const code = ['J9299', 'J1459', 'J1411', 'J9299'][random(4)]!;
      const units = code === 'J1411' ? 1 : [100, 240, 240, 300][random(4)];
      rows.push(`A${replacing ? random(6000) : claim},${line},${type},${member},PAYER,MB,${date},${code},JZ,,${units},UN,${1000 + random(9000)}.00,,,,C3490,,,,1,11,1234567893,CLINIC,PA1,${frequency}`);
    }
  }
  const header = 'claim_id,line_number,claim_type,member_id,payer_name,claim_filing_indicator,service_from_date,hcpcs,modifier_1,modifier_2,units,unit_type,charge,ndc,ndc_quantity,ndc_unit,diagnosis_1,diagnosis_2,diagnosis_3,diagnosis_4,dx_pointers,place_of_service,billing_npi,billing_name,prior_auth_number,frequency_code';
  return `${[header, ...byLineNumber(rows)].join('\n')}\n`;
}

const fixture = (name: string) => join('test/fixtures', name);
const WITH_MUE = { mue: [fixture('mue-practitioner.csv'), fixture('mue-outpatient.csv')] };

async function expectSame(inputs: string[], options: Parameters<typeof auditWith>[2] = {}) {
  const memory = await auditWith('memory', inputs, options);
  const local = await auditWith('local', inputs, options);
  expect(memory.result.execution).toMatchObject({ executor: 'memory', workers: 0 });
  expect(local.result.execution.executor).toBe('local');
  expect(local.result.execution.workers).toBe(2);
  expect(local.result.execution.buckets).toBeGreaterThan(1);
  for (const name of BYTE_IDENTICAL) expect(local.files[name], name).toBe(memory.files[name]);
  // The summary and the report too, the run's own times aside (the clock is fixed here).
  expect(local.files['summary.json']).toBe(memory.files['summary.json']);
  expect(local.files['report.html']).toBe(memory.files['report.html']);
  expect(local.files['findings.xlsx']).toBe(memory.files['findings.xlsx']);
  return { memory, local };
}

describe('the memory and the local executor', () => {
  it('give the same bytes on the samples', async () => {
    const samples = readdirSync('samples').map((f) => join('samples', f));
    const { memory } = await expectSame(samples);
    expect(memory.result.totals.drugLines).toBeGreaterThan(0);
  });

  it('give the same bytes with suppressions (the local executor applies them in its worker threads)', async () => {
    const samples = readdirSync('samples').map((f) => join('samples', f));
    const file = join(mkdtempSync(join(tmpdir(), 'claim-audit-suppress-diff-')), 'claim-audit.suppressions.jsonl');
    const entry = (selector: Record<string, string>) => JSON.stringify({ ...selector, reason: 'accepted', owner: 'qa', created: '2025-12-01', expires: '2026-12-31' });
    writeFileSync(file, [entry({ rule: 'charge-below-expected-payment', code: 'J1459' }), entry({ rule: 'jw-jz-conflict', payer: 'medicare' })].join('\n'));
    const { memory } = await expectSame(samples, { suppressions: file });
    expect(memory.result.view.suppressions?.findings).toBeGreaterThanOrEqual(3);
  });

  let generated: string[] = [];
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-differential-'));
    const a = join(dir, 'heavy-a.edi');
    const b = join(dir, 'heavy-b.edi');
    await generate837(a, 10 * MB, { seed: 11 });
    await generate837(b, 10 * MB, { seed: 12 });
    // A CSV whose claims' rows are apart: every claim's first line, then every second line…
    const csv = join(dir, 'apart.csv');
    await generateCanonicalCsv(csv, 2 * MB, { seed: 13 });
    const [header, ...rows] = readFileSync(csv, 'utf8').trimEnd().split('\n');
    writeFileSync(csv, `${[header, ...byLineNumber(rows)].join('\n')}\n`);
    const across = join(dir, 'across.csv');
    writeFileSync(across, acrossClaims(14));
    // Replacements and voids of some of those claims (the same CLM01, in a later file): lineage.
    const later = join(dir, 'across-later.csv');
    writeFileSync(later, acrossClaims(15, true));
    generated = [a, b, csv, across, later];
  }, 120_000);

  it('give the same bytes on 22 MB of generated drug-heavy 837P and CSVs whose claims are apart, with thousands of findings across claims', async () => {
    const { memory } = await expectSame(generated, { codes: 'all', reference: WITH_MUE });
    expect(memory.result.totals.drugLines).toBeGreaterThan(50_000);
    // The rules across claims found plenty to compare.
    const byRule = memory.result.view.groups.rule;
    for (const rule of ['duplicate-line', 'units-exceed-mue', 'frequency-limit-exceeded']) expect(byRule.find((g) => g.key === rule)?.findings ?? 0, rule).toBeGreaterThan(100);
  }, 300_000);
});
