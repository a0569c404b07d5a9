import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate837, generateRealistic837, STYLES } from '../../src/bench/generate.js';
import { ingestFile } from '../../src/ingest/index.js';

describe('the benchmark generator', () => {
  it('writes valid 837P in every delimiter style, with the claims and drug lines it says', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'claim-audit-gen-')), 'gen.edi');
    const generated = await generate837(path, 300_000, { seed: 7, claimsPerTransaction: 20 });
    expect(generated.interchanges).toBeGreaterThanOrEqual(STYLES.length);
    let drugLines = 0;
    const stats = await ingestFile(path, 'gen.edi', {
      onClaim: (claim) => {
        drugLines += claim.lines.filter((l) => /^[JQ]/.test(l.hcpcs ?? '')).length;
      },
    });
    expect(stats.issues).toEqual([]);
    expect(stats.interchanges).toBe(generated.interchanges);
    expect(stats.claims.audited).toBe(generated.claims);
    expect(drugLines).toBe(generated.drugLines);
    expect(stats.bytes).toBe(generated.bytes);
  });

  it('writes the realistic mix: 837P and 837I, claims of 1-6 lines with patient loops, drug lines about 5% of service lines, no input issue', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'claim-audit-gen-')), 'real.edi');
    const generated = await generateRealistic837(path, 600_000, { seed: 9, claimsPerTransaction: 40 });
    let lines = 0;
    let drugLines = 0;
    const types = new Set<string>();
    const stats = await ingestFile(path, 'real.edi', {
      onClaim: (claim) => {
        types.add(claim.claimType);
        lines += claim.lines.length;
        expect(claim.lines.length).toBeGreaterThanOrEqual(1);
        drugLines += claim.lines.filter((l) => /^[JQ]/.test(l.hcpcs ?? '')).length;
      },
    });
    expect(stats.issues).toEqual([]);
    expect(stats.claims.audited).toBe(generated.claims);
    expect(types).toEqual(new Set(['professional', 'institutional']));
    expect(lines).toBe(generated.lines);
    expect(drugLines).toBe(generated.drugLines);
    expect(drugLines / lines).toBeGreaterThan(0.025);
    expect(drugLines / lines).toBeLessThan(0.08);
    // Dependents: a patient loop (HL 23 with PAT) under their subscriber.
    expect(readFileSync(path, 'latin1')).toMatch(/(^|[~\n])PAT[*|]19/m);
  });

  it('is deterministic for a seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-gen-'));
    await generate837(join(dir, 'a.edi'), 50_000, { seed: 3 });
    await generate837(join(dir, 'b.edi'), 50_000, { seed: 3 });
    expect(readFileSync(join(dir, 'a.edi'))).toEqual(readFileSync(join(dir, 'b.edi')));
  });

  it('bills clean lines cleanly (no finding) and gives the defective ones findings', async () => {
    const { runAudit } = await import('../../src/audit.js');
    const { loadReference, coveredCodes } = await import('../../src/reference/index.js');
    const { parseCodeSelection } = await import('../../src/ingest/select.js');
    const reference = loadReference();
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-gen-'));
    const audit = async (defectRate: number) => {
      const path = join(dir, `defects-${defectRate}.edi`);
      await generate837(path, 200_000, { seed: 11, defectRate });
      const result = await runAudit({ inputs: [path], outDir: null, formats: [], codes: parseCodeSelection('covered', coveredCodes(reference.pack)), codesOption: 'covered', reference, asOf: null, concurrency: 1, failOn: 'error', phi: 'masked' });
      return result;
    };
    const clean = await audit(0);
    expect(clean.totals.drugLines).toBeGreaterThan(300);
    expect(clean.findings).toEqual([]);
    const broken = await audit(1);
    const rules = new Set(broken.findings.map((f) => f.ruleId));
    for (const rule of ['charge-below-expected-payment', 'diagnosis-not-covered', 'prior-auth-missing', 'ndc-missing']) expect(rules).toContain(rule);
  });
});
