// The Medicare Coverage Database's billing-and-coding articles, as tables: the articles (id,
// version, title, contractor, states), their HCPCS codes by group, their covered and non-covered
// ICD-10-CM codes by group, and the paragraphs that head each group (where an article says which
// diagnoses go with which drugs, or that two groups must be reported together). Two layouts are
// read, each table recognised by its header:
//  - the MCD's own export (current_article_csv.zip): article.csv, article_x_hcpc_code.csv,
//    article_x_icd10_covered.csv and _noncovered.csv, article_x_hcpc_code_group.csv,
//    article_x_icd10_covered_group.csv and _noncovered_group.csv, and for the states an article
//    binds, article_x_contractor.csv, contractor.csv, contractor_jurisdiction.csv, state_lookup.csv;
//  - the flattened extract in reference-data/mcd: articles.csv (contractors and states joined
//    in), article_hcpcs.csv, article_icd10_covered.csv, article_icd10_noncovered.csv and
//    article_paragraphs.csv. Its two ICD-10 tables have the same header: which is the covered
//    list is decided when the pack is built (build.ts), never from a file's name.
import type { FileReport, McdArticleRow, McdCodeRow, McdFile, McdParagraphRow, McdTableKind } from './types.js';
import { allRows, clean, columnOf, counted, dateCell, headerRow, Rejections, type CmsTable } from './table.js';
import { HCPCS_CODE } from '../../model/index.js';

/** 52399 or A52399 → A52399; null for anything else. */
export function articleId(cell: string | undefined): string | null {
  const text = clean(cell).toUpperCase();
  const match = /^A?(\d{5,6})$/.exec(text);
  return match ? `A${match[1]}` : null;
}

const versionOf = (cell: string | undefined): number | null => {
  const n = Number(clean(cell));
  return Number.isInteger(n) && n > 0 ? n : null;
};

const groupOf = (cell: string | undefined): number | null => {
  const n = Number(clean(cell));
  return Number.isInteger(n) && n >= 0 ? n : null;
};

/** An ICD-10-CM code as written (E11.65, e1165): dotless upper case, or null. */
export function icd10(cell: string | undefined): string | null {
  const text = clean(cell).toUpperCase().replace(/\./g, '');
  return /^[A-Z][0-9][0-9A-Z]{1,5}$/.test(text) ? text : null;
}

/** The contractor key of the MCD's own export: id, type and version together. */
const contractorKey = (row: string[], id: number, type: number, version: number) => [id, type, version].map((c) => (c === -1 ? '' : clean(row[c]))).join('|');

/** One table of one layout: the columns that recognise it, and how its rows are read. */
interface TableSpec {
  kind: McdTableKind;
  /** Every one of these column names (lower case) is in the header. */
  columns: readonly string[];
  /** …and none of these. */
  without?: readonly string[];
  read(header: string[], rows: string[][], at: number, report: FileReport): McdFile;
}

function codeTable(kind: 'mcd-hcpcs' | 'mcd-icd10', codeColumn: string, groupColumn: string, covered: boolean | null): TableSpec['read'] {
  return (header, rows, at, report) => {
    const [article, version, code, group] = [columnOf(header, 'article_id'), columnOf(header, 'article_version'), columnOf(header, codeColumn), columnOf(header, groupColumn)];
    const rejected = new Rejections();
    const out: McdCodeRow[] = [];
    for (const row of allRows(rows, at, report)) {
      const id = articleId(row[article]);
      const g = groupOf(row[group]);
      const value = kind === 'mcd-hcpcs' ? clean(row[code]).toUpperCase() : icd10(row[code]);
      if (id === null) rejected.add('no article id');
      else if (g === null) rejected.add('no group number');
      else if (value === null || value === '' || (kind === 'mcd-hcpcs' && !HCPCS_CODE.test(value))) rejected.add(kind === 'mcd-hcpcs' ? 'not a HCPCS code' : 'not an ICD-10-CM code');
      else out.push({ article: id, version: version === -1 ? null : versionOf(row[version]), group: g, code: value });
    }
    const file: McdFile = kind === 'mcd-hcpcs' ? { kind, report, rows: out } : { kind, report, covered, rows: out };
    return counted(file, out.length, rejected);
  };
}

function paragraphTable(section: McdParagraphRow['section'] | null, groupColumn: string, textColumn: string): TableSpec['read'] {
  return (header, rows, at, report) => {
    const [article, version, group, text, sectionColumn] = [columnOf(header, 'article_id'), columnOf(header, 'article_version'), columnOf(header, groupColumn), columnOf(header, textColumn), columnOf(header, 'section')];
    const rejected = new Rejections();
    const out: McdParagraphRow[] = [];
    for (const row of allRows(rows, at, report)) {
      const id = articleId(row[article]);
      const g = groupOf(row[group]);
      const kind = section ?? (clean(row[sectionColumn]).toLowerCase() as McdParagraphRow['section']);
      if (id === null) rejected.add('no article id');
      else if (g === null) rejected.add('no group number');
      else if (!['codes', 'covered', 'noncovered'].includes(kind)) rejected.add('section not codes, covered or noncovered');
      else out.push({ article: id, version: version === -1 ? null : versionOf(row[version]), section: kind, group: g, text: clean(row[text]) });
    }
    return counted({ kind: 'mcd-paragraphs', report, rows: out }, out.length, rejected);
  };
}

const list = (cell: string | undefined) => clean(cell).split(/[;|]/).map((s) => s.trim()).filter((s) => s !== '');

/** A state as two letters: the MCD writes the Northern Mariana Islands as CNMI. */
const stateOf = (text: string): string | null => {
  const upper = text.toUpperCase();
  if (upper === 'CNMI') return 'MP';
  return /^[A-Z]{2}$/.test(upper) ? upper : null;
};

const TABLES: readonly TableSpec[] = [
  {
    kind: 'mcd-articles',
    columns: ['article_id', 'title', 'contractors', 'states'],
    read(header, rows, at, report) {
      const [article, version, title, contractors, states, effective] = ['article_id', 'version', 'title', 'contractors', 'states', 'effective_date'].map((n) => columnOf(header, n));
      const rejected = new Rejections();
      const out: McdArticleRow[] = [];
      for (const row of allRows(rows, at, report)) {
        const id = articleId(row[article!]);
        if (id === null) rejected.add('no article id');
        else out.push({ article: id, version: version === -1 ? null : versionOf(row[version!]), title: clean(row[title!]), contractors: list(row[contractors!]), states: list(row[states!]).map(stateOf).filter((s): s is string => s !== null), effective: effective === -1 ? null : dateCell(row[effective!]) });
      }
      return counted({ kind: 'mcd-articles', report, rows: out }, out.length, rejected);
    },
  },
  {
    kind: 'mcd-articles',
    columns: ['article_id', 'article_version', 'title'],
    without: ['contractors', 'hcpc_code_id', 'icd10_code_id'],
    read(header, rows, at, report) {
      const [article, version, title] = ['article_id', 'article_version', 'title'].map((n) => columnOf(header, n));
      const effective = header.findIndex((c) => /eff(ective)?_?date|^article_eff/.test(c));
      const rejected = new Rejections();
      const out: McdArticleRow[] = [];
      for (const row of allRows(rows, at, report)) {
        const id = articleId(row[article!]);
        if (id === null) rejected.add('no article id');
        else out.push({ article: id, version: versionOf(row[version!]), title: clean(row[title!]), contractors: null, states: null, effective: effective === -1 ? null : dateCell(row[effective]) });
      }
      return counted({ kind: 'mcd-articles', report, rows: out }, out.length, rejected);
    },
  },
  { kind: 'mcd-hcpcs', columns: ['article_id', 'hcpcs_group', 'hcpcs'], read: codeTable('mcd-hcpcs', 'hcpcs', 'hcpcs_group', null) },
  { kind: 'mcd-hcpcs', columns: ['article_id', 'hcpc_code_id', 'hcpc_code_group'], read: codeTable('mcd-hcpcs', 'hcpc_code_id', 'hcpc_code_group', null) },
  { kind: 'mcd-icd10', columns: ['article_id', 'icd10_group', 'icd10'], read: codeTable('mcd-icd10', 'icd10', 'icd10_group', null) },
  { kind: 'mcd-icd10', columns: ['article_id', 'icd10_code_id', 'icd10_covered_group'], read: codeTable('mcd-icd10', 'icd10_code_id', 'icd10_covered_group', true) },
  { kind: 'mcd-icd10', columns: ['article_id', 'icd10_code_id', 'icd10_noncovered_group'], read: codeTable('mcd-icd10', 'icd10_code_id', 'icd10_noncovered_group', false) },
  { kind: 'mcd-paragraphs', columns: ['article_id', 'section', 'group', 'text'], read: paragraphTable(null, 'group', 'text') },
  { kind: 'mcd-paragraphs', columns: ['article_id', 'hcpc_code_group', 'paragraph'], without: ['hcpc_code_id'], read: paragraphTable('codes', 'hcpc_code_group', 'paragraph') },
  { kind: 'mcd-paragraphs', columns: ['article_id', 'icd10_covered_group', 'paragraph'], without: ['icd10_code_id'], read: paragraphTable('covered', 'icd10_covered_group', 'paragraph') },
  { kind: 'mcd-paragraphs', columns: ['article_id', 'icd10_noncovered_group', 'paragraph'], without: ['icd10_code_id'], read: paragraphTable('noncovered', 'icd10_noncovered_group', 'paragraph') },
  {
    kind: 'mcd-article-contractors',
    columns: ['article_id', 'contractor_id'],
    without: ['title'],
    read(header, rows, at, report) {
      const [article, version, id, type, cv] = ['article_id', 'article_version', 'contractor_id', 'contractor_type_id', 'contractor_version'].map((n) => columnOf(header, n)) as [number, number, number, number, number];
      const rejected = new Rejections();
      const out: Array<{ article: string; version: number | null; contractor: string }> = [];
      for (const row of allRows(rows, at, report)) {
        const a = articleId(row[article]);
        if (a === null) rejected.add('no article id');
        else out.push({ article: a, version: version === -1 ? null : versionOf(row[version]), contractor: contractorKey(row, id, type, cv) });
      }
      return counted({ kind: 'mcd-article-contractors', report, rows: out }, out.length, rejected);
    },
  },
  {
    kind: 'mcd-contractors',
    columns: ['contractor_id', 'contractor_bus_name'],
    read(header, rows, at, report) {
      const [id, type, cv, name] = ['contractor_id', 'contractor_type_id', 'contractor_version', 'contractor_bus_name'].map((n) => columnOf(header, n)) as [number, number, number, number];
      const out = [...allRows(rows, at, report)].map((row) => ({ contractor: contractorKey(row, id, type, cv), name: clean(row[name]) }));
      return counted({ kind: 'mcd-contractors', report, rows: out }, out.length, new Rejections());
    },
  },
  {
    kind: 'mcd-contractor-states',
    columns: ['contractor_id', 'state_id'],
    read(header, rows, at, report) {
      const [id, type, cv, state, term] = ['contractor_id', 'contractor_type_id', 'contractor_version', 'state_id', 'term_date'].map((n) => columnOf(header, n)) as [number, number, number, number, number];
      const out = [...allRows(rows, at, report)].map((row) => ({ contractor: contractorKey(row, id, type, cv), stateId: clean(row[state]), ended: term !== -1 && clean(row[term]) !== '' }));
      return counted({ kind: 'mcd-contractor-states', report, rows: out }, out.length, new Rejections());
    },
  },
  {
    kind: 'mcd-states',
    columns: ['state_id', 'state_abbrev'],
    read(header, rows, at, report) {
      const [id, abbrev] = ['state_id', 'state_abbrev'].map((n) => columnOf(header, n)) as [number, number];
      const rejected = new Rejections();
      const out: Array<{ stateId: string; state: string }> = [];
      for (const row of allRows(rows, at, report)) {
        const state = stateOf(clean(row[abbrev]));
        if (state === null) rejected.add('not a two-letter state');
        else out.push({ stateId: clean(row[id]), state });
      }
      return counted({ kind: 'mcd-states', report, rows: out }, out.length, rejected);
    },
  },
];

/** The spec whose columns a header has (the first, most specific, that matches). */
function specOf(rows: string[][]): { spec: TableSpec; at: number } | null {
  for (const spec of TABLES) {
    const at = headerRow(rows, (c) => spec.columns.every((n) => c.includes(n)) && !(spec.without ?? []).some((n) => c.includes(n)));
    if (at !== -1) return { spec, at };
  }
  return null;
}

export const MCD_TABLES: CmsTable = {
  kinds: [...new Set(TABLES.map((t) => t.kind))],
  name: 'Medicare Coverage Database article tables',
  detect(rows) {
    return specOf(rows)?.at ?? -1;
  },
  parse(rows, at, _title, report) {
    const found = specOf(rows)!;
    report.kind = found.spec.kind;
    return found.spec.read(rows[at]!.map((c) => clean(c).toLowerCase()), rows, at, report);
  },
};
