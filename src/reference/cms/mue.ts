// The NCCI MUE tables (practitioner, outpatient hospital, DME supplier): "HCPCS/CPT Code,
// Practitioner Services MUE Values, MUE Adjudication Indicator, MUE Rationale", the table's
// effective date in its title. The value column's name says the setting.
import type { MueSetting } from '../schema.js';
import type { CmsFile, FileReport, MueRow } from './types.js';
import { clean, dataRows, dateIn, finish, headerRow, notUsed, Rejections, type CmsTable } from './table.js';

/** A table's source id: its setting and effective date. */
export const mueSource = (setting: MueSetting, date: string | null) => `cms-mue-${setting}-${date ?? 'undated'}`;

function mueTable(rows: string[][], at: number, title: string, rep: FileReport): CmsFile {
  const header = rows[at]!.map((c) => clean(c));
  const find = (pattern: RegExp) => header.findIndex((c) => pattern.test(c));
  const code = find(/hcpcs|cpt/i);
  const value = find(/mue value/i);
  const mai = find(/adjudication indicator|\bmai\b/i);
  const rationale = find(/rationale/i);
  const name = header[value]!.toLowerCase();
  const setting = name.includes('practitioner') ? 'practitioner' : name.includes('outpatient') ? 'outpatient-hospital' : name.includes('dme') ? 'dme' : null;
  if (setting === null) {
    return { kind: 'unknown', report: { ...rep, kind: 'unknown', lookedLike: 'mue', note: `an MUE table whose value column (${header[value]}) names no setting (practitioner, outpatient hospital, DME)` } };
  }
  const rejected = new Rejections();
  const out: MueRow[] = [];
  for (const { row, hcpcs } of dataRows(rows, at, code, rep, rejected)) {
    const units = Number(clean(row[value]));
    const indicator = mai === -1 ? NaN : Number(clean(row[mai]).charAt(0));
    if (!Number.isInteger(units) || units < 0) rejected.add('MUE value not a whole number');
    else if (![1, 2, 3].includes(indicator)) rejected.add('MAI not 1, 2 or 3');
    else out.push({ hcpcs, value: units, mai: indicator as 1 | 2 | 3, rationale: rationale === -1 ? '' : clean(row[rationale]) });
  }
  // "Effective October 1, 2026": a table applies from its effective date.
  rep.date = dateIn(title);
  if (rep.date === null) rep.note = 'no "Effective <date>" in its title: its values are used for every date, at lower confidence';
  return finish({ kind: 'mue', report: rep, setting, rows: out }, rejected, title);
}

export const MUE_TABLE: CmsTable = {
  kinds: ['mue'],
  name: 'MUE',
  detect: (rows) => headerRow(rows, (c) => c.some((x) => /^(hcpcs\/cpt|hcpcs|cpt)( code)?$/.test(x)) && c.some((x) => /^[a-z ]*mue values?$/.test(x))),
  parse: mueTable,
  gather(file, inputs) {
    if (file.kind !== 'mue') return;
    // One table a setting and effective date; a table applies from its date.
    const key = `${file.setting}|${file.report.date ?? ''}`;
    if (inputs.mueTables.has(key)) return notUsed(file.report, 'same-date', `a second ${file.setting} MUE table effective ${file.report.date ?? '(undated)'}: not used (the first one read is)`);
    inputs.mueTables.add(key);
    const source = mueSource(file.setting, file.report.date ?? null);
    for (const row of file.rows) {
      const mue = { setting: file.setting, from: file.report.date ?? null, value: row.value, mai: row.mai, rationale: row.rationale, source };
      const list = inputs.mue.get(row.hcpcs);
      if (list) list.push(mue);
      else inputs.mue.set(row.hcpcs, [mue]);
    }
  },
};
