// CMS's ASP NDC–HCPCS crosswalk (a file a quarter): "_2026_CODE, Short Description, LABELER
// NAME, NDC2, …, PKG SIZE, PKG QTY, BILLUNITS, BILLUNITSPKG". NDC2 holds other identifiers for
// devices and biologics: those rows are rejected with the reason.
import { normaliseNdc } from '../../model/ndc.js';
import type { CmsFile, CrosswalkRow, FileReport } from './types.js';
import { clean, dataRows, finish, headerRow, notUsed, number, Rejections, type CmsTable } from './table.js';

/** CMS lists devices and biologics by other identifiers in NDC2: said plainly. */
const NDC_REJECTED: Record<string, string> = {
  'non-digits': 'NDC2 holds a product number, not an NDC',
  'wrong-length': 'NDC2 is not an 11-digit NDC (a UPC, a GTIN or a short number)',
  'ambiguous-10-digit': 'NDC2 has 10 digits without dashes (ambiguous)',
  empty: 'no NDC2',
  'all-zeros': 'NDC2 is all zeros',
};

function aspCrosswalk(rows: string[][], at: number, title: string, rep: FileReport): CmsFile {
  const header = rows[at]!.map((c) => clean(c).toLowerCase());
  const col = (n: string) => header.indexOf(n);
  const code = header.findIndex((x) => /^_\d{4}_code$/.test(x));
  const [labeler, ndcCol, drug, dosage, size, qty, units, unitsPkg] = ['labeler name', 'ndc2', 'drug name', 'hcpcs dosage', 'pkg size', 'pkg qty', 'billunits', 'billunitspkg'].map(col) as number[];
  const rejected = new Rejections();
  const out: CrosswalkRow[] = [];
  for (const { row, hcpcs } of dataRows(rows, at, code, rep, rejected)) {
    const ndc = normaliseNdc(clean(row[ndcCol!]));
    if (!ndc.ok) rejected.add(NDC_REJECTED[ndc.reason] ?? `NDC2 not read (${ndc.reason})`);
    else {
      out.push({
        hcpcs,
        ndc: ndc.ndc,
        labeler: clean(row[labeler!]),
        drugName: clean(row[drug!]),
        dosage: clean(row[dosage!]),
        packageSize: number(row[size!]),
        packageQuantity: number(row[qty!]),
        billingUnitsPerItem: number(row[units!]),
        billingUnitsPerPackage: number(row[unitsPkg!]),
      });
    }
  }
  return finish({ kind: 'asp-crosswalk', report: rep, rows: out }, rejected, title);
}

export const ASP_CROSSWALK: CmsTable = {
  kinds: ['asp-crosswalk'],
  name: 'ASP crosswalk',
  detect: (rows) => headerRow(rows, (c) => c.some((x) => /^_\d{4}_code$/.test(x)) && c.includes('ndc2')),
  parse: aspCrosswalk,
  gather(file, inputs) {
    if (file.kind !== 'asp-crosswalk') return;
    const quarter = file.report.quarter;
    if (!quarter) return notUsed(file.report, 'no-quarter', 'no "Effective <date>" title line: not used');
    if (inputs.crosswalkQuarters.includes(quarter)) return notUsed(file.report, 'same-quarter', `a second crosswalk for ${quarter}: not used`);
    inputs.crosswalkQuarters.push(quarter);
    for (const row of file.rows) {
      const byQuarter = inputs.crosswalk.get(row.hcpcs) ?? new Map<string, CrosswalkRow[]>();
      const list = byQuarter.get(quarter);
      if (list) list.push(row);
      else byQuarter.set(quarter, [row]);
      inputs.crosswalk.set(row.hcpcs, byQuarter);
    }
  },
};
