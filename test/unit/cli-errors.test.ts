// Failures outside the claims, as the CLI says them (issue 13 items 4 and 5): one line naming
// the path and what to do, never a stack trace unless asked for; input text escaped.
import { describe, expect, it } from 'vitest';
import { describeFailure, whereThrown } from '../../src/cli/errors.js';
import { escapeTerminal } from '../../src/cli/terminal.js';

const errno = (code: string, path?: string) => Object.assign(new Error(`${code}: something, open '${path}'`), { code, ...(path ? { path } : {}) });

describe('environment errors', () => {
  it.each([
    ['EACCES', '/srv/out/.claim-audit.lock', 2, /permission denied on \/srv\/out\/\.claim-audit\.lock: give this user access, or choose another --out folder/],
    ['EROFS', '/srv/out', 2, /\/srv\/out is on a read-only file system: choose another --out folder/],
    ['ENOSPC', undefined, 2, /no space left on the device holding \/srv\/out: free some space/],
    ['EDQUOT', '/srv/out/x', 2, /disk quota exceeded for \/srv\/out\/x/],
    ['EMFILE', '/data/in/a.edi', 2, /too many open files \(at \/data\/in\/a\.edi\): raise the limit \(ulimit -n\) or lower --concurrency/],
    ['EACCES', '/data/in/a.edi', 3, /permission denied on \/data\/in\/a\.edi/],
  ])('%s at %s: exit %i, one line', (code, path, exitCode, message) => {
    const failure = describeFailure(errno(code, path), { outDir: '/srv/out', started: true });
    expect(failure.exitCode).toBe(exitCode);
    expect(failure.text).toMatch(message);
    expect(failure.text).toMatch(new RegExp(`\\(${code}\\)\\n$`));
    expect(failure.text.trim().split('\n')).toHaveLength(1);
  });

  it('a run that had begun says the previous reports are as they were; one that had not, nothing of them', () => {
    expect(describeFailure(errno('ENOSPC'), { outDir: '/srv/out', started: true }).text).toContain('nothing was written, the previous reports in /srv/out are as they were');
    expect(describeFailure(errno('EEXIST', '/srv/out'), { outDir: '/srv/out', started: false }).text).not.toContain('previous reports');
  });

  it('an error wrapped as the cause of another is still found', () => {
    const wrapped = new Error('worker failed', { cause: errno('ENOSPC', '/srv/out/x') });
    expect(describeFailure(wrapped, { outDir: '/srv/out' }).text).toMatch(/no space left/);
  });
});

describe('internal errors', () => {
  it('one line with the error name and where, never its message (it may quote the input)', () => {
    let error: unknown;
    try {
      JSON.parse('{"name": "JANE DOE"');
    } catch (e) {
      error = e;
    }
    const failure = describeFailure(error, { outDir: 'reports' });
    expect(failure.exitCode).toBe(2);
    expect(failure.text).toMatch(/^claim-audit: internal error \(SyntaxError at [^)]*\); set CLAIM_AUDIT_DEBUG=1 to print the details\n$/);
    expect(failure.text).not.toContain('JANE');
    expect(whereThrown(error)).toMatch(/cli-errors\.test\.ts:\d+$/);
  });

  it('CLAIM_AUDIT_DEBUG prints the stack, escaped line by line', () => {
    const failure = describeFailure(new TypeError('bad \x1b[31m'), { debug: true });
    expect(failure.text).toMatch(/TypeError: bad \\x1b\[31m\n\s+at /);
  });
});

describe('escapeTerminal', () => {
  it.each([
    ['\x1b]0;PWNED\x07\x1b[31m', '\\x1b]0;PWNED\\x07\\x1b[31m'],
    ['line\nbreak\r', 'line\\x0abreak\\x0d'],
    ['C1 \x9b31m and DEL \x7f', 'C1 \\x9b31m and DEL \\x7f'],
    ['bidi \u202eevil', 'bidi \\u202eevil'],
    ['plain J9299 ü €', 'plain J9299 ü €'],
  ])('%j', (input, output) => expect(escapeTerminal(input)).toBe(output));
});
