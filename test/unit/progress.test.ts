// The terminal's progress line: what it says, how it fits, and how often it is redrawn.
import { describe, expect, it } from 'vitest';
import type { AuditProgress } from '../../src/audit.js';
import { ProgressBar, progressLine } from '../../src/cli/progress.js';

const state = (over: Partial<AuditProgress> = {}): AuditProgress => ({ phase: 'reading', filesTotal: 4, filesDone: 1, bytesTotal: 10 * 1024 * 1024, bytesRead: 5 * 1024 * 1024, claims: 12345, findings: 678, ...over });

describe('the progress line', () => {
  it.each([
    ['half-way by bytes', state(), '[#######-------]  50% 5.0/10.0 MB · 1/4 files · 12,345 claims · 678 findings'],
    ['no bytes known: by files', state({ bytesTotal: 0, bytesRead: 0, filesDone: 2 }), '[#######-------]  50% 0.0/0.0 MB · 2/4 files · 12,345 claims · 678 findings'],
    ['the cross-claim phase says so', state({ phase: 'cross-claim', bytesRead: 10 * 1024 * 1024, filesDone: 4 }), '[##############] 100% 10.0/10.0 MB · 4/4 files · 12,345 claims · 678 findings · cross-claim rules…'],
  ])('%s', (_, progress, expected) => {
    expect(progressLine(progress, 200)).toBe(expected);
  });

  it('fits the terminal, with an ellipsis where cut', () => {
    const line = progressLine(state(), 40);
    expect(line).toHaveLength(39);
    expect(line.endsWith('…')).toBe(true);
  });

  it('is redrawn at most ten times a second, but at once for a new phase, and cleared once', () => {
    let out = '';
    let t = 0;
    const bar = new ProgressBar((text) => (out += text), () => 80, () => t);
    bar.update(state());
    t = 50;
    bar.update(state({ claims: 1 }));
    expect(out.split('\r\x1b[K').length - 1).toBe(1);
    bar.update(state({ phase: 'writing' }));
    t = 200;
    bar.update(state({ phase: 'writing', claims: 2 }));
    expect(out.split('\r\x1b[K').length - 1).toBe(3);
    bar.clear();
    bar.clear();
    expect(out.endsWith('\r\x1b[K')).toBe(true);
    expect(out.split('\r\x1b[K').length - 1).toBe(4);
  });
});
