// The coverage facts of the pack, put together from the files read: the A/B MAC jurisdictions,
// the MCD billing-and-coding articles (newest version of each, with the jurisdictions it binds
// and how its diagnoses pair with its drugs) and the MACs' self-administered drug lists (from a
// SAD list file, or from the MCD export's SAD exclusion articles). Deterministic: the same files
// in any order give the same records.
import type { CmsFile, MacRow, McdArticleRow, McdCodeRow, McdFile, McdParagraphRow, SadRow } from './cms/types.js';
import { pairArticle } from './cms/pairing.js';
import type { Article, MacJurisdiction, SadEntry, SadList, Source } from './schema.js';
import { compareText } from '../model/order.js';

export const MAC_SOURCE = 'cms-ab-mac-jurisdictions';
export const MCD_SOURCE = 'cms-mcd-articles';

/** A SAD list with fewer codes than this is taken as a partial slice: the MACs' lists hold some 150 to 250 drugs. */
export const SAD_COMPLETE_AT = 100;

/**
 * A contractor's name, compared: lower case, punctuation and company suffixes out, and the names
 * a contractor has had taken as one (National Government Services is Wellpoint Federal since
 * 2025; WPS is Wisconsin Physicians Service).
 */
export function contractorKey(name: string): string {
  const words = name
    .toLowerCase()
    .replace(/[^a-z0-9 ]/g, ' ')
    .split(/\s+/)
    .filter((w) => w !== '' && !['inc', 'llc', 'corporation', 'corp', 'co', 'company', 'ltd', 'the', 'of'].includes(w))
    .join(' ');
  const aliases: Record<string, string> = {
    'wellpoint federal': 'national government services',
    'wisconsin physicians service insurance': 'wps insurance',
    'wisconsin physicians service': 'wps insurance',
    wps: 'wps insurance',
    ngs: 'national government services',
    'cgs administrators': 'cgs administrators',
    cgs: 'cgs administrators',
    fcso: 'first coast service options',
    'noridian healthcare solutions': 'noridian healthcare solutions',
  };
  return aliases[words] ?? words;
}

export interface CoverageInputs {
  macs: MacJurisdiction[];
  articles: Record<string, Article>;
  sadLists: Record<string, SadList>;
  sad: Record<string, SadEntry[]>;
  sources: Source[];
  /** Codes on the SAD lists (drug lines under --codes covered). */
  sadCodes: Set<string>;
}

/** The jurisdictions an article binds: its contractor's, among the states it lists. */
export function jurisdictionsOf(contractor: string, states: readonly string[], macs: readonly MacJurisdiction[]): string[] {
  const key = contractorKey(contractor);
  return macs.filter((m) => contractorKey(m.contractor) === key && m.states.some((s) => states.includes(s))).map((m) => m.jurisdiction).sort(compareText);
}

/** The MAC table: the first file read (another is noted as not used). */
function macTable(files: CmsFile[]): MacJurisdiction[] {
  const tables = files.filter((f): f is Extract<CmsFile, { kind: 'mac-jurisdictions' }> => f.kind === 'mac-jurisdictions');
  for (const extra of tables.slice(1)) extra.report.note = 'a second MAC jurisdictions table: not used (the first one read is)';
  const rows: MacRow[] = tables[0]?.rows ?? [];
  return rows.map((r) => ({ jurisdiction: r.jurisdiction, contractor: r.contractor, states: [...r.states].sort(compareText), sadArticle: r.sadArticle, source: MAC_SOURCE })).sort((a, b) => compareText(a.jurisdiction, b.jurisdiction));
}

type Of<K extends McdFile['kind']> = Extract<McdFile, { kind: K }>;

/** The articles' identity (newest version of each), with contractors and states from either layout. */
function articleHeads(files: CmsFile[]): Map<string, { version: number | null; title: string; contractors: string[]; states: string[]; effective: string | null }> {
  const of = <K extends McdFile['kind']>(kind: K) => files.filter((f) => f.kind === kind) as unknown as Array<Of<K>>;
  const heads = new Map<string, McdArticleRow>();
  for (const row of of('mcd-articles').flatMap((f) => f.rows)) {
    const known = heads.get(row.article);
    if (!known || (row.version ?? 0) > (known.version ?? 0) || ((row.version ?? 0) === (known.version ?? 0) && row.contractors !== null && known.contractors === null)) heads.set(row.article, row);
  }
  // The MCD's own export: contractors and their states by key.
  const names = new Map(of('mcd-contractors').flatMap((f) => f.rows).map((r) => [r.contractor, r.name]));
  const stateNames = new Map(of('mcd-states').flatMap((f) => f.rows).map((r) => [r.stateId, r.state]));
  const contractorStates = new Map<string, Set<string>>();
  for (const r of of('mcd-contractor-states').flatMap((f) => f.rows)) {
    const state = stateNames.get(r.stateId);
    if (r.ended || !state) continue;
    const set = contractorStates.get(r.contractor) ?? new Set<string>();
    set.add(state);
    contractorStates.set(r.contractor, set);
  }
  const linked = new Map<string, Set<string>>();
  for (const r of of('mcd-article-contractors').flatMap((f) => f.rows)) {
    const head = heads.get(r.article);
    if (!head || (r.version !== null && head.version !== null && r.version !== head.version)) continue;
    const set = linked.get(r.article) ?? new Set<string>();
    set.add(r.contractor);
    linked.set(r.article, set);
  }
  const out = new Map<string, { version: number | null; title: string; contractors: string[]; states: string[]; effective: string | null }>();
  for (const [id, head] of heads) {
    const keys = [...(linked.get(id) ?? [])];
    const contractors = head.contractors ?? [...new Set(keys.map((k) => names.get(k)).filter((n): n is string => n !== undefined))].sort(compareText);
    const states = head.states ?? [...new Set(keys.flatMap((k) => [...(contractorStates.get(k) ?? [])]))].sort(compareText);
    out.set(id, { version: head.version, title: head.title, contractors, states, effective: head.effective });
  }
  return out;
}

/**
 * The ICD-10 tables of the flattened layout have one header for the covered and the non-covered
 * lists: the one that lists codes for more articles is the covered list (articles list far more
 * covered than non-covered diagnoses); a lone one is the covered list. Said in each file's note.
 */
function decideIcdTables(tables: Array<Of<'mcd-icd10'>>): void {
  const undecided = tables.filter((t) => t.covered === null);
  const articles = (t: Of<'mcd-icd10'>) => new Set(t.rows.map((r) => r.article)).size;
  const ranked = [...undecided].sort((a, b) => articles(b) - articles(a) || b.rows.length - a.rows.length || compareText(a.report.sha256, b.report.sha256));
  ranked.forEach((t, i) => {
    t.covered = i === 0;
    t.report.note = i === 0
      ? `ICD-10-CM codes by article and group, taken as the covered list${ranked.length > 1 ? ` (codes for ${articles(t)} articles, more than the other table of this header)` : ''}`
      : `ICD-10-CM codes by article and group, taken as the non-covered list (codes for ${articles(t)} articles, fewer than the covered list's ${articles(ranked[0]!)})`;
  });
}

/** The jurisdictions a SAD list binds: those the MAC table names it for, else its contractor's. */
export function sadJurisdictions(article: string, mac: string, macs: readonly MacJurisdiction[]): string[] {
  const named = macs.filter((m) => m.sadArticle === article).map((m) => m.jurisdiction);
  return (named.length > 0 ? named : jurisdictionsOf(mac, macs.flatMap((m) => m.states), macs)).sort(compareText);
}

export function buildCoverage(files: CmsFile[]): CoverageInputs {
  const macs = macTable(files);
  const heads = articleHeads(files);
  const rowsOf = <K extends 'mcd-hcpcs' | 'mcd-icd10' | 'mcd-paragraphs'>(kind: K) => files.filter((f) => f.kind === kind) as unknown as Array<Of<K>>;
  decideIcdTables(rowsOf('mcd-icd10'));
  const current = (r: { article: string; version: number | null }) => {
    const head = heads.get(r.article);
    return head !== undefined && (r.version === null || head.version === null || r.version === head.version);
  };
  const byArticle = <T extends { article: string; version: number | null }>(rows: T[]) => {
    const map = new Map<string, T[]>();
    for (const r of rows) if (current(r)) map.set(r.article, [...(map.get(r.article) ?? []), r]);
    return map;
  };
  const hcpcs = byArticle<McdCodeRow>(rowsOf('mcd-hcpcs').flatMap((f) => f.rows));
  const covered = byArticle<McdCodeRow>(rowsOf('mcd-icd10').filter((f) => f.covered).flatMap((f) => f.rows));
  const noncovered = byArticle<McdCodeRow>(rowsOf('mcd-icd10').filter((f) => f.covered === false).flatMap((f) => f.rows));
  const paragraphs = byArticle<McdParagraphRow>(rowsOf('mcd-paragraphs').flatMap((f) => f.rows));

  const grouped = (rows: McdCodeRow[] | undefined) => {
    const map = new Map<number, string[]>();
    for (const r of rows ?? []) map.set(r.group, [...new Set([...(map.get(r.group) ?? []), r.code])].sort(compareText));
    return map;
  };
  const record = (map: Map<number, string[]>) => Object.fromEntries([...map].sort(([a], [b]) => a - b).map(([g, codes]) => [String(g), codes]));

  const articles: Record<string, Article> = {};
  const sadRows: SadRow[] = [];
  for (const id of [...heads.keys()].sort(compareText)) {
    const head = heads.get(id)!;
    const codes = grouped(hcpcs.get(id));
    const contractor = head.contractors.join('; ');
    if (/self-administered drug/i.test(head.title)) {
      // The MCD export's SAD exclusion lists: every drug the article lists is excluded (the route is not in the tables).
      for (const code of [...new Set([...codes.values()].flat())].sort(compareText)) sadRows.push({ article: id, macId: contractor, macName: contractor, hcpcs: code, description: '', brand: '', route: '', effective: head.effective });
      continue;
    }
    if (codes.size === 0) continue;
    const coveredGroups = grouped(covered.get(id));
    const text = (section: McdParagraphRow['section']) => new Map((paragraphs.get(id) ?? []).filter((p) => p.section === section).map((p) => [p.group, p.text]));
    const pairing = pairArticle(codes, [...coveredGroups.keys()], { codes: text('codes'), covered: text('covered') });
    articles[id] = {
      id,
      version: head.version,
      title: head.title,
      contractor,
      states: head.states,
      jurisdictions: [...new Set(head.contractors.flatMap((c) => jurisdictionsOf(c, head.states, macs)))].sort(compareText),
      effective: head.effective,
      covered: record(coveredGroups),
      noncovered: record(grouped(noncovered.get(id))),
      ...pairing,
      source: MCD_SOURCE,
    };
  }

  // SAD lists: the SAD list files' rows and the MCD's SAD articles.
  for (const f of files) if (f.kind === 'sad-list') sadRows.push(...f.rows);
  const sadLists: Record<string, SadList> = {};
  const sad: Record<string, SadEntry[]> = {};
  const byList = new Map<string, SadRow[]>();
  for (const r of sadRows) byList.set(r.article, [...(byList.get(r.article) ?? []), r]);
  for (const [article, rows] of [...byList].sort(([a], [b]) => compareText(a, b))) {
    const mac = rows.find((r) => r.macName !== '')?.macName ?? rows[0]!.macId;
    const codes = new Set(rows.map((r) => r.hcpcs));
    const fromMcd = heads.has(article) && /self-administered drug/i.test(heads.get(article)!.title);
    sadLists[article] = {
      article,
      mac,
      jurisdictions: sadJurisdictions(article, mac, macs),
      effective: rows.map((r) => r.effective).filter((d): d is string => d !== null).sort().at(-1) ?? null,
      complete: fromMcd || codes.size >= SAD_COMPLETE_AT,
      codes: codes.size,
      source: `cms-sad-${article}`,
    };
    const seen = new Set<string>();
    for (const r of [...rows].sort((a, b) => compareText(a.hcpcs, b.hcpcs) || compareText(a.route, b.route) || compareText(a.brand, b.brand))) {
      const key = `${r.hcpcs}|${r.route}`;
      if (seen.has(key)) continue;
      seen.add(key);
      (sad[r.hcpcs] ??= []).push({ article, route: r.route, description: r.brand || r.description });
    }
  }
  const sortedSad = Object.fromEntries(Object.entries(sad).sort(([a], [b]) => compareText(a, b)));

  const sources: Source[] = [];
  if (macs.length > 0) sources.push({ id: MAC_SOURCE, title: 'CMS A/B Medicare Administrative Contractor jurisdictions (states each A/B MAC serves)', url: 'https://www.cms.gov/medicare/coding-billing/medicare-administrative-contractors-macs/who-are-macs' });
  if (Object.keys(articles).length > 0) sources.push({ id: MCD_SOURCE, title: 'CMS Medicare Coverage Database: local billing and coding articles (covered ICD-10-CM codes by HCPCS code)', url: 'https://www.cms.gov/medicare-coverage-database/downloads/downloads.aspx' });
  for (const list of Object.values(sadLists)) {
    sources.push({ id: list.source, title: `${list.mac}: Self-Administered Drug Exclusion List, article ${list.article}${list.complete ? '' : ' (a partial slice)'}`, url: `https://www.cms.gov/medicare-coverage-database/view/article.aspx?articleid=${list.article.slice(1)}` });
  }
  return { macs, articles, sadLists, sad: sortedSad, sources, sadCodes: new Set(Object.keys(sortedSad)) };
}
