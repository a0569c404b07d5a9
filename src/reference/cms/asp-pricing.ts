// CMS's ASP pricing file (Medicare Part B drug payment limits, a file a quarter): "HCPCS Code,
// Short Description, HCPCS Code Dosage, Payment Limit, …" under title lines that name the
// quarter ("Effective January 1, 2026 through March 31, 2026").
import type { AspPricingRow, CmsFile, FileReport } from './types.js';
import { clean, dataRows, finish, headerRow, notUsed, number, Rejections, type CmsTable } from './table.js';

function aspPricing(rows: string[][], at: number, title: string, rep: FileReport): CmsFile {
  const header = rows[at]!.map((c) => clean(c).toLowerCase());
  const [code, short, dosage, limit] = ['hcpcs code', 'short description', 'hcpcs code dosage', 'payment limit'].map((n) => header.indexOf(n)) as [number, number, number, number];
  const rejected = new Rejections();
  const out: AspPricingRow[] = [];
  for (const { row, hcpcs } of dataRows(rows, at, code, rep, rejected)) {
    const payment = number(row[limit]);
    if (payment !== null && payment < 0) rejected.add('a negative payment limit');
    else out.push({ hcpcs, shortDescription: clean(row[short]), dosage: clean(row[dosage]), paymentLimit: payment });
  }
  const unpriced = out.filter((r) => r.paymentLimit === null).length;
  const file = finish({ kind: 'asp-pricing', report: rep, rows: out }, rejected, title);
  if (unpriced > 0) rep.note = `${unpriced} code${unpriced === 1 ? '' : 's'} without a payment limit (N/A): billing unit only`;
  return file;
}

export const ASP_PRICING: CmsTable = {
  kinds: ['asp-pricing'],
  name: 'ASP pricing',
  detect: (rows) => headerRow(rows, (c) => c.includes('hcpcs code') && c.includes('hcpcs code dosage') && c.includes('payment limit')),
  parse: aspPricing,
  gather(file, inputs) {
    if (file.kind !== 'asp-pricing') return;
    const quarter = file.report.quarter;
    if (!quarter) return notUsed(file.report, 'no-quarter', 'no "Effective <date>" title line: the quarter is unknown, so the file was not used');
    if (inputs.aspQuarters.includes(quarter)) return notUsed(file.report, 'same-quarter', `a second ASP pricing file for ${quarter}: not used (the first one read is)`);
    inputs.aspQuarters.push(quarter);
    for (const row of file.rows) {
      const byQuarter = inputs.asp.get(row.hcpcs) ?? new Map<string, AspPricingRow>();
      byQuarter.set(quarter, row);
      inputs.asp.set(row.hcpcs, byQuarter);
    }
  },
};
