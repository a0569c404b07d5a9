// `claim-audit codes --coverage`: for every code audited by default, which facts the pack has
// (billing unit, price by setting, NDCs, container, MUE by setting, self-administered drug lists
// by MAC, diagnosis articles by MAC, frequency), and how many codes have each: knowing what is
// not known.
import { coveredCodes, type Reference } from '../reference/index.js';
import { articlesListing, containerFor } from '../reference/pack.js';
import type { Code } from '../reference/schema.js';
import { count } from '../view/format.js';

export interface CodeCoverage {
  hcpcs: string;
  billingUnit: boolean;
  asp: boolean;
  opps: boolean;
  ndcs: number;
  /** label, jwjz-list or unknown. */
  container: 'label' | 'jwjz-list' | 'unknown';
  /** Settings with an MUE: practitioner, outpatient-hospital, dme. */
  mue: string[];
  /** Jurisdictions whose SAD list loaded lists the code (complete or partial). */
  sad: string[];
  /** Jurisdictions with a billing article listing the code. */
  articles: string[];
  /** The project's own diagnosis list (no article lists the code). */
  projectDiagnoses: boolean;
  frequency: boolean;
}

export function codeCoverage(reference: Reference, code: Code): CodeCoverage {
  const pack = reference.pack;
  const container = containerFor(code, null);
  const sadJurisdictions = (pack.sad[code.hcpcs] ?? []).filter((e) => e.route !== 'NOC').flatMap((e) => pack.sadLists[e.article]?.jurisdictions ?? []);
  const articleJurisdictions = articlesListing(pack, code.hcpcs).flatMap((a) => a.jurisdictions);
  const hasPackage = code.packages.some((p) => p.container !== 'unknown');
  return {
    hcpcs: code.hcpcs,
    billingUnit: code.billingUnit !== null || code.billingUnits.some((u) => u.amount !== null),
    asp: code.aspPrices.length > 0,
    opps: code.prices.some((p) => p.paymentPerUnit !== null),
    ndcs: Object.values(pack.ndcs).reduce((n, listings) => n + (listings.some((l) => l.hcpcs === code.hcpcs) ? 1 : 0), 0),
    container: container.basis === 'label' || hasPackage ? 'label' : container.basis === 'jwjz-list' ? 'jwjz-list' : 'unknown',
    mue: [...new Set(code.mue.map((m) => m.setting))].sort(),
    sad: [...new Set(sadJurisdictions)].sort(),
    articles: [...new Set(articleJurisdictions)].sort(),
    projectDiagnoses: code.coveredDiagnoses.length > 0,
    frequency: code.frequencyLimits.length > 0,
  };
}

/** Counts over the codes: how many have each fact. */
export function coverageSummary(rows: readonly CodeCoverage[]) {
  const n = (test: (r: CodeCoverage) => boolean) => rows.filter(test).length;
  return {
    codes: rows.length,
    billingUnit: n((r) => r.billingUnit),
    aspPrice: n((r) => r.asp),
    oppsRate: n((r) => r.opps),
    ndcs: n((r) => r.ndcs > 0),
    container: n((r) => r.container !== 'unknown'),
    containerByLabel: n((r) => r.container === 'label'),
    containerByJwJzList: n((r) => r.container === 'jwjz-list'),
    mue: n((r) => r.mue.length > 0),
    muePractitioner: n((r) => r.mue.includes('practitioner')),
    mueOutpatientHospital: n((r) => r.mue.includes('outpatient-hospital')),
    sad: n((r) => r.sad.length > 0),
    diagnosisArticle: n((r) => r.articles.length > 0),
    diagnosisAny: n((r) => r.articles.length > 0 || r.projectDiagnoses),
    frequency: n((r) => r.frequency),
  };
}

const yes = (b: boolean) => (b ? 'yes' : '—');
const list = (items: readonly string[]) => (items.length === 0 ? '—' : items.join(' '));
const SETTING_SHORT: Record<string, string> = { practitioner: 'P', 'outpatient-hospital': 'O', dme: 'D' };

/** The table and the summary, as the CLI prints them. */
export function coverageReport(reference: Reference, table: (rows: string[][]) => string): string {
  const pack = reference.pack;
  const codes = [...coveredCodes(pack)].filter((c) => pack.codes[c]).sort();
  const rows = codes.map((c) => codeCoverage(reference, pack.codes[c]!));
  const body = rows.map((r) => [
    r.hcpcs,
    yes(r.billingUnit),
    `${r.asp ? 'ASP' : '—'}/${r.opps ? 'OPPS' : '—'}`,
    r.ndcs > 0 ? count(r.ndcs) : '—',
    r.container === 'jwjz-list' ? 'single (JW/JZ list)' : r.container === 'label' ? 'label' : '—',
    r.mue.length === 0 ? '—' : r.mue.map((s) => SETTING_SHORT[s]).join(''),
    list(r.sad),
    r.articles.length > 0 ? list(r.articles) : r.projectDiagnoses ? 'project list' : '—',
    yes(r.frequency),
  ]);
  const s = coverageSummary(rows);
  const sadLists = Object.values(pack.sadLists);
  const partial = sadLists.filter((l) => !l.complete).length;
  const pct = (n: number) => `${count(n)} (${s.codes === 0 ? 0 : Math.round((100 * n) / s.codes)}%)`;
  return `${table([['code', 'unit', 'price', 'NDCs', 'container', 'MUE', 'SAD list (MACs)', 'diagnoses (MACs with an article)', 'frequency'], ...body])}

${count(s.codes)} codes audited with --codes covered (pack ${pack.version}, sha256 ${reference.hash.slice(0, 12)}):
  billing unit ${pct(s.billingUnit)} · ASP payment limit ${pct(s.aspPrice)} · OPPS rate ${pct(s.oppsRate)} · NDCs in a CMS crosswalk ${pct(s.ndcs)}
  container ${pct(s.container)}: ${count(s.containerByJwJzList)} single-dose by CMS's JW/JZ list, ${count(s.containerByLabel)} by a label fact
  MUE ${pct(s.mue)}: practitioner ${count(s.muePractitioner)}, outpatient hospital ${count(s.mueOutpatientHospital)}
  self-administered drug list entry ${pct(s.sad)} (${count(sadLists.length)} MAC lists loaded${partial > 0 ? `, ${count(partial)} of them partial: a code they do not list is not checked` : ''})
  diagnosis coverage ${pct(s.diagnosisAny)}: by a MAC billing article ${count(s.diagnosisArticle)} (${count(Object.keys(pack.articles).length)} articles), by the project's list ${count(s.diagnosisAny - s.diagnosisArticle)}
  frequency limit ${pct(s.frequency)}
MUE: P practitioner, O outpatient hospital, D DME supplier. A code a MAC's article does not list is not checked for diagnoses in that MAC's states.
`;
}
