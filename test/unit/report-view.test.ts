// The report view model: ranking, totals that count a line's dollars once, groups, coverage.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/index.js';
import { finding, viewOf } from '../support/findings.js';

describe('ranking', () => {
  it.each([
    ['dollars first', [finding({ id: 'a', dollarsAtRisk: 5 }), finding({ id: 'b', dollarsAtRisk: 50 })], ['b', 'a']],
    ['then severity', [finding({ id: 'a', severity: 'info' }), finding({ id: 'b', severity: 'warning' }), finding({ id: 'c', severity: 'error' })], ['c', 'b', 'a']],
    ['then claim id, by code units (not locale: "B" before "a")', [finding({ id: 'a', claimId: 'a1' }), finding({ id: 'b', claimId: 'B1' })], ['b', 'a']],
    ['then line number, numerically', [finding({ id: 'a', lineNumber: 10 }), finding({ id: 'b', lineNumber: 9 })], ['b', 'a']],
    ['then rule id', [finding({ id: 'a', ruleId: 'ndc-missing' }), finding({ id: 'b', ruleId: 'jw-jz-missing' })], ['b', 'a']],
    ['then finding id: total order', [finding({ id: '2' }), finding({ id: '1' })], ['1', '2']],
  ])('%s', (_, findings, expected) => {
    const ids = (order: typeof findings) => viewOf(order).findings.map((f) => f.id.replace(/^0+/, ''));
    expect(ids(findings)).toEqual(expected);
    // Whatever order they arrive in (workers finishing in any order).
    expect(ids([...findings].reverse())).toEqual(expected);
  });
});

describe('totals', () => {
  it.each([
    ['one finding', [finding({ dollarsAtRisk: 100 })], { dollarsAtRisk: 100, findings: 1, linesAffected: 1, claimsAffected: 1 }],
    [
      'two findings on one line count the line once, at the larger amount',
      [finding({ ruleId: 'jw-jz-missing', dollarsAtRisk: 100 }), finding({ ruleId: 'units-vs-ndc-quantity', dollarsAtRisk: 700 })],
      { dollarsAtRisk: 700, findings: 2, linesAffected: 1, claimsAffected: 1 },
    ],
    [
      'two lines of one claim',
      [finding({ lineNumber: 1, byteOffset: 10, dollarsAtRisk: 100 }), finding({ lineNumber: 2, byteOffset: 20, dollarsAtRisk: 200 })],
      { dollarsAtRisk: 300, findings: 2, linesAffected: 2, claimsAffected: 1 },
    ],
    [
      'the same claim id in two files is two claims',
      [finding({ file: 'a.edi', dollarsAtRisk: 1 }), finding({ file: 'b.edi', dollarsAtRisk: 2 })],
      { dollarsAtRisk: 3, findings: 2, linesAffected: 2, claimsAffected: 2 },
    ],
    [
      'cents add up without float drift',
      Array.from({ length: 10 }, (_, i) => finding({ lineNumber: i, byteOffset: i, dollarsAtRisk: 0.1 })),
      { dollarsAtRisk: 1, findings: 10, linesAffected: 10, claimsAffected: 1 },
    ],
    ['no findings', [], { dollarsAtRisk: 0, findings: 0, linesAffected: 0, claimsAffected: 0 }],
  ])('%s', (_, findings, expected) => {
    expect(viewOf(findings).findingTotals).toMatchObject(expected);
  });

  it('counts findings by severity', () => {
    const view = viewOf([finding({ severity: 'error' }), finding({ severity: 'error', lineNumber: 2 }), finding({ severity: 'info', lineNumber: 3 })]);
    expect(view.findingTotals.bySeverity).toEqual({ error: 2, warning: 0, info: 1 });
  });
});

describe('groups', () => {
  const findings = [
    // Line 1 of C1: two rules; the larger (units) is its top finding.
    finding({ claimId: 'C1', lineNumber: 1, byteOffset: 1, ruleId: 'units-vs-ndc-quantity', dollarsAtRisk: 700 }),
    finding({ claimId: 'C1', lineNumber: 1, byteOffset: 1, ruleId: 'jw-jz-missing', dollarsAtRisk: 100 }),
    // C2: Medicaid, another code, another provider and month.
    finding({ claimId: 'C2', lineNumber: 1, byteOffset: 2, ruleId: 'jw-jz-missing', dollarsAtRisk: 50, payerClass: 'medicaid', payerName: 'STATE MEDICAID', code: 'J1459', billingNpi: '1111111112', billingName: 'OTHER', serviceDate: '2025-04-02' }),
  ];
  const view = viewOf(findings);

  it('by rule: each of a rule\'s lines once; attributed dollars add up to the total', () => {
    expect(view.groups.rule.map((g) => [g.key, g.findings, g.claims, g.lines, g.dollarsAtRisk, g.attributedDollars])).toEqual([
      ['units-vs-ndc-quantity', 1, 1, 1, 700, 700],
      ['jw-jz-missing', 2, 2, 2, 150, 50],
    ]);
    expect(view.groups.rule.reduce((s, g) => s + g.attributedDollars, 0)).toBe(view.findingTotals.dollarsAtRisk);
    expect(view.groups.rule[1]).toMatchObject({ detail: 'Single-dose drug without JW or JZ', denial: 'CO-16/N822 (unverified)', severity: 'error' });
  });

  it('by payer, code, provider and month: every line in one row, so the rows add up to the total', () => {
    expect(view.groups.payer.map((g) => [g.label, g.detail, g.findings, g.lines, g.dollarsAtRisk])).toEqual([
      ['MEDICARE PART B', 'Medicare', 2, 1, 700],
      ['STATE MEDICAID', 'Medicaid', 1, 1, 50],
    ]);
    expect(view.groups.code.map((g) => [g.key, g.detail, g.dollarsAtRisk])).toEqual([
      ['J9299', 'Inj nivolumab', 700],
      ['J1459', null, 50],
    ]);
    expect(view.groups.provider.map((g) => [g.label, g.detail, g.claims])).toEqual([
      ['1234567893', 'CLINIC', 1],
      ['1111111112', 'OTHER', 1],
    ]);
    // Months in calendar order, not by dollars.
    expect(view.groups.month.map((g) => [g.key, g.dollarsAtRisk])).toEqual([
      ['2025-03', 700],
      ['2025-04', 50],
    ]);
    for (const rows of [view.groups.payer, view.groups.code, view.groups.provider, view.groups.month]) {
      expect(rows.reduce((s, g) => s + g.dollarsAtRisk, 0)).toBe(view.findingTotals.dollarsAtRisk);
    }
  });

  it('a rule\'s severity is the worst a payer-class profile gave it', () => {
    const v = viewOf([finding({ ruleId: 'prior-auth-missing', severity: 'warning' }), finding({ ruleId: 'prior-auth-missing', severity: 'error', lineNumber: 2 })]);
    expect(v.groups.rule[0]!.severity).toBe('error');
  });
});

describe('counting claims and providers the same way in every table', () => {
  it('a claim id met again later in the file is one claim, in the totals and in every group', () => {
    const view = viewOf([
      finding({ claimId: 'C1', lineNumber: 1, byteOffset: 100, dollarsAtRisk: 30 }),
      finding({ claimId: 'C2', lineNumber: 1, byteOffset: 200, dollarsAtRisk: 20 }),
      // C1 again, after C2 (a second CLM with the same CLM01 in the file).
      finding({ claimId: 'C1', lineNumber: 1, byteOffset: 300, dollarsAtRisk: 10 }),
    ]);
    expect(view.findingTotals.claimsAffected).toBe(2);
    for (const table of ['rule', 'payer', 'code', 'provider', 'month'] as const) expect(view.groups[table].map((g) => g.claims), table).toEqual([2]);
  });

  it('one billing NPI is one provider row, named from whichever line carries the name', () => {
    const view = viewOf([finding({ claimId: 'A', byteOffset: 1, billingName: null, dollarsAtRisk: 50 }), finding({ claimId: 'B', byteOffset: 2, billingName: 'RIVERBEND', dollarsAtRisk: 5 })]);
    expect(view.groups.provider.map((g) => [g.label, g.detail, g.lines])).toEqual([['1234567893', 'RIVERBEND', 2]]);
  });
});

describe('claims counted without a set of every claim', () => {
  it('matches a count by sets on 20,000 lines with claims met again later, in memory and with the runs on disk', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { ReportAggregator } = await import('../../src/view/view.js');
    const { FileRunLog, MemoryRunLog } = await import('../../src/view/claim-runs.js');
    const { prng } = await import('../../src/bench/generate.js');
    const random = prng(5);
    const rules = ['jw-jz-missing', 'ndc-missing', 'prior-auth-missing', 'units-vs-ndc-quantity'];
    // Claims in runs of 1-4 lines, one in ten an id met before (in another file now and then: another claim).
    const lines: Finding[][] = [];
    let next = 0;
    while (lines.length < 20_000) {
      const again = next > 0 && random() < 0.1;
      const id = again ? `C${Math.floor(random() * next)}` : `C${next++}`;
      const file = again && random() < 0.2 ? 'b.edi' : 'a.edi';
      const payer = random() < 0.5 ? 'P1' : 'P2';
      const month = `2025-0${1 + Math.floor(random() * 3)}-01`;
      const count = 1 + Math.floor(random() * 4);
      for (let l = 0; l < count; l++)
        lines.push(
          rules.filter(() => random() < 0.4).map((ruleId) => finding({ claimId: id, file, lineNumber: l + 1, ruleId, payerName: payer, serviceDate: month, code: random() < 0.5 ? 'J9299' : 'J1100', dollarsAtRisk: 1 + Math.floor(random() * 100) })),
        );
    }
    const expected = { claims: new Set<string>(), groups: new Map<string, Set<string>>() };
    const key = (f: Finding) => `${f.sourceRef.file}\u0000${f.claimId}`;
    for (const findings of lines) {
      if (findings.length === 0) continue;
      const top = [...findings].sort((a, b) => b.dollarsAtRisk - a.dollarsAtRisk)[0]!;
      expected.claims.add(key(top));
      const add = (group: string) => (expected.groups.get(group) ?? expected.groups.set(group, new Set()).get(group)!).add(key(top));
      for (const f of findings) add(`rule ${f.ruleId}`);
      add(`payer ${top.payerName}`);
      add(`code ${top.code}`);
      add(`month ${top.serviceDate!.slice(0, 7)}`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-claim-runs-'));
    for (const log of [new MemoryRunLog(), new FileRunLog(join(dir, 'runs.ndjson'))]) {
      const aggregator = new ReportAggregator([], () => null, log, 1000);
      for (const findings of lines) aggregator.addLine(findings);
      const totals = aggregator.totals();
      expect(totals.findingTotals.claimsAffected).toBe(expected.claims.size);
      const got = new Map<string, number>();
      for (const g of totals.groups.rule) got.set(`rule ${g.key}`, g.claims);
      for (const g of totals.groups.payer) got.set(`payer ${g.label}`, g.claims);
      for (const g of totals.groups.code) got.set(`code ${g.key}`, g.claims);
      for (const g of totals.groups.month) got.set(`month ${g.key}`, g.claims);
      expect(got).toEqual(new Map([...expected.groups].map(([k, v]) => [k, v.size])));
      expect(() => aggregator.addLine(lines.find((l) => l.length > 0)!)).toThrow(/after the counts were read/);
    }
    // The same lines cut in 5 parts (as a split file's parts), each counted apart with its runs
    // kept on disk, absorbed in order and corrected by overcounted: the same counts.
    const { overcounted } = await import('../../src/view/claim-runs.js');
    const cuts = [0, 3_001, 7_500, 11_999, 16_000, lines.length];
    const merged = new ReportAggregator([], () => null);
    const parts = cuts.slice(1).map((end, i) => {
      const path = join(dir, `part-${i}.ndjson`);
      const part = new ReportAggregator([], () => null, new FileRunLog(path, true), 1000);
      for (const findings of lines.slice(cuts[i], end)) part.addLine(findings);
      merged.absorb(part.state());
      return { path, groups: part.groupRefs() };
    });
    const claimsOf = (totals: ReturnType<typeof merged.totals>) => {
      const got = new Map<string, number>([['claims', totals.findingTotals.claimsAffected]]);
      for (const g of totals.groups.rule) got.set(`rule ${g.key}`, g.claims);
      for (const g of totals.groups.payer) got.set(`payer ${g.label}`, g.claims);
      for (const g of totals.groups.code) got.set(`code ${g.key}`, g.claims);
      for (const g of totals.groups.month) got.set(`month ${g.key}`, g.claims);
      return got;
    };
    const want = new Map([['claims', expected.claims.size], ...[...expected.groups].map(([k, v]) => [k, v.size] as [string, number])]);
    // Counted apart, the parts count a claim they share more than once.
    expect(claimsOf(merged.totals()).get('claims')).toBeGreaterThan(expected.claims.size);
    merged.uncount(overcounted(parts, 1000));
    expect(claimsOf(merged.totals())).toEqual(want);
  });
});
