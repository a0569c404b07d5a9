// Hardening from an independent probe (issue 27): a closed stderr, inputs that never end,
// configuration that is not a regular file or too large or too deep, symlinks, and the paths a
// run writes checked before any claim is read.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OUTPUTS } from '../support/outputs.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const bin = join(root, 'dist/cli/main.js');
const tmp = () => mkdtempSync(join(tmpdir(), 'claim-audit-hard-'));
const REPORTS = [...DEFAULT_OUTPUTS];

describe('a closed stderr or stdout (EPIPE)', () => {
  it.each([
    ['stderr closed before the run prints', 'stderr', 0],
    ['stderr closed after its first line (| head -1)', 'stderr', 1],
  ] as const)('%s: the audit finishes, commits its reports and exits with its own code', async (_, stream, after) => {
    const out = tmp();
    const child = spawn(process.execPath, [bin, 'samples', '--out', out], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const pipe = stream === 'stderr' ? child.stderr : child.stdout;
    if (after === 0) pipe.destroy();
    else pipe.once('data', () => pipe.destroy());
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect(code).toBe(1);
    expect(readdirSync(out).sort()).toEqual(REPORTS);
  });

  it('stdout closed (claim-audit codes | head -1): exit 0, no crash', async () => {
    const child = spawn(process.execPath, [bin, 'codes'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    expect(await new Promise<number | null>((done) => child.on('exit', done))).toBe(0);
    expect(stderr).toBe('');
  });
});

/** Runs the binary; resolves with its exit code, stderr and how long it took. */
function run(args: string[], options: { cwd?: string; killAfterMs?: number } = {}) {
  return new Promise<{ code: number | null; stderr: string; ms: number }>((done) => {
    const started = Date.now();
    const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd ?? root, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // A test that hangs is a failure, not a stuck suite.
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    if (options.killAfterMs !== undefined) setTimeout(() => child.kill('SIGTERM'), options.killAfterMs);
    child.on('exit', (code) => {
      clearTimeout(guard);
      done({ code, stderr, ms: Date.now() - started });
    });
  });
}

const fifo = (dir: string, name = 'claims.fifo') => {
  const path = join(dir, name);
  expect(spawnSync('mkfifo', [path]).status).toBe(0);
  return path;
};

describe('inputs that never end (FIFOs, devices)', () => {
  it('a FIFO named as input, with no writer, is refused at once with one line naming it; the rest is audited', async () => {
    const dir = tmp();
    const path = fifo(dir);
    const out = join(dir, 'out');
    const result = await run([path, 'samples', '--out', out]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${path}: error: a FIFO (named pipe), not a regular file: claim-audit reads files and folders (a stream never ends or may never start); pass --read-pipes to read it as a stream\n`);
    expect(readdirSync(out).sort()).toEqual(REPORTS);
  });

  it('/dev/zero named as input is refused the same way', async () => {
    const result = await run(['/dev/zero', '--out', join(tmp(), 'out')]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('/dev/zero: error: a character device, not a regular file');
  });

  it('a FIFO in a folder is skipped with a warning, the folder audited', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.edi'), readFileSync(join(root, 'samples/837p-infusion-center-medicare.edi')));
    fifo(dir, 'b.fifo');
    const result = await run([dir, '--out', join(dir, 'out')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('b.fifo: warning: skipped: a FIFO (named pipe), not a regular file');
  });

  it('--read-pipes reads a FIFO whose writer comes, as a stream', async () => {
    const dir = tmp();
    const path = fifo(dir);
    const writer = spawn('sh', ['-c', `cat ${join(root, 'samples/837p-infusion-center-medicare.edi')} > ${path}`]);
    const result = await run([path, '--read-pipes', '--out', join(dir, 'out')]);
    writer.kill();
    expect(result.code).toBe(1);
    const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'));
    expect(summary.totals.claims.read).toBe(18);
    expect(summary.manifest.inputs[0].file).toBe(path);
  });

  it('--read-pipes on a FIFO whose writer never comes: SIGTERM stops it at once, leaving no lock or temporary file', async () => {
    const dir = tmp();
    const path = fifo(dir);
    const out = join(dir, 'out');
    const result = await run([path, '--read-pipes', '--out', out], { killAfterMs: 1_500 });
    expect(result.code).toBe(143);
    expect(result.ms).toBeLessThan(8_000);
    expect(result.stderr).toContain('claim-audit: stopped by SIGTERM; nothing was written');
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('configuration files: regular, at most 64 MB, any depth of JSON', () => {
  const options = ['--profile', '--pack', '--mue', '--ndc-crosswalk', '--csv-profile', '--suppressions'];

  it.each(options)('%s /dev/zero: one line naming it, exit 2, no claim read', async (option) => {
    const out = join(tmp(), 'out');
    const result = await run(['samples', '--out', out, option, '/dev/zero']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/\/dev\/zero.*a character device, not a regular file/);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  });

  it.each(options)('%s naming a FIFO with no writer: refused at once, not a hang', async (option) => {
    const dir = tmp();
    const result = await run(['samples', '--out', join(dir, 'out'), option, fifo(dir)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/a FIFO \(named pipe\), not a regular file/);
  });

  it('a profile over 64 MB is refused by its size', async () => {
    const dir = tmp();
    const big = join(dir, 'profile.json');
    writeFileSync(big, '');
    spawnSync('truncate', ['-s', String(64 * 1024 * 1024 + 1), big]);
    const result = await run(['samples', '--out', join(dir, 'out'), '--profile', big]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`claim-audit: profile ${big}: 64 MB, over the 64 MB a file of this kind may have\n`);
  });

  it.each([
    ['--profile', 'profile'],
    ['--pack', 'pack'],
    ['--csv-profile', '--csv-profile'],
  ])('JSON nested a million deep in %s: a configuration error naming the file, exit 2', async (option, what) => {
    const dir = tmp();
    const deep = join(dir, 'deep.json');
    writeFileSync(deep, `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`);
    const deepObject = join(dir, 'deep-object.json');
    writeFileSync(deepObject, `${'{"a":'.repeat(1_000_000)}1${'}'.repeat(1_000_000)}`);
    for (const file of [deep, deepObject]) {
      const result = await run(['samples', '--out', join(dir, 'out'), option, file]);
      expect(result.code).toBe(2);
      expect(result.stderr).not.toContain('internal error');
      expect(result.stderr).toContain(`${what} ${file}: `);
    }
  });

  it('a suppressions line nested a million deep is a malformed entry, said on stderr; the run goes on', async () => {
    const dir = tmp();
    const file = join(dir, 's.jsonl');
    writeFileSync(file, `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}\n`);
    const result = await run(['samples', '--out', join(dir, 'out'), '--suppressions', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`warning: ${file} line 1: not a JSON object; it suppresses nothing`);
  });
});

describe('symbolic links', () => {
  const sample = join(root, 'samples/837p-infusion-center-medicare.edi');

  it('a folder of links to files is audited (links followed), each real file once', async () => {
    const dir = tmp();
    const links = join(dir, 'links');
    mkdirSync(links);
    symlinkSync(sample, join(links, 'a.edi'));
    symlinkSync(sample, join(links, 'b.edi'));
    symlinkSync(join(root, 'samples/csv-canonical-template.csv'), join(links, 'c.csv'));
    symlinkSync(join(dir, 'nowhere.edi'), join(links, 'd.edi'));
    const out = join(dir, 'out');
    const result = await run([links, '--out', out]);
    expect(result.code).toBe(1);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.manifest.inputs.map((i: { file: string }) => i.file)).toEqual([`${links}/a.edi`, `${links}/c.csv`]);
    expect(result.stderr).toContain(`${links}/b.edi: warning: skipped: the same file as ${links}/a.edi (reached again through a symbolic link or another name)`);
    expect(result.stderr).toContain(`${links}/d.edi: warning: skipped: a symbolic link to nothing (ENOENT)`);
    // No duplicate of the file's own lines.
    expect(readFileSync(join(out, 'findings.csv'), 'utf8')).not.toContain('duplicate-line');
  });

  it.each([
    ['a folder walk', (dir: string) => [join(dir, 'claims')]],
    ['a ** glob', (dir: string) => [`${join(dir, 'claims')}/**/*.edi`]],
  ])('a symlink loop in %s ends, and each file is audited once (no false duplicates)', async (_, inputs) => {
    const dir = tmp();
    const claims = join(dir, 'claims');
    mkdirSync(join(claims, 'sub'), { recursive: true });
    writeFileSync(join(claims, 'sub', 'a.edi'), readFileSync(sample));
    symlinkSync(claims, join(claims, 'sub', 'loop'));
    const out = join(dir, 'out');
    const result = await run([...inputs(dir), '--out', out]);
    expect(result.code).toBe(1);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.manifest.inputs).toHaveLength(1);
    expect(summary.totals.claims.read).toBe(18);
    const findings = readFileSync(join(out, 'findings.csv'), 'utf8');
    expect(findings).not.toContain('duplicate-line');
    expect(result.stderr).toMatch(/warning: skipped: the same (folder|file) as /);
  });
});

describe('the paths a run writes, checked before any claim is read', () => {
  it('an unwritable --history (a file where the folder should be) exits 2 at once, naming --history', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'history'), 'not a folder');
    const out = join(dir, 'out');
    const result = await run(['samples', '--out', out, '--history', join(dir, 'history', 'runs')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`claim-audit: --history ${join(dir, 'history', 'runs')}: cannot write there (a part of it is a file, not a folder, ENOTDIR): give this user write access, or choose another --history folder; nothing was read\n`);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  });

  it('a history folder inside the input folder is not read as input', async () => {
    const dir = tmp();
    const claims = join(dir, 'claims');
    mkdirSync(claims);
    writeFileSync(join(claims, 'a.edi'), readFileSync(join(root, 'samples/837p-infusion-center-medicare.edi')));
    const args = [claims, '--out', join(dir, 'out'), '--history', join(claims, 'history')];
    expect((await run(args)).code).toBe(1);
    const second = await run(args);
    expect(second.code).toBe(1);
    const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'));
    expect(summary.manifest.inputs.map((i: { file: string }) => i.file)).toEqual([`${claims}/a.edi`]);
  });

  it('a misspelt rule id in a profile is named with the nearest id, exit 2', async () => {
    const dir = tmp();
    const profile = join(dir, 'profile.json');
    writeFileSync(profile, JSON.stringify({ payerClasses: { medicare: { rules: { 'prior-auth-mising': 'off' } } } }));
    const result = await run(['samples', '--out', join(dir, 'out'), '--profile', profile]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`claim-audit: profile ${profile}: no rule "prior-auth-mising"; did you mean prior-auth-missing? (claim-audit rules lists them)\n`);
  });
});

describe('what a run keeps while it runs', () => {
  it('a CSV of 100,000 columns: memory does not grow with its rows (200 rows in a 96 MB heap)', async () => {
    const dir = tmp();
    const columns = 100_000;
    const header = ['claim_id', 'member_id', 'service_from_date', 'hcpcs', 'units', 'charge', 'payer_class', ...Array.from({ length: columns - 7 }, (_, i) => `x${i}`)].join(',');
    const filler = ',v'.repeat(columns - 7);
    const rows = Array.from({ length: 200 }, (_, r) => `C${r},M${r},2025-03-11,J9299,240,8200,medicare${filler}`);
    writeFileSync(join(dir, 'wide.csv'), `${header}\n${rows.join('\n')}\n`);
    const result = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, [bin, join(dir, 'wide.csv'), '--out', join(dir, 'out')], { cwd: root, env: { ...process.env, CLAIM_AUDIT_HEAP_MB: '96' }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('exit', (code) => done({ code, stderr }));
    });
    expect(result.stderr).not.toContain('heap');
    expect(result.code).toBeLessThanOrEqual(1);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8')).totals.claims.read).toBe(200);
  }, 60_000);
});
