// Every 835 of ../shared/corpus read by the remittance reader: no error, and the counts pinned
// (interchanges, transactions, claims, service lines, the issues). One file has no ISA/GS
// envelope (it starts with ST): read with its own delimiters, with a warning.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRemitFile } from '../../src/ingest/remits.js';
import { X12_DIR } from '../support/corpus.js';

const DIR = join(X12_DIR, '835');

const PINNED: Record<string, { interchanges: number; transactions: number; claims: number; lines: number; issues: string[] }> = {
  'r01_emedny_sample.txt': { interchanges: 1, transactions: 1, claims: 3, lines: 10, issues: [] },
  'r02_uhc_legacy_sample.txt': { interchanges: 1, transactions: 1, claims: 2, lines: 5, issues: [] },
  'r03_bcbsnc_sample.txt': { interchanges: 0, transactions: 1, claims: 1, lines: 3, issues: ['warning envelope-missing', 'warning se-count-mismatch'] },
  'r04_stedi_X221-multiple-claims-single-check.edi': { interchanges: 1, transactions: 1, claims: 9, lines: 33, issues: [] },
  'r05_oop_835_WithMultipleInterchanges.txt': { interchanges: 3, transactions: 3, claims: 56, lines: 91, issues: [] },
  'r06_tastypackets_multi-line-not-delimited.edi': { interchanges: 1, transactions: 1, claims: 3, lines: 10, issues: [] },
  'r07_oop_835_DeIdent_01_4010.dat': { interchanges: 1, transactions: 1, claims: 96, lines: 365, issues: [] },
  'r08_lfh_managed-care.835': { interchanges: 1, transactions: 1, claims: 2, lines: 2, issues: [] },
};

describe('the corpus 835s', () => {
  it('are every file pinned', () => {
    expect(readdirSync(DIR).sort()).toEqual(Object.keys(PINNED).sort());
  });

  it.each(Object.keys(PINNED))('%s reads without error, with its pinned counts', async (name) => {
    const claims: Array<{ claimId: string; lines: unknown[] }> = [];
    const stats = await readRemitFile(join(DIR, name), name, { onClaim: (c) => claims.push(c) });
    const { issues, ...pinned } = PINNED[name]!;
    expect({ interchanges: stats.interchanges, transactions: stats.transactions, claims: stats.claims, lines: stats.lines }).toEqual(pinned);
    expect(stats.issues.map((i) => `${i.severity} ${i.code}`)).toEqual(issues);
    expect(claims.reduce((n, c) => n + c.lines.length, 0)).toBe(stats.lines);
    for (const c of claims) expect(c.claimId).not.toBe('');
  });
});
