// The reports of a whole run through the CLI: golden files for the samples, determinism,
// --format and --excel, hostile claim values end to end, and what the terminal shows.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runCli, type Io } from '../../src/cli/run.js';
import { FINDINGS_CSV_COLUMNS } from '../../src/report/csv.js';
import { hostileClaimFile } from '../support/hostile.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const golden = join(root, 'test/golden/samples');
const tmp = () => mkdtempSync(join(tmpdir(), 'claim-audit-'));

async function cli(args: string[], io: Partial<Io> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: root, ...io });
  return { code, stdout, stderr };
}

/** The run's time is the only thing allowed to differ between two runs of the same inputs. */
const untimed = (html: string) => html.replace(/<time datetime="[^"]*" id="run-time">[^<]*<\/time>/, '<time id="run-time">(run time)</time>');

/** What npm start runs: the samples, with the profile that names the sample 340B hospital. */
const START = ['samples', '--profile', 'examples/profile-340b.json'];

describe('the samples’ reports', () => {
  it('match the golden files (UPDATE_GOLDEN=1 npm test rewrites them after a deliberate change)', async () => {
    const out = tmp();
    expect((await cli([...START, '--out', out])).code).toBe(1);
    const actual = { 'findings.csv': readFileSync(join(out, 'findings.csv'), 'utf8'), 'report.html': untimed(readFileSync(join(out, 'report.html'), 'utf8')) };
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(golden, { recursive: true });
      for (const [name, text] of Object.entries(actual)) writeFileSync(join(golden, name), text);
    }
    for (const [name, text] of Object.entries(actual)) {
      expect(existsSync(join(golden, name)), `${name} golden file`).toBe(true);
      expect(text, name).toBe(readFileSync(join(golden, name), 'utf8'));
    }
  });

  it('are the same bytes at any concurrency and on any run, but for the run time', async () => {
    const a = tmp();
    const b = tmp();
    await cli(['samples', '--out', a, '--concurrency', '1']);
    await cli(['samples/', '--out', b, '--concurrency', '3']);
    expect(readFileSync(join(b, 'findings.csv'))).toEqual(readFileSync(join(a, 'findings.csv')));
    expect(untimed(readFileSync(join(b, 'report.html'), 'utf8'))).toBe(untimed(readFileSync(join(a, 'report.html'), 'utf8')));
  });

  it('rank the same way in every output: the HTML, findings.csv, findings.ndjson and summary.json', async () => {
    const out = tmp();
    await cli([...START, '--out', out]);
    const csv: string[][] = parse(readFileSync(join(out, 'findings.csv'), 'utf8'));
    const ndjson = readFileSync(join(out, 'findings.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; dollarsAtRisk: number });
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const idColumn = FINDINGS_CSV_COLUMNS.indexOf('finding_id');
    expect(csv.slice(1).map((r) => r[idColumn])).toEqual(ndjson.map((f) => f.id));
    expect(summary.topFindings.map((f: { id: string }) => f.id)).toEqual(ndjson.slice(0, 100).map((f) => f.id));
    // The report's totals: each line's dollars once.
    // Issue 29: no charge comparison on OPPS, no double-counted JW waste, mL counted in whole vials,
    // the missing administration priced as the administration (not priced), 340B a compliance exposure.
    expect(summary.findingTotals).toEqual({
      findings: 36,
      bySeverity: { error: 21, warning: 14, info: 1 },
      dollarsAtRisk: 3989765.87,
      // The lines' dollars under their top finding's severity: the cards split errors from warnings.
      dollarsBySeverity: { error: 61433.93, warning: 3928331.94, info: 0 },
      // Firm: lines whose top finding is an error priced at a CMS rate; the $8,500.00 of errors
      // priced at the billed charge (an unclassified code, a code not in force) are to review.
      firm: 52933.93,
      toReview: 3936831.94,
      // One Hemgenix line at its billed charge is 98% of the headline: the header names it.
      largestLine: { claimId: 'RB250602-01', lineNumber: 1, ruleId: 'frequency-limit-exceeded', severity: 'warning', dollarBasis: 'billed-charge', dollars: 3900000, share: 0.978 },
      // Each category apart, each line once in it: a line with a returned and an underbilled finding is in both.
      byCategory: {
        denial: { dollars: 3950799.82, lines: 14, findings: 16, bySeverity: { error: 7, warning: 8, info: 1 } },
        returned: { dollars: 18054.27, lines: 12, findings: 13, bySeverity: { error: 13, warning: 0, info: 0 } },
        underbilling: { dollars: 9726.98, lines: 3, findings: 3, bySeverity: { error: 0, warning: 3, info: 0 } },
        overpayment: { dollars: 14226.36, lines: 3, findings: 3, bySeverity: { error: 1, warning: 2, info: 0 } },
        // No dollars at risk: the 340B line is paid the same; its payment is the exposure.
        compliance: { dollars: 0, lines: 1, findings: 1, bySeverity: { error: 0, warning: 1, info: 0 }, exposure: 7920.48 },
      },
      claimsAffected: 30,
      linesAffected: 30,
    });
    expect(summary.groups.rule.reduce((s: number, g: { attributedDollars: number }) => s + g.attributedDollars, 0)).toBeCloseTo(3989765.87, 2);
    // worklist.csv's dollars and findings.csv's dollars_at_risk (a line once) sum to the headline to the cent.
    const cents = (file: string, column: string) => (parse(readFileSync(join(out, file), 'utf8'), { columns: true }) as Record<string, string>[]).reduce((n, r) => n + Math.round(Number(r[column] || 0) * 100), 0);
    expect(cents('worklist.csv', 'dollars')).toBe(398976587);
    expect(cents('findings.csv', 'dollars_at_risk')).toBe(398976587);
    // Each category's total is its lines' largest amount in it, from findings.ndjson.
    const all = readFileSync(join(out, 'findings.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { claimId: string; lineNumber: number; sourceRef: { file: string }; dollarsAtRisk: number; dollarCategory: string });
    for (const [category, total] of Object.entries(summary.findingTotals.byCategory as Record<string, { dollars: number }>)) {
      const perLine = new Map<string, number>();
      for (const f of all.filter((f) => f.dollarCategory === category)) {
        const key = `${f.sourceRef.file}#${f.claimId}#${f.lineNumber}`;
        perLine.set(key, Math.max(perLine.get(key) ?? 0, f.dollarsAtRisk));
      }
      expect([...perLine.values()].reduce((a, b) => a + b, 0), category).toBeCloseTo(total.dollars, 2);
    }
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<div class="v" id="headline-dollars">$3,989,765.87</div>');
    expect(html).toContain('<div class="v" id="headline-denial">$3,950,799.82</div>');
    expect(html).toContain('<div class="v" id="headline-returned">$18,054.27</div>');
    expect(html).toContain('<div class="v" id="headline-compliance">$7,920.48</div>');
    // User-facing text cites public sources, never a project file.
    expect(html).not.toMatch(/DOMAIN\.md|DESIGN\.md|STYLE\.md/);
  });
});

describe('--format and --excel', () => {
  it('--format csv writes findings.csv and the ndjson records, no HTML or summary', async () => {
    const out = tmp();
    await cli(['samples', '--out', out, '--format', 'csv']);
    expect(readdirSync(out).sort()).toEqual(['findings.csv', 'findings.ndjson', 'lines.ndjson', 'worklist.csv']);
  });

  it('--excel starts findings.csv with a UTF-8 byte-order mark', async () => {
    const plain = tmp();
    const excel = tmp();
    await cli(['samples', '--out', plain, '--format', 'csv']);
    await cli(['samples', '--out', excel, '--format', 'csv', '--excel']);
    const bytes = readFileSync(join(excel, 'findings.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3)).toEqual(readFileSync(join(plain, 'findings.csv')));
  });
});

describe('hostile claim values (the issue’s example)', () => {
  it.each([['masked'], ['full']])('--phi %s: the CSV shows them as text, the HTML as inert text', async (phi) => {
    const dir = tmp();
    const out = join(dir, 'out');
    await cli([hostileClaimFile(dir), '--out', out, '--phi', phi]);
    const rows: string[][] = parse(readFileSync(join(out, 'findings.csv'), 'utf8'));
    const row = Object.fromEntries(FINDINGS_CSV_COLUMNS.map((c, i) => [c, rows[1]![i]]));
    expect(row.claim_id).toBe('<img src=x onerror=alert(1)>');
    // Masked: the last 4 characters; full: neutralised by a leading apostrophe.
    expect(row.member_id).toBe(phi === 'full' ? '\'=HYPERLINK("x")' : '****"x")');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('the terminal', () => {
  it('without a TTY: one line per file, then the summary with the top rules and where the reports are', async () => {
    const out = tmp();
    const { stderr } = await cli([...START, '--out', out]);
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^samples\/.*\.(edi|csv): \d+ claims, \d+ drug lines$/);
    expect(stderr).not.toContain('\r');
    expect(stderr).toContain('$3,989,765.87 at risk ($52,933.93 firm, $3,936,831.94 to review): 36 findings (21 errors, 14 warnings, 1 info) on 30 claims');
    // One line dominates the samples' headline: the header and the CLI name it, and why it is priced so.
    expect(stderr).toContain('One line is 98% of it: claim RB250602-01 line 1, frequency-limit-exceeded (warning), $3,900,000.00 priced at its billed charge (no CMS rate).');
    expect(stderr).toContain('By category: $3,950,799.82 denied, $18,054.27 returned for correction (delayed), $9,726.98 underbilled, $14,226.36 overpaid; compliance: 1 line paid the same, $7,920.48 of payment exposed on audit.');
    expect(stderr).toMatch(/Top rules: frequency-limit-exceeded \(\$3,900,000\.00, 1 finding\) · jw-waste-exceeds-package \(\$11,220\.68, 1 finding\) · /);
    expect(lines.at(-1)).toBe(`Reports: ${join(out, 'worklist.csv')} · ${join(out, 'findings.csv')} · ${join(out, 'findings.xlsx')} · ${join(out, 'report.html')} · ${join(out, 'summary.json')} (and lines.ndjson, findings.ndjson)`);
  });

  it('on a TTY: a progress line redrawn in place and cleared before the summary', async () => {
    const { stderr } = await cli(['samples', '--out', tmp()], { stderrIsTty: true, columns: () => 200 });
    expect(stderr).toMatch(/\r\x1b\[K\[#*-*\] +\d+% [\d.]+\/[\d.]+ MB · \d\/4 files · \d+ claims · \d+ findings/);
    expect(stderr).not.toMatch(/^samples\/.*drug lines$/m);
    // The last progress line is cleared before the summary is printed.
    expect(stderr).toMatch(/\r\x1b\[KAudited 4 files/);
  });

  it('--quiet: nothing but errors', async () => {
    expect((await cli(['samples', '--out', tmp(), '--quiet'], { stderrIsTty: true })).stderr).toBe('');
    const dir = tmp();
    writeFileSync(join(dir, 'bad.edi'), 'not x12 at all, not csv');
    const { stderr, code } = await cli([join(dir, 'bad.edi'), '--out', join(dir, 'out'), '--quiet']);
    expect(code).toBe(3);
    // The file's error, and (even with --quiet) why no report was written.
    expect(stderr.trim().split('\n')).toHaveLength(2);
    expect(stderr).toMatch(/bad\.edi.*error/);
    expect(stderr).toMatch(/^claim-audit: nothing audited: no file could be read as an 837 or a claim export \(1 file tried\); nothing was written/m);
  });
});

describe('bounded memory', () => {
  it('the rules across claims give the same reports whatever the bucket size (members split over many buckets)', async () => {
    const { runAudit } = await import('../../src/audit.js');
    const { loadReference, coveredCodes } = await import('../../src/reference/index.js');
    const { parseCodeSelection } = await import('../../src/ingest/select.js');
    const reference = loadReference();
    const run = async (bucketLines: number) => {
      const out = tmp();
      await runAudit({
        inputs: ['samples'],
        outDir: out,
        formats: ['csv', 'json'],
        codes: parseCodeSelection('covered', coveredCodes(reference.pack)),
        codesOption: 'covered',
        reference,
        asOf: null,
        concurrency: 2,
        failOn: 'error',
        phi: 'masked',
        cwd: root,
        executor: 'local',
        tuning: { bucketLines },
      });
      return ['lines.ndjson', 'findings.ndjson', 'findings.csv'].map((f) => readFileSync(join(out, f), 'utf8'));
    };
    const one = await run(1_000_000);
    expect(await run(2)).toEqual(one);
    // The duplicate and frequency findings come from the cross-claim rules: they are there.
    expect(one[1]).toContain('"ruleId":"duplicate-line"');
    expect(one[1]).toContain('"ruleId":"frequency-limit-exceeded"');
  });
});

describe('the ranking on disk', () => {
  it('findings past one in-memory run are ranked as in memory: findings.ndjson, findings.csv and the summary agree', async () => {
    const { runAudit } = await import('../../src/audit.js');
    const { loadReference, coveredCodes } = await import('../../src/reference/index.js');
    const { parseCodeSelection } = await import('../../src/ingest/select.js');
    const { generate837 } = await import('../../src/bench/generate.js');
    const { compareFindings } = await import('../../src/model/order.js');
    const reference = loadReference();
    const input = join(tmp(), 'many-findings.edi');
    // Every drug line defective, the local executor's sorted runs made 250 findings long: about
    // nine runs merged (the default run is 5,000 findings; the heavy tier's 50 MB runs pass it).
    await generate837(input, 1_500_000, { seed: 5, defectRate: 1 });
    const out = tmp();
    const result = await runAudit({ inputs: [input], outDir: out, formats: ['csv', 'json'], codes: parseCodeSelection('covered', coveredCodes(reference.pack)), codesOption: 'covered', reference, asOf: null, concurrency: 1, failOn: 'error', phi: 'masked', keep: true, executor: 'local', tuning: { sortRun: 250, pool: 'never' } });
    const written = readFileSync(join(out, 'findings.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(written.length).toBeGreaterThan(2_000);
    expect(written).toEqual(result.findings);
    expect(written).toEqual([...written].sort(compareFindings));
    const rows = parse(readFileSync(join(out, 'findings.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(rows.length).toBe(written.length);
    expect(rows.map((r) => Number(r.rank))).toEqual(written.map((_, i) => i + 1));
    expect(rows.map((r) => r.finding_id)).toEqual(written.map((f) => f.id));
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.findingTotals.findings).toBe(written.length);
    expect(summary.topFindings.map((f: { id: string }) => f.id)).toEqual(written.slice(0, summary.topFindings.length).map((f) => f.id));
  });
});
