// OPPS Addendum B in its three forms: CMS's web CSV ("HCPCS Code, Short Descriptor, SI, APC,
// …, Payment Rate", the quarter in its title), the Level II extracts (HCPCSCode, …, Source: the
// release by row) and the project's extract of 26 versions for the covered codes
// (hcpcs, addendum_b_quarter, …). Every row is kept by code; the builder picks one a quarter.
import { quarterOf } from '../quarters.js';
import type { AddendumRow, CmsFile, FileReport } from './types.js';
import { clean, dataRows, finish, headerRow, number, Rejections, type CmsTable } from './table.js';

/** The history extract's source id. */
export const HISTORY_SOURCE = 'opps-addb-history';

function addendumB(rows: string[][], at: number, title: string, rep: FileReport): CmsFile {
  const header = rows[at]!.map((c) => clean(c).toLowerCase());
  const [code, short, si, rate] = ['hcpcs code', 'short descriptor', 'si', 'payment rate'].map((n) => header.indexOf(n)) as [number, number, number, number];
  const rejected = new Rejections();
  const out: AddendumRow[] = [];
  for (const { row, hcpcs } of dataRows(rows, at, code, rep, rejected)) {
    if (clean(row[si]) === '') rejected.add('no status indicator');
    else out.push({ hcpcs, shortDescriptor: clean(row[short]), statusIndicator: clean(row[si]), paymentPerUnit: number(row[rate]), label: '', quarter: '', source: '' });
  }
  return finish({ kind: 'opps-addendum-b', report: rep, rows: out }, rejected, title);
}

function addendumExtract(rows: string[][], at: number, rep: FileReport): CmsFile {
  const header = rows[at]!.map((c) => clean(c).toLowerCase());
  const [short, si, rate, source] = ['shortdescriptor', 'statusindicator', 'paymentrate', 'source'].map((n) => header.indexOf(n)) as [number, number, number, number];
  const rejected = new Rejections();
  const out: AddendumRow[] = [];
  const labels = new Set<string>();
  for (const { row, hcpcs } of dataRows(rows, at, 0, rep, rejected)) {
    const label = source === -1 ? '' : clean(row[source]);
    if (!/^\d{4}-\d{2}$/.test(label)) rejected.add('no YYYY-MM release in its Source column');
    else {
      labels.add(label);
      out.push({ hcpcs, shortDescriptor: clean(row[short]), statusIndicator: clean(row[si]), paymentPerUnit: number(row[rate]), label, quarter: quarterOf(`${label}-01`), source: `cms-opps-addb-${quarterOf(`${label}-01`)}` });
    }
  }
  // One release a file: its Source column names it.
  const quarters = new Set(out.map((r) => r.quarter));
  if (quarters.size === 1) {
    rep.quarter = [...quarters][0]!;
    rep.quarterBasis = 'column';
  }
  rep.note = labels.size > 0 ? `release ${[...labels].sort().join(', ')} (its Source column)` : null;
  return finish({ kind: 'opps-addendum-b', report: rep, rows: out }, rejected, '');
}

function addendumHistory(rows: string[][], at: number, rep: FileReport): CmsFile {
  const rejected = new Rejections();
  const out: AddendumRow[] = [];
  for (const { row, hcpcs } of dataRows(rows, at, 0, rep, rejected)) {
    const label = clean(row[1]);
    const [year, month = '01', day = '01'] = label.split('-');
    if (!/^\d{4}$/.test(year ?? '')) rejected.add('no Addendum B version');
    else out.push({ hcpcs, shortDescriptor: clean(row[2]), statusIndicator: clean(row[3]), paymentPerUnit: number(row[4]), label, quarter: quarterOf(`${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`), source: HISTORY_SOURCE });
  }
  rep.note = 'versions by row (addendum_b_quarter)';
  return finish({ kind: 'opps-addendum-b-history', report: rep, rows: out }, rejected, '');
}

/** Every row by code; the history extract's versions noted (termination is inferred from them). */
function gatherAddendum(file: CmsFile, inputs: Parameters<NonNullable<CmsTable['gather']>>[1]): void {
  if (file.kind !== 'opps-addendum-b' && file.kind !== 'opps-addendum-b-history') return;
  for (const row of file.rows) {
    const list = inputs.addendum.get(row.hcpcs);
    if (list) list.push(row);
    else inputs.addendum.set(row.hcpcs, [row]);
    if (file.kind === 'opps-addendum-b-history') inputs.historyLabels.add(row.label);
  }
}

export const ADDENDUM_B: CmsTable = {
  kinds: ['opps-addendum-b'],
  name: 'OPPS Addendum B',
  detect: (rows) => headerRow(rows, (c) => c.includes('hcpcs code') && c.includes('si') && c.includes('payment rate')),
  parse: addendumB,
  gather: gatherAddendum,
};

export const ADDENDUM_B_EXTRACT: CmsTable = {
  kinds: ['opps-addendum-b'],
  name: 'OPPS Addendum B (Level II extract)',
  detect: (rows) => headerRow(rows, (c) => c[0] === 'hcpcscode' && c.includes('statusindicator') && c.includes('paymentrate')),
  parse: (rows, at, _title, report) => addendumExtract(rows, at, report),
  gather: gatherAddendum,
};

export const ADDENDUM_B_HISTORY: CmsTable = {
  kinds: ['opps-addendum-b-history'],
  name: 'OPPS Addendum B (versions by row)',
  detect: (rows) => headerRow(rows, (c) => c[0] === 'hcpcs' && c[1] === 'addendum_b_quarter'),
  parse: (rows, at, _title, report) => addendumHistory(rows, at, report),
  gather: gatherAddendum,
};
