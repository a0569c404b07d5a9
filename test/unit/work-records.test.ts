// Temporary records of a run (issue 27, item 8): in a folder only this user may enter, and
// without the member id itself: the rules that compare members see a keyed hash.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapFile } from '../../src/exec/local/map.js';
import { parseCodeSelection } from '../../src/ingest/select.js';
import { memberKey } from '../../src/model/phi.js';
import { makeRunDir } from '../../src/output/work.js';
import { coveredCodes, loadReference } from '../../src/reference/index.js';
import { envelope, medicareDrugClaim, x12 } from '../support/x12.js';

const MEMBER = 'QZMEMBERQZ9921';

describe('the work folder', () => {
  it('is created 0700, and so is each run folder, whatever the umask', () => {
    const out = mkdtempSync(join(tmpdir(), 'claim-audit-work-'));
    const previous = process.umask(0o022);
    try {
      const run = makeRunDir(out);
      expect(statSync(join(out, '.claim-audit-work')).mode & 0o777).toBe(0o700);
      expect(statSync(run).mode & 0o777).toBe(0o700);
    } finally {
      process.umask(previous);
    }
  });
});

describe('temporary records', () => {
  it('hold no member id: the line entries have it masked, the group records a keyed hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-records-'));
    // The same line twice: a duplicate-line group, and units-exceed-mue and frequency groups where they apply.
    const claim = medicareDrugClaim({ claimId: 'R1', memberId: MEMBER });
    const file = join(dir, 'claims.edi');
    writeFileSync(file, x12(envelope([claim, medicareDrugClaim({ claimId: 'R2', memberId: MEMBER })])));
    const reference = loadReference({});
    const temp = makeRunDir(dir);
    const options = { codes: parseCodeSelection('covered', coveredCodes(reference.pack)), reference, asOf: null, phi: 'masked' as const, failOn: 'error' as const, csvProfile: null, suppressions: null, memberSalt: 'run-salt' };
    const mapped = await mapFile({ path: file, display: 'claims.edi', explicit: true }, 0, options, 4, temp, null);
    expect(mapped.drugLines).toBe(2);
    const written = readdirSync(temp).map((f) => readFileSync(join(temp, f), 'utf8')).join('\n');
    expect(written).toContain('****9921');
    expect(written).toContain(memberKey(MEMBER, 'run-salt')!);
    expect(written).not.toContain(MEMBER);
    expect(written).not.toContain(MEMBER.slice(0, 10));
    expect(readdirSync(temp).some((f) => f.endsWith('.groups'))).toBe(true);
  });

  it('memberKey: equal for equal ids under one key, different under another, never the id', () => {
    expect(memberKey('A1', 's')).toBe(memberKey('A1', 's'));
    expect(memberKey('A1', 's')).not.toBe(memberKey('A2', 's'));
    expect(memberKey('A1', 's')).not.toBe(memberKey('A1', 't'));
    expect(memberKey(null, 's')).toBeNull();
    expect(memberKey('A1', 's')).not.toContain('A1');
  });
});
