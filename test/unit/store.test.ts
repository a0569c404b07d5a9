// Temporary record files: lines read back as text and as bytes across chunk edges, and the line
// entries phase 1 writes read back in place by phase 3.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/index.js';
import type { LineBase } from '../../src/rules/engine.js';
import { readLineBytes, readLines, TextWriter } from '../../src/store/ndjson.js';
import { ENTRY_CODEC, entryBase, entryFindings, EntryView, lineEntry, lineRecord } from '../../src/workers/line-entry.js';

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

describe('line entries', () => {
  const base: LineBase = {
    claimId: 'C\t1 "quoted"',
    lineNumber: 2,
    claimType: 'professional',
    code: 'J9299',
    serviceDate: '2025-03-01',
    payerClass: 'medicare',
    payerName: 'Payer ☃',
    billingNpi: '1234567893',
    billingName: 'Clinic\ttab',
    memberId: 'M123456789',
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
  const finding = { id: '0123456789abcdef', ruleId: 'jz-modifier', severity: 'warning', dollarsAtRisk: 10, claimId: base.claimId, lineNumber: 2, memberId: base.memberId } as unknown as Finding;
  const notChecked = [{ ruleId: 'z-rule', reason: 'no MUE' }];

  it('are written by ENTRY_CODEC and read back the same by the codec and in place by EntryView', () => {
    const entry = lineEntry({ base, findings: [finding], notChecked }, { seq: 2 ** 32 + 7, claimAt: 99, notChecked: '0,3' }, true, 'masked');
    const line = ENTRY_CODEC.encode(entry);
    expect(ENTRY_CODEC.decode(line)).toEqual(entry);
    const view = new EntryView().read(Buffer.from(line));
    expect({ seq: view.seq, notChecked: view.notChecked, findings: view.findings, extras: view.extras, record: view.record }).toEqual({
      seq: entry.seq,
      notChecked: '0,3',
      findings: entry.findings,
      extras: entry.extras,
      record: entry.record,
    });
    expect(view.recordBytes().toString('utf8')).toBe(entry.record);
    expect(entryFindings(view)).toEqual([finding]);
  });

  it('hold the record masked, and the base whole (member id unmasked) for the rules across claims', () => {
    const entry = lineEntry({ base, findings: [], notChecked: [] }, { seq: 1, claimAt: 0, notChecked: '' }, true, 'masked');
    const record = JSON.parse(entry.record);
    expect(record).toEqual(lineRecord({ base, findings: [], notChecked: [] }, 'masked'));
    expect(record.memberId).toBe('****6789');
    expect(record.verdict).toBe('pass');
    expect(entryBase(entry)).toEqual(base);
    expect(entryFindings(entry)).toEqual([]);
  });

  it('leave the base out of lines no rule across claims needs, and say so if one is asked for', () => {
    const entry = lineEntry({ base, findings: [], notChecked }, { seq: 5, claimAt: 0, notChecked: '0' }, false, 'full');
    expect(entry.extras).toBe('');
    expect(JSON.parse(entry.record).verdict).toBe('not-checked');
    expect(() => entryBase(entry)).toThrow(/line entry 5/);
  });

  it('a damaged entry line is refused, not misread', () => {
    expect(() => new EntryView().read(Buffer.from('1\t2\t3'))).toThrow(/damaged line entry/);
  });
});
