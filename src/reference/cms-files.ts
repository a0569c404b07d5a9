// CMS reference files as CMS publishes them, each recognised by its title lines and header row,
// never by its file name: the ASP pricing file, the ASP NDC–HCPCS crosswalk, OPPS Addendum B
// (CMS's web CSV, the Level II extracts, and the project's history extract), the HCPCS Level II
// file (ANWEB) and the MUE tables. Each reading says what the file is, its quarter and how that
// was known, and how many rows were used and why the others were not.
import { createHash } from 'node:crypto';
import { FileReadError, readBoundedFile } from '../model/files.js';
import { parse } from 'csv-parse/sync';
import { normaliseNdc } from '../model/ndc.js';
import { quarterOf } from './quarters.js';
import { JWJZ_LIST } from './cms/jwjz.js';
import { MAC_JURISDICTIONS } from './cms/mac.js';
import { SAD_LIST } from './cms/sad.js';
import { MCD_TABLES } from './cms/mcd.js';
import type { AddendumRow, AspPricingRow, CmsFile, CmsFileKind, CrosswalkRow, FileReport, HcpcsRecord, MueRow } from './cms/types.js';

export type * from './cms/types.js';
import { clean, dataRows, dateIn, headerRow, number, Rejections, type CmsTable } from './cms/table.js';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** "Effective January 1, 2026 through March 31, 2026" → 2026Q1 (the first quarter named). */
export function quarterFromTitle(title: string): string | null {
  const effective = /effective\s+(january|february|march|april|may|june|july|august|september|october|november|december)\s+\d{1,2},?\s+(\d{4})/i.exec(title);
  if (effective) return quarterOf(`${effective[2]}-${String(MONTHS.indexOf(effective[1]!.toLowerCase()) + 1).padStart(2, '0')}-01`);
  // Addendum B's web CSV: "… for January 2026" (a release month).
  const month = /\b(january|april|july|october)\s+(\d{4})\b/i.exec(title);
  if (month) return quarterOf(`${month[2]}-${String(MONTHS.indexOf(month[1]!.toLowerCase()) + 1).padStart(2, '0')}-01`);
  return null;
}

/** UTF-8 when it is valid, else Windows-1252 (CMS's CSVs are). */
function decode(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** CMS lists devices and biologics by other identifiers in NDC2: said plainly. */
const NDC_REJECTED: Record<string, string> = {
  'non-digits': 'NDC2 holds a product number, not an NDC',
  'wrong-length': 'NDC2 is not an 11-digit NDC (a UPC, a GTIN or a short number)',
  'ambiguous-10-digit': 'NDC2 has 10 digits without dashes (ambiguous)',
  empty: 'no NDC2',
  'all-zeros': 'NDC2 is all zeros',
};

/** CCYYMMDD → YYYY-MM-DD (null for empty or malformed). */
function ymd(value: string | undefined): string | null {
  const text = clean(value);
  return /^\d{8}$/.test(text) ? `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}` : null;
}

function report(file: string, sha256: string, kind: CmsFileKind, fields: Partial<FileReport> = {}): FileReport {
  return { file, sha256, kind, quarter: null, quarterBasis: null, note: null, rowsRead: 0, rowsUsed: 0, rowsRejected: 0, rejected: {}, ...fields };
}

/** The kinds read by a descriptor of their own (reference/cms/), tried after the ones above, most specific first. */
const TABLES: readonly CmsTable[] = [MCD_TABLES, SAD_LIST, MAC_JURISDICTIONS, JWJZ_LIST];
/** Every kind, as the note of a file none recognises names them. */
const KNOWN = ['ASP pricing', 'ASP crosswalk', 'OPPS Addendum B', 'HCPCS', 'MUE', ...TABLES.map((t) => t.name)];

/** Reads one file and says what it is. Never throws for content: an unknown file says why. */
export function readCmsFile(path: string, display = path): CmsFile {
  let bytes: Buffer;
  try {
    // A regular file of at most CONFIG_MAX_BYTES (the crosswalks are a few MB): a FIFO or a device is not read.
    bytes = readBoundedFile(path, 'reference file');
  } catch (error) {
    if (!(error instanceof FileReadError)) throw error;
    return { kind: 'unknown', report: report(display, '', 'unknown', { note: `not read: ${error.message.slice(`reference file ${path}: `.length)}` }) };
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let rows: string[][];
  try {
    rows = parse(decode(bytes), { relax_column_count: true, relax_quotes: true, bom: true, skip_empty_lines: false }) as string[][];
  } catch (error) {
    return { kind: 'unknown', report: report(display, sha256, 'unknown', { note: `not a CSV file (${(error as Error).message.split('\n')[0]})` }) };
  }
  const title = rows
    .slice(0, 12)
    .map((r) => r.map(clean).filter((c) => c !== '').join(' '))
    .join(' ');

  // ASP pricing file: "HCPCS Code, Short Description, HCPCS Code Dosage, Payment Limit, …".
  let at = headerRow(rows, (c) => c.includes('hcpcs code') && c.includes('hcpcs code dosage') && c.includes('payment limit'));
  if (at !== -1) return aspPricing(rows, at, title, report(display, sha256, 'asp-pricing'));
  // ASP NDC–HCPCS crosswalk: "_2026_CODE, Short Description, LABELER NAME, NDC2, …".
  at = headerRow(rows, (c) => c.some((x) => /^_\d{4}_code$/.test(x)) && c.includes('ndc2'));
  if (at !== -1) return aspCrosswalk(rows, at, title, report(display, sha256, 'asp-crosswalk'));
  // OPPS Addendum B: "HCPCS Code, Short Descriptor, SI, APC, …, Payment Rate".
  at = headerRow(rows, (c) => c.includes('hcpcs code') && c.includes('si') && c.includes('payment rate'));
  if (at !== -1) return addendumB(rows, at, title, report(display, sha256, 'opps-addendum-b'));
  // Addendum B as the softek/CMS.HCPCS extract: HCPCSCode, ShortDescriptor, StatusIndicator, PaymentRate, …, Source.
  at = headerRow(rows, (c) => c[0] === 'hcpcscode' && c.includes('statusindicator') && c.includes('paymentrate'));
  if (at !== -1) return addendumExtract(rows, at, report(display, sha256, 'opps-addendum-b'));
  // The project's extract of 26 Addendum B versions for the covered codes.
  at = headerRow(rows, (c) => c[0] === 'hcpcs' && c[1] === 'addendum_b_quarter');
  if (at !== -1) return addendumHistory(rows, at, report(display, sha256, 'opps-addendum-b-history'));
  // HCPCS Level II file (ANWEB): HCPC, SEQNUM, RECID, LONG DESCRIPTION, …
  at = headerRow(rows, (c) => c[0] === 'hcpc' && c.includes('recid') && c.includes('long description'));
  if (at !== -1) return hcpcsFile(rows, at, report(display, sha256, 'hcpcs'));
  // MUE tables: "HCPCS/CPT Code, Practitioner Services MUE Values, MUE Adjudication Indicator, MUE Rationale".
  at = headerRow(rows, (c) => c.some((x) => /^(hcpcs\/cpt|hcpcs|cpt)( code)?$/.test(x)) && c.some((x) => /^[a-z ]*mue values?$/.test(x)));
  if (at !== -1) return mueTable(rows, at, title, report(display, sha256, 'mue'));
  for (const table of TABLES) {
    at = table.detect(rows, title);
    if (at !== -1) return table.parse(rows, at, title, report(display, sha256, table.kinds[0] as CmsFileKind));
  }
  const first = rows.find((r) => r.some((c) => clean(c) !== ''))?.map(clean).filter((c) => c !== '').slice(0, 4).join(', ') ?? '';
  return { kind: 'unknown', report: report(display, sha256, 'unknown', { note: `no header of a CMS file this builder knows (${KNOWN.join(', ')}) in its first 40 rows${first ? `; it starts "${first.slice(0, 80)}"` : ''}` }) };
}

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

function addendumB(rows: string[][], at: number, title: string, rep: FileReport): CmsFile {
  const header = rows[at]!.map((c) => clean(c).toLowerCase());
  const [code, short, si, rate] = ['hcpcs code', 'short descriptor', 'si', 'payment rate'].map((n) => header.indexOf(n)) as [number, number, number, number];
  const rejected = new Rejections();
  const out: AddendumRow[] = [];
  for (const { row, hcpcs } of dataRows(rows, at, code, rep, rejected)) {
    if (clean(row[si]) === '') rejected.add('no status indicator');
    else out.push({ hcpcs, shortDescriptor: clean(row[short]), statusIndicator: clean(row[si]), paymentPerUnit: number(row[rate]), label: '', quarter: '', source: '' });
  }
  return finish({ kind: 'opps-addendum-b', report: rep, rows: out }, rejected, title);
}

function addendumExtract(rows: string[][], at: number, rep: FileReport): CmsFile {
  const header = rows[at]!.map((c) => clean(c).toLowerCase());
  const [short, si, rate, source] = ['shortdescriptor', 'statusindicator', 'paymentrate', 'source'].map((n) => header.indexOf(n)) as [number, number, number, number];
  const rejected = new Rejections();
  const out: AddendumRow[] = [];
  const labels = new Set<string>();
  for (const { row, hcpcs } of dataRows(rows, at, 0, rep, rejected)) {
    const label = source === -1 ? '' : clean(row[source]);
    if (!/^\d{4}-\d{2}$/.test(label)) rejected.add('no YYYY-MM release in its Source column');
    else {
      labels.add(label);
      out.push({ hcpcs, shortDescriptor: clean(row[short]), statusIndicator: clean(row[si]), paymentPerUnit: number(row[rate]), label, quarter: quarterOf(`${label}-01`), source: `cms-opps-addb-${quarterOf(`${label}-01`)}` });
    }
  }
  // One release a file: its Source column names it.
  const quarters = new Set(out.map((r) => r.quarter));
  if (quarters.size === 1) {
    rep.quarter = [...quarters][0]!;
    rep.quarterBasis = 'column';
  }
  rep.note = labels.size > 0 ? `release ${[...labels].sort().join(', ')} (its Source column)` : null;
  return finish({ kind: 'opps-addendum-b', report: rep, rows: out }, rejected, '');
}

function addendumHistory(rows: string[][], at: number, rep: FileReport): CmsFile {
  const rejected = new Rejections();
  const out: AddendumRow[] = [];
  for (const { row, hcpcs } of dataRows(rows, at, 0, rep, rejected)) {
    const label = clean(row[1]);
    const [year, month = '01', day = '01'] = label.split('-');
    if (!/^\d{4}$/.test(year ?? '')) rejected.add('no Addendum B version');
    else out.push({ hcpcs, shortDescriptor: clean(row[2]), statusIndicator: clean(row[3]), paymentPerUnit: number(row[4]), label, quarter: quarterOf(`${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`), source: 'opps-addb-history' });
  }
  rep.note = 'versions by row (addendum_b_quarter)';
  return finish({ kind: 'opps-addendum-b-history', report: rep, rows: out }, rejected, '');
}

function hcpcsFile(rows: string[][], at: number, rep: FileReport): CmsFile {
  const header = rows[at]!.map((c) => clean(c).toUpperCase());
  const [hcpc, recid, long, short, add, act, term] = ['HCPC', 'RECID', 'LONG DESCRIPTION', 'SHORT DESCRIPTION', 'ADD DT', 'ACT EFF DT', 'TERM DT'].map((n) => header.indexOf(n)) as number[];
  const rejected = new Rejections();
  const records: HcpcsRecord[] = [];
  let last = null as HcpcsRecord | null;
  for (const row of rows.slice(at + 1)) {
    const code = clean(row[hcpc!]);
    if (code === '') continue;
    rep.rowsRead++;
    const kind = clean(row[recid!]);
    if ((kind === '4' || kind === '8') && last?.code === code) {
      last.long = `${last.long} ${clean(row[long!])}`.trim();
      continue;
    }
    if (kind !== '3' && kind !== '7') {
      rejected.add(`record type ${kind || '(empty)'} (only 3 codes, 7 modifiers and their continuations are read)`);
      continue;
    }
    last = { code, recid: kind, long: clean(row[long!]), short: clean(row[short!]), added: ymd(row[add!]), actionEffective: ymd(row[act!]), terminated: ymd(row[term!]) };
    records.push(last);
  }
  rep.rowsUsed = rep.rowsRead - rejected.count;
  rep.rowsRejected = rejected.count;
  rep.rejected = rejected.counts;
  return { kind: 'hcpcs', report: rep, records };
}

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

/** Counts, and the quarter from the title when the file has one. */
function finish<F extends Extract<CmsFile, { kind: 'asp-pricing' | 'asp-crosswalk' | 'opps-addendum-b' | 'opps-addendum-b-history' | 'mue' }>>(file: F, rejected: Rejections, title: string): F {
  const rep = file.report;
  rep.rowsUsed = file.rows.length;
  rep.rowsRejected = rejected.count;
  rep.rejected = rejected.counts;
  if (rep.quarter === null && title !== '') {
    const quarter = quarterFromTitle(title);
    if (quarter) {
      rep.quarter = quarter;
      rep.quarterBasis = 'title';
    }
  }
  if (file.kind === 'opps-addendum-b' && rep.quarter !== null) {
    for (const row of file.rows) {
      row.quarter ||= rep.quarter;
      row.label ||= rep.quarter;
      row.source ||= `cms-opps-addb-${rep.quarter}`;
    }
  }
  return file;
}

/**
 * An Addendum B without a stated quarter (the Level II extracts): OPPS pays separately payable
 * drugs (status K and G) at ASP + 6%, the same figure as that quarter's ASP payment limit, so
 * the quarter is the ASP file's whose limits its K/G rates match, when at least 90% of the
 * codes both list match and no other quarter comes close. Returns null when none does.
 */
export function inferAddendumQuarter(rows: readonly AddendumRow[], asp: ReadonlyMap<string, ReadonlyMap<string, number>>): { quarter: string; note: string } | null {
  const rates = rows.filter((r) => (r.statusIndicator === 'K' || r.statusIndicator === 'G') && r.paymentPerUnit !== null);
  const scored = [...asp.entries()]
    .map(([quarter, limits]) => {
      let both = 0;
      let same = 0;
      for (const r of rates) {
        const limit = limits.get(r.hcpcs);
        if (limit === undefined) continue;
        both++;
        if (Math.abs(limit - r.paymentPerUnit!) < 0.006) same++;
      }
      return { quarter, both, same };
    })
    .filter((s) => s.both > 0)
    .sort((a, b) => b.same / b.both - a.same / a.both || (a.quarter < b.quarter ? -1 : 1));
  const best = scored[0];
  if (!best || best.same / best.both < 0.9 || (scored[1] && scored[1].same / scored[1].both > 0.5)) return null;
  return { quarter: best.quarter, note: `no quarter in the file: its status K/G payment rates equal the ${best.quarter} ASP payment limits for ${best.same} of the ${best.both} codes both list` };
}
