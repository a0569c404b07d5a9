// The types of the CMS files read (reference/cms-files.ts and the descriptors in reference/cms/):
// each kind's rows, and the report every file gets. Kept apart, so that the reader and the
// descriptors share them without importing each other.

export type CmsFileKind = 'asp-pricing' | 'asp-crosswalk' | 'opps-addendum-b' | 'opps-addendum-b-history' | 'hcpcs' | 'mue' | 'jwjz-list' | 'mac-jurisdictions' | 'sad-list' | McdTableKind | 'unknown';

import type { Mue } from '../schema.js';

/** What the pack builder gathers from the files, kind by kind (each descriptor's gather), before it builds the codes. */
export interface PackInputs {
  hcpcs: Map<string, HcpcsRecord>;
  modifiers: HcpcsRecord[];
  /** code → quarter → ASP row (one ASP file a quarter; a later-read duplicate quarter is reported). */
  asp: Map<string, Map<string, AspPricingRow>>;
  aspQuarters: string[];
  /** code → Addendum B rows, every version. */
  addendum: Map<string, AddendumRow[]>;
  /** Versions of the history extract (its labels), put in order after the gathering. */
  historyLabels: Set<string>;
  historyVersions: string[];
  /** The MUE tables taken: setting|date. */
  mueTables: Set<string>;
  /** code → quarter → crosswalk rows. */
  crosswalk: Map<string, Map<string, CrosswalkRow[]>>;
  crosswalkQuarters: string[];
  /** code → its MUE in each table given (setting and effective date). */
  mue: Map<string, Mue[]>;
  /** The newest JW/JZ list given: its date, source and codes. */
  jwjz: { date: string | null; source: string; codes: Set<string> } | null;
  /** The quarters the whole Addendum B files given cover, in order; and the history extract's (its target codes only). */
  addendumQuarters: string[];
  historyQuarters: string[];
}

/** Why the pack builder left a recognised file out: no quarter to place it in, a second file of one quarter or setting, an older list. */
export type NotUsedReason = 'no-quarter' | 'same-quarter' | 'same-date' | 'older-list';

/** How a file's quarter was known: its title, a column of its rows, or its rates (inferred). */
export type QuarterBasis = 'title' | 'column' | 'inferred';

export interface FileReport {
  file: string;
  sha256: string;
  kind: CmsFileKind;
  /** 2026Q1; null when the file is not of one quarter (the HCPCS file, the history extract) or it could not be placed. */
  quarter: string | null;
  quarterBasis: QuarterBasis | null;
  /** The date a file of no quarter is of: a list's update, a table's effective date (YYYY-MM-DD), when it says. */
  date?: string | null;
  /** How the quarter was inferred, or why the file was not used: words for the user. */
  note: string | null;
  /** An unknown file that has the header of this kind but could not be read as one (its note says why). */
  lookedLike?: CmsFileKind;
  /** Why the builder did not use the file (its note says it in words); absent: used, if it has rows. */
  notUsed?: NotUsedReason;
  rowsRead: number;
  rowsUsed: number;
  rowsRejected: number;
  /** Why rows were rejected: reason → count. */
  rejected: Record<string, number>;
}

export interface AspPricingRow {
  hcpcs: string;
  shortDescription: string;
  /** "HCPCS Code Dosage": the billing unit that quarter, as written (1 MG, 500 MG, PER DOSE). */
  dosage: string;
  /** Payment limit per billing unit (ASP + 6%), USD; null where the file says N/A (priced otherwise, e.g. AWP). */
  paymentLimit: number | null;
}

export interface CrosswalkRow {
  hcpcs: string;
  /** 11 digits. */
  ndc: string;
  labeler: string;
  drugName: string;
  dosage: string;
  /** PKG SIZE: the amount in one item (mL in a vial, for most). */
  packageSize: number | null;
  /** PKG QTY: items in the package. */
  packageQuantity: number | null;
  /** BILLUNITS: billing units in one item. */
  billingUnitsPerItem: number | null;
  /** BILLUNITSPKG: billing units in the whole package. */
  billingUnitsPerPackage: number | null;
}

export interface AddendumRow {
  hcpcs: string;
  shortDescriptor: string;
  statusIndicator: string;
  /** Per billing unit, USD; null when the status has no rate. */
  paymentPerUnit: number | null;
  /** The version's label (2026-04, 2025-07-01, 2024Q1 …) and its quarter. */
  label: string;
  quarter: string;
  /** The pack source it is cited as: cms-opps-addb-<quarter>, or opps-addb-history for the extract of versions. */
  source: string;
}

export interface HcpcsRecord {
  code: string;
  long: string;
  short: string;
  added: string | null;
  actionEffective: string | null;
  terminated: string | null;
  /** 3 a code, 7 a modifier. */
  recid: string;
}

export interface MueRow {
  hcpcs: string;
  value: number;
  mai: 1 | 2 | 3;
  rationale: string;
}

export type CmsFile =
  | { kind: 'asp-pricing'; report: FileReport; rows: AspPricingRow[] }
  | { kind: 'asp-crosswalk'; report: FileReport; rows: CrosswalkRow[] }
  | { kind: 'opps-addendum-b'; report: FileReport; rows: AddendumRow[] }
  | { kind: 'opps-addendum-b-history'; report: FileReport; rows: AddendumRow[] }
  | { kind: 'hcpcs'; report: FileReport; records: HcpcsRecord[] }
  | { kind: 'mue'; report: FileReport; setting: 'practitioner' | 'outpatient-hospital' | 'dme'; rows: MueRow[] }
  | JwJzFile
  | MacFile
  | SadFile
  | McdFile
  | { kind: 'unknown'; report: FileReport };

export interface JwJzFile {
  kind: 'jwjz-list';
  report: FileReport;
  /** The list's date (its title's), or null when it names none. */
  listDate: string | null;
  codes: string[];
}

export interface MacRow {
  /** J5, JK, … */
  jurisdiction: string;
  contractor: string;
  /** Two-letter codes. */
  states: string[];
  /** The contractor's self-administered drug exclusion article (A52800), when the file names it. */
  sadArticle: string | null;
}

export interface MacFile {
  kind: 'mac-jurisdictions';
  report: FileReport;
  rows: MacRow[];
}

export interface SadRow {
  /** A52800 */
  article: string;
  /** The MAC's short name as the list gives it (WPS, NORIDIAN_JE…). */
  macId: string;
  macName: string;
  hcpcs: string;
  description: string;
  brand: string;
  /** IV_OR_SC (intravenous use covered, subcutaneous excluded), SC, NOC (a not-otherwise-classified code for a named drug), or as written. */
  route: string;
  effective: string | null;
}

export interface SadFile {
  kind: 'sad-list';
  report: FileReport;
  rows: SadRow[];
}

export type McdTableKind = 'mcd-articles' | 'mcd-hcpcs' | 'mcd-icd10' | 'mcd-paragraphs' | 'mcd-article-contractors' | 'mcd-contractors' | 'mcd-contractor-states' | 'mcd-states';

export interface McdArticleRow {
  /** A52399 */
  article: string;
  version: number | null;
  title: string;
  /** The flattened layout's contractors and states (the MCD's own export gives them in other tables). */
  contractors: string[] | null;
  states: string[] | null;
  effective: string | null;
}

export interface McdCodeRow {
  article: string;
  version: number | null;
  group: number;
  code: string;
}

export interface McdParagraphRow {
  article: string;
  version: number | null;
  section: 'codes' | 'covered' | 'noncovered';
  group: number;
  text: string;
}

export type McdFile =
  | { kind: 'mcd-articles'; report: FileReport; rows: McdArticleRow[] }
  | { kind: 'mcd-hcpcs'; report: FileReport; rows: McdCodeRow[] }
  /** covered: true (covered list), false (non-covered), null (the flattened layout: decided at build). */
  | { kind: 'mcd-icd10'; report: FileReport; covered: boolean | null; rows: McdCodeRow[] }
  | { kind: 'mcd-paragraphs'; report: FileReport; rows: McdParagraphRow[] }
  | { kind: 'mcd-article-contractors'; report: FileReport; rows: Array<{ article: string; version: number | null; contractor: string }> }
  | { kind: 'mcd-contractors'; report: FileReport; rows: Array<{ contractor: string; name: string }> }
  | { kind: 'mcd-contractor-states'; report: FileReport; rows: Array<{ contractor: string; stateId: string; ended: boolean }> }
  | { kind: 'mcd-states'; report: FileReport; rows: Array<{ stateId: string; state: string }> };

