// The same claims as an 837P and as a canonical CSV give the same findings and line records:
// the CSV reader makes the Claim records the 837 reader makes. The CSV is the project's own
// twin of samples/837p-infusion-center-medicare.edi (test/fixtures/pair/).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

async function audit(input: string) {
  const out = mkdtempSync(join(tmpdir(), 'claim-audit-pair-'));
  const code = await runCli([input, '--out', out, '--phi', 'full'], { stdout: () => {}, stderr: () => {}, cwd: root });
  const read = (name: string) =>
    readFileSync(join(out, name), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  // Positions differ by nature (segment vs row); everything else must not.
  const withoutPosition = (record: Record<string, unknown>) => {
    const { sourceRef, evidence, ...rest } = record as { sourceRef: unknown; evidence?: Record<string, unknown> };
    void sourceRef;
    if (evidence) {
      const { segmentIndex, byteOffset, ...kept } = evidence;
      void segmentIndex;
      void byteOffset;
      return { ...rest, evidence: kept };
    }
    return rest;
  };
  return { code, findings: read('findings.ndjson').map(withoutPosition), lines: read('lines.ndjson').map(withoutPosition), summary: JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) };
}

describe('an 837P and its canonical CSV twin', () => {
  it('give the same findings, the same line records and the same totals', async () => {
    const x12 = await audit('samples/837p-infusion-center-medicare.edi');
    const csv = await audit('test/fixtures/pair/837p-infusion-center-medicare.csv');
    expect(csv.summary.manifest.inputs[0].csv.layout).toBe('canonical');
    expect(x12.findings.length).toBeGreaterThan(10);
    expect(csv.findings).toEqual(x12.findings);
    expect(csv.lines).toEqual(x12.lines);
    expect(csv.summary.findingTotals).toEqual(x12.summary.findingTotals);
    expect(csv.summary.coverage).toEqual(x12.summary.coverage);
    expect(csv.code).toBe(x12.code);
  });
});
