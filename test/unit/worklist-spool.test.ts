// The worklist a run spools to disk (WorklistSpool: sorted runs by line, then by rank) gives the
// same rows, in the same order, as the in-memory builder, whatever the run size: a line's
// findings far apart in the ranking, ties, thousands of lines.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareFindings } from '../../src/model/order.js';
import type { Finding } from '../../src/model/index.js';
import { carriedRows, WorklistBuilder, WorklistSpool } from '../../src/view/worklist.js';
import { openEntry } from '../../src/history/status.js';
import { finding } from '../support/findings.js';

/** Claim ids and file names as an untrusted file may hold them: tabs, line ends, quotes, backslashes. */
const HOSTILE = ['C\t1', 'C\n2', 'C"3"', 'C\\4', 'C\u20285', '\t', ''];

function ranked(n: number, seed: number, hostile = false): Finding[] {
  let state = seed;
  const random = (k: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % k;
  };
  const rules = ['jw-jz-missing', 'units-vs-ndc-quantity', 'ndc-missing', 'prior-auth-missing'] as const;
  const owners = ['pharmacy', 'coding', 'front-end'] as const;
  const categories = ['denial', 'returned', 'underbilling', 'overpayment'] as const;
  const findings = Array.from({ length: n }, (_, i) => {
    const line = random(n / 3);
    return finding({
      id: i.toString(16),
      claimId: hostile ? `${HOSTILE[line % HOSTILE.length]}${line % 13}` : `C${line % 97}`,
      lineNumber: 1 + (line % 5),
      byteOffset: line * 100,
      file: hostile ? (line % 2 ? 'a\tb\n.edi' : '"b".edi') : line % 2 ? 'a.edi' : 'b.edi',
      ruleId: rules[random(4)]!,
      owner: owners[random(3)]!,
      dollarCategory: categories[random(4)]!,
      dollarsAtRisk: random(5) * 100,
      severity: (['error', 'warning', 'info'] as const)[random(3)]!,
      status: (['new', 'unchanged', 'updated'] as const)[random(3)]!,
      firstSeen: { run: 'r', date: `2026-0${1 + random(9)}-01` },
    });
  });
  return findings.sort(compareFindings);
}

describe('the spooled worklist', () => {
  it.each([
    [10, 3, false],
    [2_000, 7, false],
    [2_000, 5_000, false],
    [2_000, 7, true],
    [500, 5_000, true],
  ])('%i findings, sorted runs of %i (claim ids with tabs, line ends and quotes: %s): the same rows as in memory', (n, runSize, hostile) => {
    const findings = ranked(n, n + runSize, hostile);
    const text = { titleOf: (id: string) => `title of ${id}`, describeCode: (code: string) => `drug ${code}` };
    const memory = new WorklistBuilder(text.titleOf, text.describeCode);
    const temp = mkdtempSync(join(tmpdir(), 'claim-audit-spool-'));
    const spool = new WorklistSpool(temp, text.titleOf, text.describeCode, runSize);
    for (const f of findings) {
      memory.add(f);
      spool.add(f);
    }
    const spooled = spool.finish(25);
    const rows = memory.all();
    expect(spooled.count).toBe(rows.length);
    expect([...spooled.rows()]).toEqual(rows);
    expect([...spooled.rows()]).toEqual(rows);
    expect(spooled.top).toEqual(rows.slice(0, 25));
    if (runSize < n) expect(readdirSync(temp).length).toBeGreaterThan(1);
  });
});

describe('the worklist with lines carried from earlier runs', () => {
  it.each([
    [300, 7],
    [2_000, 5_000],
  ])('%i findings, runs of %i: tonight\'s and carried lines merged in one ranking, each carried line whole', (n, runSize) => {
    // Each line its own line key (the history groups a claim's lines by it).
    const findings = ranked(n, n * 3 + runSize).map((f) => ({ ...f, lineKey: `${f.sourceRef.file}|${f.lineNumber}` }));
    const lineOf = (f: Finding) => `${f.sourceRef.file}|${f.claimId}|${f.lineNumber}`;
    const lines = [...new Set(findings.map(lineOf))];
    const carriedLines = new Set(lines.filter((_, i) => i % 3 === 1));
    const text = { titleOf: (id: string) => `title of ${id}`, describeCode: (code: string) => `drug ${code}`, runDate: '2026-03-10', runId: 'tonight' };
    const temp = mkdtempSync(join(tmpdir(), 'claim-audit-spool-carried-'));
    const spool = new WorklistSpool(temp, text.titleOf, text.describeCode, runSize, text.runDate, text.runId);
    const entries = [];
    for (const f of findings) {
      if (carriedLines.has(lineOf(f))) entries.push(openEntry(f, f.firstSeen!, { run: 'earlier', date: '2026-03-05' }));
      else spool.add(f);
    }
    const spooled = spool.finish(40, { carried: carriedRows(entries, text), notes: new Map([[findings[0]!.id, { assignee: 'ana', status: 'appealed' as const, note: 'sent 3/9' }]]) });
    // The order and the rows' findings are those of every finding ranked together.
    const all = new WorklistBuilder(text.titleOf, text.describeCode, text.runDate);
    for (const f of findings) all.add(f);
    const expected = all.all();
    const rows = [...spooled.rows()];
    expect(rows.map((r) => [r.rank, r.claimId, r.lineNumber, r.dollars, r.findings.map((x) => x.id)])).toEqual(expected.map((r) => [r.rank, r.claimId, r.lineNumber, r.dollars, r.findings.map((x) => x.id)]));
    expect(spooled.top).toEqual(rows.slice(0, 40));
    // Carried lines say so, with the run that last saw them; tonight's say tonight.
    for (const r of rows) {
      const carried = carriedLines.has(`${r.sourceFile}|${r.claimId}|${r.lineNumber}`);
      expect(r.status === 'carried', `${r.claimId} #${r.lineNumber}`).toBe(carried);
      expect(r.lastSeen).toEqual(carried ? { run: 'earlier', date: '2026-03-05' } : { run: 'tonight', date: '2026-03-10' });
    }
    // The totals count every row once: the open dollars, by status.
    const cents = rows.reduce((sum, r) => sum + Math.round(r.dollars * 100), 0);
    expect(Math.round(spooled.totals.dollars * 100)).toBe(cents);
    expect(spooled.totals.byStatus!.carried.lines).toBe(rows.filter((r) => r.status === 'carried').length);
    expect(spooled.byOwner.reduce((sum, q) => sum + q.lines, 0)).toBe(rows.length);
    // The note, by the top finding's id, on its row.
    expect(rows.find((r) => r.findings.some((x) => x.id === findings[0]!.id))).toMatchObject({ assignee: 'ana', workStatus: 'appealed', note: 'sent 3/9' });
  });
});
