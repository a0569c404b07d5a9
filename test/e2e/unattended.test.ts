// Safe to leave unattended (issue 13): each defect reproduced through the built binary, as cron
// runs it. Every test here failed on the code before the fix, except where a comment says.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate837 } from '../../src/bench/generate.js';
import { runCli } from '../../src/cli/run.js';
import { LOCK_FILE } from '../../src/output/lock.js';
import { WORK_DIR } from '../../src/output/work.js';
import { DEFAULT_OUTPUTS } from '../support/outputs.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const bin = join(root, 'dist/cli/main.js');
const tmp = () => mkdtempSync(join(tmpdir(), 'claim-audit-unattended-'));

/** The binary, as cron runs it: no TTY, environment as given. */
function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** No Node stack frame in the text ("    at fn (file:line:col)"). */
const NO_STACK = /^\s+at\s/m;

describe('1. a CSV without a header row', () => {
  it('never prints, nor writes into the reports, the first row as headers', () => {
    const dir = tmp();
    const file = join(dir, 'h.csv');
    writeFileSync(file, 'CLM001,JANE DOE,1962-04-01,123 MAIN ST,J9299,240,5000\n');
    // A second file with claims, so that reports are written and can be searched too.
    const r = run([file, 'samples/csv-canonical-template.csv', '--out', join(dir, 'out')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/h\.csv \(row 1\): error: .*7 columns, none of them a header claim-audit knows/);
    const everything = [r.stdout, r.stderr, ...readdirSync(join(dir, 'out')).map((f) => readFileSync(join(dir, 'out', f), 'utf8'))].join('\n');
    for (const cell of ['CLM001', 'JANE DOE', '1962-04-01', '123 MAIN ST']) expect(everything).not.toContain(cell);
  });
});

describe('2. a run that audits nothing keeps the previous reports', () => {
  let out: string;
  let before: Record<string, string>;
  const reports = () => Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));

  beforeAll(() => {
    out = join(tmp(), 'k');
    expect(run(['samples', '--out', out]).code).toBe(1);
    before = reports();
    expect(Object.keys(before)).toContain('findings.csv');
  }, 120_000);

  const empty = tmp();
  const binary = tmp();
  writeFileSync(join(binary, 'a.dat'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)));
  writeFileSync(join(binary, 'b.bin'), Buffer.from(Array.from({ length: 999 }, (_, i) => (i * 104729 + 7) % 256)));

  it.each([
    ['a path that does not exist', ['/no/such/folder'], /nothing audited: no input found \(no such file or folder: \/no\/such\/folder\)/],
    ['an empty folder', [empty], /nothing audited: no input file found/],
    ["--exclude '*'", ['samples', '--exclude', '*'], /nothing audited: no input file found/],
    ['a folder of binary files', [binary], /nothing audited: no file could be read as an 837 or a claim export \(2 files tried\)/],
    ['a folder of binary files, --quiet', [binary, '--quiet'], /nothing audited: no file could be read/],
  ])('%s: exit 3, one line why (even with --quiet), the reports untouched', (_, args, why) => {
    const r = run([...args, '--out', out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(why);
    expect(r.stderr).toMatch(/nothing was written, the previous reports in .* are kept\n$/);
    expect(r.stderr).not.toMatch(/Audited 0 files/);
    if (args.includes('--quiet')) expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(reports()).toEqual(before);
  });

  it('a first run that audits nothing does not speak of previous reports (there are none)', () => {
    const fresh = join(tmp(), 'first');
    const r = run([empty, '--out', fresh]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/nothing audited: no input file found .*; nothing was written\n$/);
  });

  it('the output folder is never read as input (its reports are not claims)', () => {
    const r = run(['.', '--out', out, '--include', '*.ndjson,*.csv,*.html,*.json', '--exclude', 'node_modules/**,test/**,samples/**,src/**,dist/**', '--quiet']);
    // Whatever else the repository holds, nothing of the output folder was read.
    expect(r.stderr).not.toContain(`${out}/`);
  });
});

describe('3. the last segment without its terminator', () => {
  it('is a warning when it is a complete IEA: the claims are audited as with the terminator', () => {
    const dir = tmp();
    const sample = readFileSync(join(root, 'samples/837p-infusion-center-medicare.edi'), 'latin1');
    const stripped = sample.replace(/~\s*$/, '');
    expect(stripped.endsWith('~')).toBe(false);
    writeFileSync(join(dir, 'stripped.edi'), stripped, 'latin1');
    const whole = run(['samples/837p-infusion-center-medicare.edi', '--out', join(dir, 'a')]);
    const cut = run([join(dir, 'stripped.edi'), '--out', join(dir, 'b')]);
    expect(cut.code).toBe(whole.code);
    expect(cut.stderr).toMatch(/warning: the last segment \(IEA\) has no '~' terminator; it was read as complete/);
    expect(cut.stderr).not.toMatch(/truncated|middle of a segment/);
    expect(readFileSync(join(dir, 'b', 'findings.csv'), 'utf8')).toBe(readFileSync(join(dir, 'a', 'findings.csv'), 'utf8').replaceAll('samples/837p-infusion-center-medicare.edi', join(dir, 'stripped.edi')));
  });

  it('a file cut inside a segment is still truncated: exit 3', () => {
    const dir = tmp();
    const sample = readFileSync(join(root, 'samples/837p-infusion-center-medicare.edi'), 'latin1');
    writeFileSync(join(dir, 'cut.edi'), sample.slice(0, sample.indexOf('SV1*HC:J9299') + 10), 'latin1');
    const r = run([join(dir, 'cut.edi'), '--out', join(dir, 'o')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/error: the input ends in the middle of a segment/);
  });
});

describe('4. output-folder problems: one line, no stack trace', () => {
  it.each([
    ['--out names a file', (dir: string) => join(dir, 'afile'), /claim-audit: .*afile exists and is not a folder: remove it, or choose another --out folder \(EEXIST\)/],
    ['--out under a file', (dir: string) => join(dir, 'afile', 'sub'), /claim-audit: a part of .*afile\/sub is a file, not a folder: choose another --out folder \(ENOTDIR\)/],
  ])('%s: exit 2', (_, out, message) => {
    const dir = tmp();
    writeFileSync(join(dir, 'afile'), 'x');
    const r = run(['samples', '--out', out(dir)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(NO_STACK);
    expect(r.stderr).not.toContain('internal error');
  });

  // Root writes anywhere, so a read-only folder is only a test for another user (CI runs as root;
  // the message itself is unit-tested in test/unit/cli-errors.test.ts).
  it.skipIf(process.getuid?.() === 0)('a read-only folder: EACCES, exit 2', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'ro'), { mode: 0o555 });
    const r = run(['samples', '--out', join(dir, 'ro', 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/permission denied on .*ro\/out.*\(EACCES\)/);
  });
});

describe('5. terminal control sequences from input', () => {
  it('are escaped in every line printed: headers, values and file names', () => {
    const dir = tmp();
    const evil = '\x1b]0;PWNED\x07\x1b[31m';
    const file = join(dir, `bad\x1b[2Jname.csv`);
    writeFileSync(file, `${evil},other\nx,y\n`);
    for (const phi of ['masked', 'full']) {
      const r = run([file, '--out', join(dir, 'o'), '--phi', phi]);
      expect(r.code).toBe(3);
      // eslint-disable-next-line no-control-regex
      expect(r.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
      expect(r.stderr).toContain('bad\\x1b[2Jname.csv');
      if (phi === 'full') expect(r.stderr).toContain('\\x1b]0;PWNED\\x07\\x1b[31m');
    }
  });
});

describe('6. a run that dies', () => {
  it('out of memory: its temporary folder and the lock are removed, one line, exit 2', async () => {
    const dir = tmp();
    const input = join(dir, 'big.edi');
    await generate837(input, 8 * 1024 * 1024, { seed: 5 });
    const out = join(dir, 'out');
    const r = run([input, '--out', out, '--concurrency', '1', '--quiet'], { CLAIM_AUDIT_HEAP_MB: '16' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^claim-audit: the run needed more than its 16 MB heap; set CLAIM_AUDIT_HEAP_MB to allow more/);
    expect(r.stderr).not.toMatch(NO_STACK);
    expect(existsSync(join(out, WORK_DIR))).toBe(false);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  }, 120_000);

  it('what a dead run left in the output folder is removed by the next run, with a line saying so', async () => {
    const out = tmp();
    mkdirSync(join(out, WORK_DIR, 'run-999999-deadbeef'), { recursive: true });
    writeFileSync(join(out, WORK_DIR, 'run-999999-deadbeef', 'lines-0.ndjson'), 'x');
    writeFileSync(join(out, '.findings.csv.0123456789ab.tmp'), 'half a report');
    let stderr = '';
    await runCli(['samples', '--out', out], { stdout: () => {}, stderr: (t) => (stderr += t), cwd: root });
    expect(stderr).toMatch(/removed 2 temporary files left in .* by a run that did not finish/);
    expect(readdirSync(out).sort()).toEqual([...DEFAULT_OUTPUTS]);
  });

  it('temporary files live in the output folder, not the system temp', async () => {
    const out = tmp();
    const seen: string[] = [];
    await runCli(['samples', '--out', out], { stdout: () => {}, stderr: () => {}, cwd: root, onOwned: (o) => o.temp && seen.push(o.temp) });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.startsWith(join(out, WORK_DIR))).toBe(true);
    expect(existsSync(join(out, WORK_DIR))).toBe(false);
  });
});

describe('8. command-line rough edges', () => {
  it('--codes ALL is all, in any case', () => {
    const a = run(['samples', '--codes', 'ALL', '--out', tmp(), '--quiet']);
    expect(a.code).toBe(1);
    expect(a.stderr).toBe('');
  });

  it('a code not in the pack is audited with a warning naming it', () => {
    const r = run(['samples', '--codes', 'J9999,J9299', '--out', tmp()]);
    expect(r.stderr).toMatch(/warning: --codes J9999: not in the reference pack/);
    expect(r.stderr).not.toMatch(/J9299: not in/);
  });

  it('rules ID shows that rule\u2019s page; codes CODE that code', () => {
    const rule = run(['rules', 'ndc-missing']);
    expect(rule.code).toBe(0);
    expect(rule.stdout).toMatch(/^ndc-missing · error · CO-16\/M119 · NDC missing where the payer requires it/);
    // In a terminal: wrapped text, no Markdown marks; --markdown: the page as written.
    expect(rule.stdout).toContain('How to fix.');
    expect(rule.stdout).not.toContain('**');
    expect(Math.max(...rule.stdout.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(100);
    expect(run(['rules', 'ndc-missing', '--markdown']).stdout).toContain('**How to fix.**');
    expect(run(['rules', 'no-such-rule']).code).toBe(2);
    // Rule ids in any case; a slip gets the nearest id.
    expect(run(['rules', 'NDC-MISSING']).stdout).toBe(rule.stdout);
    const slip = run(['rules', 'ndc-misssing']);
    expect(slip.code).toBe(2);
    expect(slip.stderr).toBe('claim-audit: no rule "ndc-misssing" (did you mean ndc-missing?); claim-audit rules lists them\n');
    const code = run(['codes', 'J9299']);
    expect(code.code).toBe(0);
    expect(code.stdout.split('\n').filter((l) => /^J\d{4}/.test(l)).map((l) => l.slice(0, 5))).toEqual(['J9299']);
    const unknown = run(['codes', 'J9999']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/not in the reference pack: J9999/);
  });

  it.each([
    [['rules', '--out', 'x'], /--out does not go with "rules"/],
    [['codes', '--concurrency', '2'], /--concurrency does not go with "codes"/],
    [['samples', '--bogus'], /^claim-audit: unknown option --bogus \(see claim-audit --help\)$/],
    [['samples', '--formt', 'csv'], /^claim-audit: unknown option --formt \(did you mean --format\?\) \(see claim-audit --help\)$/],
    [['samples', '--out', '/proc/claim-audit'], /^claim-audit: --out \/proc\/claim-audit is under \/proc, a system folder: give a folder of your own for the reports/],
    [['samples', '--out', '/sys/x'], /is under \/sys, a system folder/],
    [['samples', '--out'], /^claim-audit: --out needs a value \(see claim-audit --help\)$/],
    [['samples', '--quiet=yes'], /^claim-audit: --quiet takes no value \(see claim-audit --help\)$/],
  ])('%j: exit 2, one line with balanced quotes', (args, message) => {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(message);
    expect((r.stderr.match(/"/g) ?? []).length % 2).toBe(0);
    expect((r.stderr.match(/'/g) ?? []).length % 2).toBe(0);
  });

  it('the progress line ends at the number of findings the summary gives', async () => {
    let stderr = '';
    const out = tmp();
    await runCli(['samples', '--out', out], { stdout: () => {}, stderr: (t) => (stderr += t), cwd: root, stderrIsTty: true, columns: () => 200 });
    const drawn = [...stderr.matchAll(/claims · (\d+) findings/g)].map((m) => Number(m[1]));
    const said = Number(/at risk[^:]*: (\d+) findings/.exec(stderr)?.[1]);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.findingTotals.findings).toBeGreaterThan(0);
    expect(said).toBe(summary.findingTotals.findings);
    // The last count drawn by the progress line is the summary's.
    expect(drawn.at(-1)).toBe(summary.findingTotals.findings);
  });
});
