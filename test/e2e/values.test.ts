// Findings are values after the rules: the memory executor deep-freezes every line and finding
// once the rules are done, and the samples go through triage (masking, suppressions), the
// ranking, the history's statuses (two nights) and every reporter without a write to them (a
// write to a frozen object throws in strict mode); the outputs are the same as an unfrozen run's.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit.js';
import { deepFreeze } from '../../src/exec/memory.js';
import { parseCodeSelection } from '../../src/ingest/select.js';
import type { Finding } from '../../src/model/index.js';
import { rankLine } from '../../src/model/order.js';
import { coveredCodes, loadReference } from '../../src/reference/index.js';
import { REPORT_FORMATS } from '../../src/report/write.js';
import { Triage } from '../../src/stages.js';
import { parquetText } from '../support/parquet.js';
import { xlsxText } from '../support/xlsx.js';
import { finding } from '../support/findings.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const reference = loadReference({});
const samples = ['837p-infusion-center-medicare.edi', '837p-medicaid-commercial-advantage.edi', '837i-hospital-outpatient.edi', 'csv-canonical-template.csv'].map((f) => join(root, 'samples', f));

async function nights(freezeAfterRules: boolean, suppressions: string): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), `claim-audit-values-${freezeAfterRules}-`));
  const out = join(dir, 'reports');
  const outputs: Record<string, string> = {};
  for (const [night, inputs] of [
    ['2026-03-01', samples.slice(0, 2)],
    ['2026-03-02', samples],
  ] as const) {
    await runAudit({
      inputs: [...inputs],
      outDir: out,
      formats: [...REPORT_FORMATS],
      codes: parseCodeSelection('covered', coveredCodes(reference.pack)),
      codesOption: 'covered',
      reference,
      asOf: null,
      failOn: 'none',
      phi: 'masked',
      executor: 'memory',
      history: { dir: join(dir, 'history'), since: 'last', keep: null },
      suppressions,
      tuning: { freezeAfterRules },
      now: () => new Date(`${night}T02:00:00Z`),
    });
    for (const name of ['findings.csv', 'worklist.csv', 'findings.ndjson', 'lines.ndjson']) outputs[`${night}/${name}`] = readFileSync(join(out, name), 'utf8');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { manifest: unknown; history: { run: string } };
    outputs[`${night}/summary.json`] = JSON.stringify({ ...summary, manifest: null, history: { ...summary.history, run: null } });
    outputs[`${night}/findings.xlsx`] = await xlsxText(join(out, 'findings.xlsx'));
    outputs[`${night}/findings.parquet`] = await parquetText(join(out, 'findings.parquet'));
  }
  return outputs;
}

describe('findings are values after the rules', () => {
  it('the samples, frozen after the rules, through triage, ranking, two nights of history and every reporter: the same outputs', async () => {
    // A suppression of the largest finding of a line that has others: the line's dollars move to its next finding.
    const probe = await nights(false, join(tmpdir(), 'claim-audit-values-none.jsonl'));
    const findings = probe['2026-03-02/findings.ndjson']!.trim().split('\n').map((l) => JSON.parse(l) as Finding);
    const lineOf = (f: Finding) => `${f.claimId}|${f.lineNumber}`;
    const target = findings.find((f) => f.lineDollars !== undefined && findings.some((g) => g !== f && lineOf(g) === lineOf(f)))!;
    expect(target).toBeDefined();
    const file = join(mkdtempSync(join(tmpdir(), 'claim-audit-values-')), 'suppressions.jsonl');
    writeFileSync(file, `${JSON.stringify({ finding: target.id, reason: 'accepted', owner: 'qa@example.org', created: '2026-02-01', expires: '2026-12-31' })}\n`);

    const plain = await nights(false, file);
    const frozen = await nights(true, file);
    expect(Object.keys(frozen)).toEqual(Object.keys(plain));
    for (const name of Object.keys(plain)) expect(frozen[name], name).toBe(plain[name]);

    // The suppressed finding left the ranking's line dollars to the next finding of its line.
    const night2 = plain['2026-03-02/findings.ndjson']!.trim().split('\n').map((l) => JSON.parse(l) as Finding);
    expect(night2.some((f) => f.id === target.id)).toBe(false);
    const rest = night2.filter((f) => lineOf(f) === lineOf(target));
    expect(rest.filter((f) => f.lineDollars !== undefined)).toHaveLength(1);
    // Each line's dollars once: the column sums to the headline.
    const summary = JSON.parse(plain['2026-03-02/summary.json']!) as { findingTotals: { dollarsAtRisk: number } };
    expect(night2.reduce((n, f) => n + Math.round((f.lineDollars ?? 0) * 100), 0) / 100).toBeCloseTo(summary.findingTotals.dollarsAtRisk, 2);
    // Night 2 has statuses from the history.
    expect(night2.every((f) => f.status !== undefined && f.firstSeen !== undefined)).toBe(true);
  }, 120_000);

  it('a stage that writes to a frozen finding throws (the freeze can fail)', () => {
    const frozen = deepFreeze(finding({ memberId: 'MEMBER123456' }));
    expect(() => {
      (frozen as { memberId: string | null }).memberId = '****3456';
    }).toThrow(TypeError);
  });

  it('triage and ranking return new values and leave theirs alone', () => {
    const a = deepFreeze(finding({ memberId: 'MEMBER123456', dollarsAtRisk: 10, ruleId: 'a' }));
    const b = deepFreeze(finding({ memberId: 'MEMBER123456', dollarsAtRisk: 20, ruleId: 'b' }));
    const triaged = new Triage('masked', null).line([a, b]);
    expect(triaged.map((f) => f.memberId)).toEqual(['****3456', '****3456']);
    expect(a.memberId).toBe('MEMBER123456');
    const ranked = rankLine(triaged);
    expect(ranked.map((f) => f.lineDollars)).toEqual([undefined, 20]);
    expect(triaged[1]!.lineDollars).toBeUndefined();
  });
});
