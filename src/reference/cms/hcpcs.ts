// The HCPCS Level II file (CMS's ANWEB): HCPC, SEQNUM, RECID, LONG DESCRIPTION, …; record 3 a
// code, 7 a modifier, 4 and 8 their continuation lines.
import type { CmsFile, FileReport, HcpcsRecord } from './types.js';
import { clean, headerRow, Rejections, ymd, type CmsTable } from './table.js';

function hcpcsFile(rows: string[][], at: number, rep: FileReport): CmsFile {
  const header = rows[at]!.map((c) => clean(c).toUpperCase());
  const [hcpc, recid, long, short, add, act, term] = ['HCPC', 'RECID', 'LONG DESCRIPTION', 'SHORT DESCRIPTION', 'ADD DT', 'ACT EFF DT', 'TERM DT'].map((n) => header.indexOf(n)) as number[];
  const rejected = new Rejections();
  const records: HcpcsRecord[] = [];
  let last = null as HcpcsRecord | null;
  for (const row of rows.slice(at + 1)) {
    const code = clean(row[hcpc!]);
    if (code === '') continue;
    rep.rowsRead++;
    const kind = clean(row[recid!]);
    if ((kind === '4' || kind === '8') && last?.code === code) {
      last.long = `${last.long} ${clean(row[long!])}`.trim();
      continue;
    }
    if (kind !== '3' && kind !== '7') {
      rejected.add(`record type ${kind || '(empty)'} (only 3 codes, 7 modifiers and their continuations are read)`);
      continue;
    }
    last = { code, recid: kind, long: clean(row[long!]), short: clean(row[short!]), added: ymd(row[add!]), actionEffective: ymd(row[act!]), terminated: ymd(row[term!]) };
    records.push(last);
  }
  rep.rowsUsed = rep.rowsRead - rejected.count;
  rep.rowsRejected = rejected.count;
  rep.rejected = rejected.counts;
  return { kind: 'hcpcs', report: rep, records };
}

export const HCPCS_FILE: CmsTable = {
  kinds: ['hcpcs'],
  name: 'HCPCS',
  detect: (rows) => headerRow(rows, (c) => c[0] === 'hcpc' && c.includes('recid') && c.includes('long description')),
  parse: (rows, at, _title, report) => hcpcsFile(rows, at, report),
  gather(file, inputs) {
    if (file.kind !== 'hcpcs') return;
    for (const r of file.records) {
      if (r.recid === '3') inputs.hcpcs.set(r.code, r);
      else inputs.modifiers.push(r);
    }
  },
};
