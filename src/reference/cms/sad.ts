// The MACs' self-administered drug (SAD) exclusion lists: drugs Medicare Part B does not cover
// in a MAC's jurisdiction because they are usually self-administered (Benefit Policy Manual
// ch. 15 §50.2). One row a drug of an article, with its route hint where the list distinguishes
// routes (intravenous use is covered; subcutaneous use is excluded). Recognised by a header with
// an article id and a HCPCS code column and a MAC or route column. A full list arrives this way,
// or as the MCD export's "Self-Administered Drug Exclusion List" articles (mcd.ts).
import type { SadRow } from './types.js';
import { allRows, clean, columnOf, counted, dateCell, headerRow, Rejections, type CmsTable } from './table.js';
import { HCPCS_CODE } from '../../model/index.js';



export const SAD_LIST: CmsTable = {
  kinds: ['sad-list'],
  name: 'MAC self-administered drug exclusion list',
  detect(rows) {
    return headerRow(rows, (c) => c.includes('article_id') && (c.includes('code_id') || c.includes('hcpcs')) && (c.includes('route_hint') || c.includes('mac_id')));
  },
  parse(rows, at, _title, report) {
    const header = rows[at]!.map((c) => clean(c).toLowerCase());
    const col = (...names: string[]) => columnOf(header, ...names);
    const [article, macId, macName, code, description, brand, route, effective] = [
      col('article_id'),
      col('mac_id'),
      col('mac_name'),
      col('code_id', 'hcpcs'),
      col('code_description', 'description'),
      col('drug_brand_name', 'brand'),
      col('route_hint', 'route'),
      col('effective_date'),
    ];
    const rejected = new Rejections();
    const out: SadRow[] = [];
    for (const row of allRows(rows, at, report)) {
      const id = clean(row[article!]).toUpperCase();
      const hcpcs = clean(row[code!]).toUpperCase();
      if (!/^A?\d{5}$/.test(id)) rejected.add('no article id');
      else if (!HCPCS_CODE.test(hcpcs)) rejected.add('not a HCPCS code');
      else {
        out.push({
          article: id.startsWith('A') ? id : `A${id}`,
          macId: macId === -1 ? '' : clean(row[macId!]),
          macName: macName === -1 ? '' : clean(row[macName!]),
          hcpcs,
          description: description === -1 ? '' : clean(row[description!]),
          brand: brand === -1 ? '' : clean(row[brand!]),
          route: route === -1 ? '' : clean(row[route!]).toUpperCase(),
          effective: effective === -1 ? null : dateCell(row[effective!]),
        });
      }
    }
    return counted({ kind: 'sad-list', report, rows: out }, out.length, rejected);
  },
};
