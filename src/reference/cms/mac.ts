// The A/B Medicare Administrative Contractors' jurisdictions: which contractor serves a state.
// The billing provider's state selects the MAC whose billing articles and self-administered
// drug list bind a claim. Recognised by a header with Jurisdiction, Contractor and States.
import type { MacRow } from './types.js';
import { allRows, clean, columnOf, counted, headerRow, Rejections, type CmsTable } from './table.js';



export const MAC_JURISDICTIONS: CmsTable = {
  kinds: ['mac-jurisdictions'],
  name: 'A/B MAC jurisdictions',
  detect(rows) {
    return headerRow(rows, (c) => c.includes('jurisdiction') && c.includes('contractor') && c.includes('states'));
  },
  parse(rows, at, _title, report) {
    const header = rows[at]!.map((c) => clean(c).toLowerCase());
    const [jurisdiction, contractor, states] = ['jurisdiction', 'contractor', 'states'].map((n) => header.indexOf(n)) as [number, number, number];
    const sad = columnOf(header, 'sad article', 'sad_article', 'sad article id');
    const rejected = new Rejections();
    const out: MacRow[] = [];
    for (const row of allRows(rows, at, report)) {
      const id = clean(row[jurisdiction]).toUpperCase();
      const list = clean(row[states]).split(/[;,\s]+/).map((s) => s.toUpperCase()).filter((s) => s !== '');
      if (!/^J[A-Z0-9]{1,2}$/.test(id)) rejected.add('not a jurisdiction like J5 or JK');
      else if (list.length === 0 || list.some((s) => !/^[A-Z]{2}$/.test(s))) rejected.add('states not two-letter codes');
      else {
        const article = sad === -1 ? '' : clean(row[sad]).toUpperCase();
        out.push({ jurisdiction: id, contractor: clean(row[contractor]), states: list, sadArticle: /^A?\d{5}$/.test(article) ? (article.startsWith('A') ? article : `A${article}`) : null });
      }
    }
    return counted({ kind: 'mac-jurisdictions', report, rows: out }, out.length, rejected);
  },
};
