// Temporary record files: lines read back as text and as bytes across chunk edges, and the line
// entries phase 1 writes read back in place by phase 3.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding, LineFacts } from '../../src/model/index.js';
import { ENTRY_CODEC, entryFindings, EntryView, GROUP_CODEC, Seq, type GroupRecord, type LineEntry } from '../../src/exec/local/records.js';
import { lineRecord } from '../../src/view/lines.js';
import { ExternalSorter, holdStats, holdTempFiles, MAX_FAN_IN, readLineBytes, readLines, releaseTempFiles, removeTemp, tempSize, TextWriter } from '../../src/store/ndjson.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'claim-audit-store-'));

describe('readLines and readLineBytes', () => {
  // Multi-byte characters, a line longer than the buffer, empty lines, no final newline.
  const lines = ['café', 'x'.repeat(50), '', 'Zoë ☃ 𝄞', 'last'];
  const text = lines.join('\n');

  it.each([4, 7, 16, 1 << 20])('give every line whole with a %i-byte buffer', (buffer) => {
    const path = join(tmp(), 'lines.txt');
    writeFileSync(path, text);
    const expected = lines.filter((l) => l !== '');
    expect([...readLines(path, buffer)]).toEqual(expected);
    // Each line's bytes are a view of the reading buffer: decoded before the next is asked for.
    const decoded: string[] = [];
    for (const bytes of readLineBytes(path, buffer)) decoded.push(bytes.toString('utf8'));
    expect(decoded).toEqual(expected);
  });

  it('TextWriter writes text and bytes in order, through its buffer and around it', () => {
    const path = join(tmp(), 'out.txt');
    const writer = new TextWriter(path, 16);
    writer.write('abc');
    writer.writeBytes(Buffer.from('déf'));
    writer.writeBytes(Buffer.from('a long run of bytes, longer than the buffer'));
    writer.write('☃\n');
    writer.close();
    expect(readFileSync(path, 'utf8')).toBe('abcdéfa long run of bytes, longer than the buffer☃\n');
  });
});

describe('the local executor\'s records', () => {
  const facts: LineFacts = {
    claimId: 'C\t1 "quoted"',
    lineNumber: 2,
    lineKey: 'J9299|2025-03-11||1',
    claimType: 'professional',
    setting: 'professional',
    frequencyCode: '1',
    originalClaimRef: null,
    code: 'J9299',
    serviceDate: '2025-03-01',
    date: '2025-03-01',
    payerClass: 'medicare',
    payerName: 'Payer ☃',
    billingNpi: '1234567893',
    billingName: 'Clinic\ttab',
    memberId: 'M123456789',
    memberKey: null,
    modifiers: ['JZ'],
    units: 24,
    unitBasis: 'UN',
    billedCharge: 100.5,
    expectedPayment: 775.1,
    paymentBasis: 'asp',
    ndc: '00003373413',
    ndcAsSent: '00003-3734-13',
    ndcQuantity: 24,
    ndcUnit: 'ML',
    sourceRef: { file: 'a\tb.edi', segmentIndex: 12, byteOffset: 345 },
  };
  const finding = { id: '0123456789abcdef', ruleId: 'jz-modifier', severity: 'warning', dollarsAtRisk: 10, claimId: facts.claimId, lineNumber: 2, memberId: facts.memberId } as unknown as Finding;
  const notChecked = [{ ruleId: 'z-rule', key: 'noTable', reason: 'no MUE' }];

  it('line entries are written by ENTRY_CODEC and read back the same by the codec and in place by EntryView', () => {
    const record = JSON.stringify(lineRecord({ facts, findings: [finding], notChecked }, 'masked'));
    const entry: LineEntry = { seq: Seq.of(1, 7), notChecked: '0,3', findings: JSON.stringify([finding]), record };
    const line = ENTRY_CODEC.encode(entry);
    expect(ENTRY_CODEC.decode(line)).toEqual(entry);
    const view = new EntryView().read(Buffer.from(line));
    expect({ seq: view.seq, notChecked: view.notChecked, findings: view.findings, record: view.record }).toEqual(entry);
    expect(view.recordBytes().toString('utf8')).toBe(record);
    expect(entryFindings(view.findings)).toEqual([finding]);
    expect(Seq.file(view.seq)).toBe(1);
    expect(JSON.parse(record).memberId).toBe('****6789');
  });

  it('group records keep the facts whole (member id unmasked), whatever the key holds', () => {
    for (const marker of [false, true]) {
      const record: GroupRecord = { seq: 12, ruleId: 'duplicate-line', key: 'M\t1|J9299|"x"', marker, facts: JSON.stringify(facts) };
      const read = GROUP_CODEC.decode(GROUP_CODEC.encode(record));
      expect(read).toEqual(record);
      expect(JSON.parse(read.facts)).toEqual(facts);
    }
  });

  it('a damaged entry line is refused, not misread', () => {
    expect(() => new EntryView().read(Buffer.from('1\t2'))).toThrow(/damaged line entry/);
  });
});

describe('temporary files held in memory (holdTempFiles)', () => {
  // Lines of every length, some longer than a writer's buffer, some cut between two chunks.
  const lines = Array.from({ length: 400 }, (_, i) => `${i}:${'é'.repeat((i * 37) % 90)}${i % 50 === 0 ? 'x'.repeat(700) : ''}`);
  const write = (path: string, flushBytes: number, hold: boolean) => {
    const writer = new TextWriter(path, flushBytes, hold);
    for (const line of lines) writer.write(`${line}\n`);
    writer.close();
  };

  it('read back as the same lines as from disk, whatever the chunks cut', () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-held-'));
    holdTempFiles(dir, 1 << 30);
    try {
      for (const flushBytes of [64, 100, 256, 4096]) {
        const path = join(dir, `held-${flushBytes}`);
        write(path, flushBytes, true);
        expect(() => readFileSync(path)).toThrow(/ENOENT/);
        expect([...readLines(path)]).toEqual(lines);
        expect([...readLineBytes(path)].map((b) => b.toString('utf8'))).toEqual(lines);
        expect(tempSize(path)).toBe(Buffer.byteLength(`${lines.join('\n')}\n`));
        removeTemp(path);
        expect(tempSize(path)).toBe(0);
      }
      expect(holdStats(dir)!.spilled).toBe(0);
    } finally {
      releaseTempFiles(dir);
    }
  });

  it('past the budget, a file goes to disk whole and the rest follows it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-held-'));
    holdTempFiles(dir, 2048);
    try {
      const path = join(dir, 'spilled');
      write(path, 256, true);
      expect(readFileSync(path, 'utf8')).toBe(`${lines.join('\n')}\n`);
      expect([...readLines(path)]).toEqual(lines);
      // A file not asked to be held (an output) is on disk from the start.
      const output = join(dir, 'output');
      write(output, 256, false);
      expect(readFileSync(output, 'utf8')).toBe(`${lines.join('\n')}\n`);
      expect(holdStats(dir)).toMatchObject({ budget: 2048, spilled: 1 });
      expect(holdStats(dir)!.peakBytes).toBeLessThanOrEqual(2048);
    } finally {
      expect(releaseTempFiles(dir)).not.toBeNull();
    }
    expect(holdStats(dir)).toBeNull();
  });
});

describe('ExternalSorter', () => {
  it('keeps records that compare equal in the order they came, through merge passes (more runs than it merges at once)', () => {
    const dir = tmp();
    const sorter = new ExternalSorter<{ key: number; n: number }>((a, b) => a.key - b.key, (n) => join(dir, `run-${n}.ndjson`), 3);
    for (let n = 0; n < 3 * (MAX_FAN_IN * 2 + 5); n++) sorter.add({ key: n % 2, n });
    const sorted = [...sorter.sorted()];
    expect(sorted.map((r) => r.key)).toEqual([...sorted.map((r) => r.key)].sort());
    for (const key of [0, 1]) {
      const ns = sorted.filter((r) => r.key === key).map((r) => r.n);
      expect(ns).toEqual([...ns].sort((a, b) => a - b));
    }
  });
});
