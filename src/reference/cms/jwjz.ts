// CMS's list of HCPCS codes subject to the JW/JZ modifier policy ("JW Modifier and JZ Modifier
// Policy HCPCS codes", cms.gov, updated about twice a year). A code on it is a separately
// payable drug from single-dose containers: the JW/JZ rules apply to it. CMS says the list is
// not every drug the policy covers, so a code absent from it is unknown, not multi-dose.
// Recognised by a title naming JW and JZ and a header with a HCPCS column; the list's date is
// the one its title names ("updated June 20, 2025").
import { clean, columnOf, counted, dataRows, dateIn, headerRow, notUsed, Rejections, type CmsTable } from './table.js';

/** The list's source id: its date. */
const jwjzSource = (date: string | null) => `cms-jwjz-${date ?? 'undated'}`;

export const JWJZ_LIST: CmsTable = {
  kinds: ['jwjz-list'],
  name: 'CMS JW/JZ policy HCPCS list',
  detect(rows, title) {
    if (!/\bJW\b/i.test(title) || !/\bJZ\b/i.test(title)) return -1;
    return headerRow(rows, (c) => c.some((x) => x === 'hcpcs code' || x === 'hcpcs' || x === 'code'));
  },
  parse(rows, at, title, report) {
    const header = rows[at]!.map((c) => clean(c).toLowerCase());
    const code = columnOf(header, 'hcpcs code', 'hcpcs', 'code');
    // The CMS list has no such column; an extract that marks codes single-dose yes/no does.
    const single = header.findIndex((c) => /single[- ]dose/.test(c));
    const rejected = new Rejections();
    const codes = new Set<string>();
    for (const { row, hcpcs } of dataRows(rows, at, code, report, rejected)) {
      if (single !== -1 && /^(no|n|false)$/i.test(clean(row[single]))) rejected.add('not marked single-dose');
      else if (codes.has(hcpcs)) rejected.add('listed twice');
      else codes.add(hcpcs);
    }
    const listDate = dateIn(title);
    report.date = listDate;
    if (listDate === null) report.note = 'no date in its title: the list is used as undated';
    return counted({ kind: 'jwjz-list', report, listDate, codes: [...codes].sort() }, codes.size, rejected);
  },
  gather(file, inputs) {
    if (file.kind !== 'jwjz-list') return;
    // The newest list wins: CMS updates it about twice a year, each list replacing the last.
    const newer = inputs.jwjz === null || (file.listDate ?? '') > (inputs.jwjz.date ?? '');
    if (!newer) return notUsed(file.report, 'older-list', `an older JW/JZ list than the ${inputs.jwjz!.date ?? 'undated'} one given: not used`);
    inputs.jwjz = { date: file.listDate, source: jwjzSource(file.listDate), codes: new Set(file.codes) };
  },
};
