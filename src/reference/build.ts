// The pack builder: CMS files as CMS publishes them (recognised by cms-files.ts) + the project's
// curated facts → a deterministic pack (same files, same bytes, whatever their names or order).
//
// Per code: the HCPCS 2020 descriptor and dates where the code is in that file; the billing unit
// and the Part B payment limit by quarter from the ASP pricing files; the OPPS status and rate
// by quarter from every Addendum B; the NDCs CMS assigns to it by quarter from the crosswalks.
// The pack holds the covered codes and every code of any ASP file.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compareText } from '../model/order.js';
import { inferAddendumQuarter, readCmsFile, type AddendumRow, type AspPricingRow, type CmsFile, type FileReport, type HcpcsRecord, type PackInputs } from './cms-files.js';
import { HISTORY_SOURCE } from './cms/addendum-b.js';
import { descriptorOf } from './cms/index.js';
import { mueSource } from './cms/mue.js';
import { notUsed } from './cms/table.js';
import {
  ARTICLE_CLAIMS,
  CONTAINERS,
  COVERED,
  COVERED_DIAGNOSES,
  CPT_MODIFIERS,
  EXTRA_HCPCS_MODIFIERS,
  FREQUENCY_LIMITS,
  MODIFIER_CATEGORIES,
  POST_2020_DESCRIPTORS,
  PRIOR_AUTH_COMMERCIAL,
  SELF_ADMINISTERED,
  SOURCES,
} from './curated.js';
import { dayBefore, nextQuarter, quarterStart } from './quarters.js';
import { PACK_FORMAT, PACK_FORMAT_VERSION, Pack, type Code, type Modifier, type MueSetting, type NdcListing, type Price, type Source, type SourceFile } from './schema.js';
import { buildCoverage } from './build-coverage.js';
import { parseBillingUnit, parseDosage } from './units.js';



export { serializePack } from './schema.js';

export interface BuildReport {
  /** Every file read: what it is, its quarter, rows read, used and rejected (and why). */
  files: FileReport[];
  codes: number;
  /** Codes whose billing unit no ASP dosage nor descriptor gave. */
  unitsUnparsed: Array<{ hcpcs: string; text: string }>;
  prices: { asp: number; opps: number };
  ndcs: number;
}

/** Every file under the paths given (folders walked in name order, hidden entries skipped). */
export function listFiles(paths: readonly string[]): Array<{ path: string; display: string }> {
  const out: Array<{ path: string; display: string }> = [];
  const walk = (dir: string, root: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path, root);
      else out.push({ path, display: relative(root, path) || name });
    }
  };
  for (const path of paths) {
    if (statSync(path).isDirectory()) walk(path, path);
    else out.push({ path, display: path.split(/[\\/]/).pop()! });
  }
  return out;
}

/** Reads every file and places the Addendum B extracts that state no quarter. */
export function readCmsFiles(paths: readonly string[]): CmsFile[] {
  const files = listFiles(paths).map(({ path, display }) => readCmsFile(path, display));
  const asp = new Map<string, Map<string, number>>();
  for (const f of files) if (f.kind === 'asp-pricing' && f.report.quarter) asp.set(f.report.quarter, new Map(f.rows.flatMap((r) => (r.paymentLimit === null ? [] : [[r.hcpcs, r.paymentLimit] as const]))));
  return files.map((f): CmsFile => {
    if (f.kind !== 'opps-addendum-b' || f.report.quarter !== null) return f;
    const inferred = inferAddendumQuarter(f.rows, asp);
    if (!inferred) return { kind: 'unknown', report: { ...f.report, kind: 'unknown', note: 'an OPPS Addendum B that states no quarter, and whose drug rates match no ASP pricing file given with it: name its quarter in a title line ("Effective January 1, 2026 …")' } };
    for (const row of f.rows) {
      row.quarter = inferred.quarter;
      row.label = inferred.quarter;
      row.source = `cms-opps-addb-${inferred.quarter}`;
    }
    return { ...f, report: { ...f.report, quarter: inferred.quarter, quarterBasis: 'inferred', note: inferred.note } };
  });
}

const sourceId = (kind: string, quarter: string) => `${kind}-${quarter}`;

type Inputs = PackInputs;

/** What every file gives the pack, each by its kind's descriptor (reference/cms/): rows by code, a second file of one quarter reported. */
function gather(files: CmsFile[]): Inputs {
  const inputs: Inputs = { hcpcs: new Map(), modifiers: [], asp: new Map(), aspQuarters: [], addendum: new Map(), historyLabels: new Set(), historyVersions: [], crosswalk: new Map(), crosswalkQuarters: [], mue: new Map(), mueTables: new Set(), jwjz: null, addendumQuarters: [], historyQuarters: [] };
  // The coverage files (MAC jurisdictions, MCD articles, SAD lists) have no gather: build-coverage.ts joins them.
  for (const file of files) if (file.kind !== 'unknown') descriptorOf(file.kind)?.gather?.(file, inputs);
  const labelDate = (label: string) => {
    const [year, month = '01', day = '01'] = label.split('-');
    return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  };
  // A JW/JZ list superseded by a newer one read after it.
  for (const file of files) if (file.kind === 'jwjz-list' && inputs.jwjz && file.listDate !== inputs.jwjz.date && file.report.notUsed === undefined) notUsed(file.report, 'older-list', `superseded by the ${inputs.jwjz.date ?? 'undated'} JW/JZ list: not used`);
  for (const list of inputs.mue.values()) list.sort((a, b) => compareText(`${a.setting}|${a.from ?? ''}`, `${b.setting}|${b.from ?? ''}`));
  inputs.historyVersions = [...inputs.historyLabels].sort((a, b) => compareText(labelDate(a), labelDate(b)));
  inputs.aspQuarters.sort(compareText);
  inputs.crosswalkQuarters.sort(compareText);
  const addendumQuarters = new Set<string>();
  const historyQuarters = new Set<string>();
  for (const rows of inputs.addendum.values()) for (const row of rows) (row.source === HISTORY_SOURCE ? historyQuarters : addendumQuarters).add(row.quarter);
  inputs.addendumQuarters = [...addendumQuarters].sort(compareText);
  inputs.historyQuarters = [...historyQuarters].sort(compareText);
  return inputs;
}

/** One Addendum B row a quarter: the extract's versions, dated within the quarter, after the whole release that opens it (and with the rates unrounded). */
function oppsPrices(rows: readonly AddendumRow[]): Price[] {
  const byQuarter = new Map<string, AddendumRow>();
  const order = (r: AddendumRow) => `${r.quarter}|${r.source === HISTORY_SOURCE ? '1' : '0'}|${r.label}`;
  for (const row of [...rows].sort((a, b) => compareText(order(a), order(b)))) byQuarter.set(row.quarter, row);
  return [...byQuarter.values()].map((r) => ({ quarter: r.quarter, addendumB: r.label, statusIndicator: r.statusIndicator, paymentPerUnit: r.paymentPerUnit, source: r.source }));
}


/** Runs of consecutive quarters with the same value: [{from, to, value}]. */
function runs<T>(quarters: readonly string[], valueOf: (quarter: string) => T | undefined, same: (a: T, b: T) => boolean): Array<{ from: string; to: string; value: T }> {
  const out: Array<{ from: string; to: string; value: T }> = [];
  for (const quarter of quarters) {
    const value = valueOf(quarter);
    if (value === undefined) continue;
    const last = out.at(-1);
    // Consecutive among the quarters given (a quarter whose file was not given joins no run).
    // The run keeps its latest quarter's value (a labeler renamed, a drug name recapitalised).
    if (last && same(last.value, value) && quarters.indexOf(last.to) === quarters.indexOf(quarter) - 1 && nextQuarter(last.to) === quarter) Object.assign(last, { to: quarter, value });
    else out.push({ from: quarter, to: quarter, value });
  }
  return out;
}

function buildCode(hcpcs: string, inputs: Inputs, report: BuildReport): Code {
  const record = inputs.hcpcs.get(hcpcs);
  const asp = inputs.asp.get(hcpcs) ?? new Map<string, AspPricingRow>();
  const rows = inputs.addendum.get(hcpcs) ?? [];
  const aspQuarters = inputs.aspQuarters.filter((q) => asp.has(q));
  const latestAsp = aspQuarters.length > 0 ? asp.get(aspQuarters.at(-1)!)! : null;
  const firstRow = [...rows].sort((a, b) => compareText(a.quarter, b.quarter))[0];
  const secondary = POST_2020_DESCRIPTORS[hcpcs];

  const longDescriptor: Code['longDescriptor'] = record
    ? { value: record.long, source: 'cms-hcpcs-2020-10', confidence: 'cms' }
    : secondary
      ? { value: secondary.long, source: secondary.source, confidence: secondary.confidence }
      : latestAsp
        ? { value: latestAsp.shortDescription, source: sourceId('cms-asp', aspQuarters.at(-1)!), confidence: 'cms', note: 'not in the 2020 HCPCS file: the ASP file\'s short description' }
        : { value: firstRow?.shortDescriptor ?? '', source: firstRow?.source ?? 'claim-audit-default', confidence: 'secondary', note: 'not in the 2020 HCPCS file: only the OPPS Addendum B short descriptor is known' };
  const shortDescriptor: Code['shortDescriptor'] = record
    ? { value: record.short, source: 'cms-hcpcs-2020-10', confidence: 'cms' }
    : latestAsp
      ? { value: latestAsp.shortDescription, source: sourceId('cms-asp', aspQuarters.at(-1)!), confidence: 'cms' }
      : { value: firstRow?.shortDescriptor ?? '', source: firstRow?.source ?? 'claim-audit-default', confidence: 'cms' };

  // The billing unit by quarter (ASP "HCPCS Code Dosage"); the descriptor's where no ASP file has the code.
  const billingUnits = runs(aspQuarters, (q) => asp.get(q)!.dosage, (a, b) => a === b).map(({ from, to, value }) => {
    const parsed = parseDosage(value);
    return { from, to, dosage: value, amount: parsed?.amount ?? null, unit: parsed?.unit ?? null, source: sourceId('cms-asp', to) };
  });
  const latestUnit = billingUnits.at(-1);
  const descriptorUnit = parseBillingUnit(longDescriptor.value) ?? parseBillingUnit(shortDescriptor.value);
  let billingUnit: Code['billingUnit'] = null;
  if (record && descriptorUnit) billingUnit = { ...descriptorUnit, source: longDescriptor.source, confidence: longDescriptor.confidence };
  else if (latestUnit?.amount != null && latestUnit.unit != null) billingUnit = { amount: latestUnit.amount, unit: latestUnit.unit, text: latestUnit.dosage, source: latestUnit.source, confidence: 'cms' };
  else if (descriptorUnit) billingUnit = { ...descriptorUnit, source: longDescriptor.source, confidence: longDescriptor.confidence };
  if (!billingUnit && billingUnits.every((u) => u.amount === null)) report.unitsUnparsed.push({ hcpcs, text: latestUnit?.dosage ?? longDescriptor.value });

  // In force from: the HCPCS file's date, else the first quarter a CMS file lists it, when that
  // is later than the earliest file of its kind given. A code the earliest ASP file or the
  // earliest Addendum B already lists was in force before it: its start is unknown (DOMAIN.md
  // section 13: vaccines such as 90662 long predate 2024).
  // A quarter given before the first listing, with files of the same kind between missing (2026Q2
  // and Q3 when 2026Q1 and Q4 are given), dates the start no earlier than the quarter after the
  // last one given that does not list it.
  const firstListed = [aspQuarters[0], firstRow?.quarter].filter((q): q is string => q !== undefined).sort(compareText)[0];
  // The history extract covers its target codes only: its quarters say nothing of other codes.
  const firstOf = (history: boolean) => rows.filter((r) => (r.source === HISTORY_SOURCE) === history).map((r) => r.quarter).sort(compareText)[0];
  const historyFirst = firstOf(true);
  const givenBefore = (quarters: readonly string[]) => (firstListed === undefined ? undefined : quarters.filter((q) => compareText(q, firstListed) < 0).at(-1));
  const absentIn = [givenBefore(inputs.aspQuarters), givenBefore(inputs.addendumQuarters), historyFirst !== undefined ? givenBefore(inputs.historyQuarters) : undefined]
    .filter((q): q is string => q !== undefined)
    .sort(compareText)
    .at(-1);
  // No file given before the first listing that would have listed the code: in force before it,
  // since a date not known. A CPT code (vaccines, immune globulins) is the AMA's, dated by CPT,
  // not by the CMS files: the ASP files list vaccines by flu season, so an absence says nothing.
  const listedFromTheStart = absentIn === undefined || /^\d{4}[0-9A-Z]$/.test(hcpcs);
  const startQuarter = firstListed && absentIn && nextQuarter(absentIn) !== firstListed ? nextQuarter(absentIn) : firstListed;
  const added: Code['added'] = record?.added
    ? { value: record.added, source: 'cms-hcpcs-2020-10', confidence: 'cms' }
    : firstListed && listedFromTheStart
      ? { value: null, source: firstListed === aspQuarters[0] ? sourceId('cms-asp', firstListed) : firstRow!.source, confidence: 'inferred', note: absentIn === undefined ? `not in the 2020 HCPCS file, and listed by the earliest CMS files given that cover it (${firstListed}): in force before them, since a date not known` : `a CPT code, dated by the AMA's CPT and not by the CMS files (which list vaccines by season): listed from ${firstListed}, in force before, since a date not known` }
      : firstListed
      ? {
          value: quarterStart(startQuarter!),
          source: firstListed === aspQuarters[0] ? sourceId('cms-asp', firstListed) : firstRow!.source,
          confidence: 'inferred',
          note:
            startQuarter === firstListed
              ? `not in the 2020 HCPCS file: the first quarter a CMS file given lists it (${firstListed}), the quarter before not listing it`
              : `not in the 2020 HCPCS file: absent from the CMS files of ${absentIn}, listed from ${firstListed}; no file given for the quarters between, so in force from ${startQuarter} at the earliest`,
        }
      : { value: null, source: 'claim-audit-default', confidence: 'inferred', note: 'unknown' };
  const actionEffective: Code['actionEffective'] = record
    ? { value: record.actionEffective, source: 'cms-hcpcs-2020-10', confidence: 'cms' }
    : { value: null, source: 'claim-audit-default', confidence: 'inferred', note: 'not in the 2020 HCPCS file' };

  let terminated: Code['terminated'] = { value: record?.terminated ?? null, source: 'cms-hcpcs-2020-10', confidence: 'cms' };
  // Absent from the history extract's later versions, and from every later file: inferred.
  const history = rows.filter((r) => r.source === HISTORY_SOURCE).map((r) => r.label);
  const versions = inputs.historyVersions;
  const lastSeen = versions.filter((v) => history.includes(v)).at(-1);
  if (!record?.terminated && lastSeen && versions.at(-1) !== lastSeen) {
    const next = versions[versions.indexOf(lastSeen) + 1]!;
    const [year, month = '01'] = next.split('-');
    const end = dayBefore(quarterStart(`${year}Q${Math.ceil(Number(month) / 3)}`));
    const listedLater = [...aspQuarters, ...rows.map((r) => r.quarter)].some((q) => quarterStart(q) > end);
    if (!listedLater) {
      terminated = { value: end, source: 'opps-addb-history', confidence: 'inferred', note: `absent from OPPS Addendum B from version ${next} (last listed ${lastSeen}) and from every later CMS file given; termination not verified against a CMS HCPCS file` };
    }
  }

  const containerFact = CONTAINERS[hcpcs];
  const self = SELF_ADMINISTERED[hcpcs];
  const code: Code = {
    hcpcs,
    covered: (COVERED as readonly string[]).includes(hcpcs),
    longDescriptor,
    shortDescriptor,
    billingUnit,
    billingUnits,
    added,
    actionEffective,
    terminated,
    container: containerFact ? { ...containerFact.container } : { value: 'unknown', source: 'claim-audit-default', confidence: 'inferred', note: 'label not checked' },
    packages: containerFact ? containerFact.packages.map((p) => ({ ...p, confidence: 'label' as const })) : [],
    selfAdministered: self ? { ...self } : { value: null, source: 'claim-audit-default', confidence: 'inferred', note: 'not checked' },
    aspPrices: aspQuarters.flatMap((q) => {
      const limit = asp.get(q)!.paymentLimit;
      return limit === null ? [] : [{ quarter: q, paymentPerUnit: limit, source: sourceId('cms-asp', q) }];
    }),
    prices: oppsPrices(rows),
    coveredDiagnoses: (COVERED_DIAGNOSES[hcpcs] ?? []).map((d) => ({ ...d })),
    priorAuthorization: PRIOR_AUTH_COMMERCIAL.includes(hcpcs) ? [{ payerClass: 'commercial', required: true, source: 'claim-audit-default', confidence: 'inferred', note: 'high-cost drug: commercial plans commonly require prior authorization' }] : [],
    frequencyLimits: (FREQUENCY_LIMITS[hcpcs] ?? []).map((f) => ({ ...f })),
    mue: inputs.mue.get(hcpcs) ?? [],
    jwJz: inputs.jwjz?.codes.has(hcpcs) ? { list: inputs.jwjz.date, source: inputs.jwjz.source } : null,
  };
  const claim = ARTICLE_CLAIMS[hcpcs];
  if (claim) code.articleClaim = claim;
  report.prices.asp += code.aspPrices.length;
  report.prices.opps += code.prices.length;
  return code;
}

/** NDC → its listings: one a code and run of quarters with the same package figures. */
function buildNdcs(inputs: Inputs, codes: ReadonlySet<string>): Record<string, NdcListing[]> {
  const byNdc = new Map<string, NdcListing[]>();
  const quarters = inputs.crosswalkQuarters;
  for (const hcpcs of [...inputs.crosswalk.keys()].sort(compareText)) {
    if (!codes.has(hcpcs)) continue;
    const byQuarter = inputs.crosswalk.get(hcpcs)!;
    const ndcs = new Set([...byQuarter.values()].flatMap((rows) => rows.map((r) => r.ndc)));
    for (const ndc of [...ndcs].sort(compareText)) {
      const figures = (q: string) => {
        const row = byQuarter.get(q)?.find((r) => r.ndc === ndc);
        return row ? { labeler: row.labeler, drugName: row.drugName, packageSize: row.packageSize, packageQuantity: row.packageQuantity, billingUnitsPerItem: row.billingUnitsPerItem, billingUnitsPerPackage: row.billingUnitsPerPackage } : undefined;
      };
      const samePackage = (a: NonNullable<ReturnType<typeof figures>>, b: NonNullable<ReturnType<typeof figures>>) =>
        a.packageSize === b.packageSize && a.packageQuantity === b.packageQuantity && a.billingUnitsPerItem === b.billingUnitsPerItem && a.billingUnitsPerPackage === b.billingUnitsPerPackage;
      for (const { from, to, value } of runs(quarters, figures, samePackage)) {
        const list = byNdc.get(ndc) ?? [];
        list.push({ hcpcs, from, to, ...value, source: sourceId('cms-asp-ndc', to) });
        byNdc.set(ndc, list);
      }
    }
  }
  return Object.fromEntries([...byNdc.entries()].sort(([a], [b]) => compareText(a, b)));
}

function buildModifiers(records: HcpcsRecord[]): Record<string, Modifier> {
  const modifiers: Modifier[] = records.map((r) => ({ code: r.code, descriptor: r.long, added: r.added, terminated: r.terminated, category: MODIFIER_CATEGORIES[r.code] ?? 'other', source: 'cms-hcpcs-2020-10' }));
  for (const extra of EXTRA_HCPCS_MODIFIERS) {
    if (!modifiers.some((m) => m.code === extra.code)) modifiers.push({ code: extra.code, descriptor: extra.descriptor, added: extra.added, terminated: null, category: MODIFIER_CATEGORIES[extra.code] ?? 'other', source: extra.source });
  }
  for (const [code, category] of Object.entries(CPT_MODIFIERS)) {
    if (!modifiers.some((m) => m.code === code)) modifiers.push({ code, descriptor: null, added: null, terminated: null, category, source: 'cpt-modifier-codes' });
  }
  return Object.fromEntries(modifiers.sort((a, b) => compareText(a.code, b.code)).map((m) => [m.code, m]));
}

const MUE_TITLES: Record<MueSetting, string> = { practitioner: 'Practitioner Services', 'outpatient-hospital': 'Outpatient Hospital Services', dme: 'DME Supplier Services' };

/** The sources of the MUE tables and the JW/JZ list the pack carries. */
function dataSources(inputs: Inputs): Source[] {
  const out: Source[] = [];
  const tables = new Set([...inputs.mue.values()].flat().map((m) => `${m.setting}|${m.from ?? ''}`));
  for (const key of [...tables].sort(compareText)) {
    const [setting, from] = key.split('|') as [MueSetting, string];
    out.push({ id: mueSource(setting, from || null), title: `CMS NCCI Medically Unlikely Edits, ${MUE_TITLES[setting]} table${from ? `, effective ${from}` : ''}`, url: 'https://www.cms.gov/medicare/coding-billing/national-correct-coding-initiative-ncci-edits/medicare-ncci-medically-unlikely-edits' });
  }
  if (inputs.jwjz) {
    out.push({ id: inputs.jwjz.source, title: `CMS "JW Modifier and JZ Modifier Policy HCPCS codes" list${inputs.jwjz.date ? `, updated ${inputs.jwjz.date}` : ''}: separately payable drugs from single-dose containers; not every such drug is listed`, url: 'https://www.cms.gov/medicare/medicare-fee-for-service-payment/part-b-drugs/discarded-drugs' });
  }
  return out;
}

/** The sources of the CMS files used, one a kind and quarter, in order. */
function fileSources(files: CmsFile[]): { sources: Source[]; sourceFiles: SourceFile[] } {
  const sources: Source[] = [];
  const sourceFiles: SourceFile[] = [];
  const titles: Record<string, string> = {
    'asp-pricing': 'CMS ASP pricing file (Medicare Part B drug payment limits)',
    'asp-crosswalk': 'CMS ASP NDC–HCPCS crosswalk',
    'opps-addendum-b': 'CMS OPPS Addendum B',
  };
  const ids: Record<string, string> = { 'asp-pricing': 'cms-asp', 'asp-crosswalk': 'cms-asp-ndc', 'opps-addendum-b': 'cms-opps-addb' };
  for (const f of files) {
    const r = f.report;
    if (r.kind === 'unknown' || r.rowsUsed === 0 || r.notUsed !== undefined) continue;
    sourceFiles.push({ file: r.file, kind: r.kind, quarter: r.quarter, quarterBasis: r.quarterBasis, sha256: r.sha256, rowsUsed: r.rowsUsed });
    const id = ids[r.kind];
    if (id && r.quarter) {
      sources.push({ id: sourceId(id, r.quarter), title: `${titles[r.kind]}, ${r.quarter}${r.quarterBasis === 'inferred' ? ' (quarter inferred from its drug rates)' : ''}`, file: r.file });
    }
  }
  const order = (s: Source) => s.id;
  return { sources: sources.sort((a, b) => compareText(order(a), order(b))), sourceFiles: sourceFiles.sort((a, b) => compareText(`${a.kind}|${a.quarter ?? ''}|${a.file}`, `${b.kind}|${b.quarter ?? ''}|${b.file}`)) };
}

/** Builds the pack from the files read. Deterministic: the same files give the same bytes. */
export function buildPack(files: CmsFile[]): { pack: Pack; report: BuildReport } {
  const report: BuildReport = { files: files.map((f) => f.report), codes: 0, unitsUnparsed: [], prices: { asp: 0, opps: 0 }, ndcs: 0 };
  const inputs = gather(files);
  const coverage = buildCoverage(files);
  // The pack's codes: the covered set, every code of an ASP file, and the drugs of the JW/JZ
  // list and the SAD lists (drug lines under --codes covered even when no ASP file prices them).
  const wanted = new Set<string>([...COVERED, ...inputs.asp.keys(), ...(inputs.jwjz?.codes ?? []), ...coverage.sadCodes]);
  const codes: Record<string, Code> = {};
  // The project's hand-written diagnosis lists stay only for codes no billing article lists.
  const inArticles = new Set(Object.values(coverage.articles).flatMap((a) => a.pairings.flatMap((p) => p.codes)));
  for (const hcpcs of [...wanted].sort(compareText)) {
    codes[hcpcs] = buildCode(hcpcs, inputs, report);
    if (inArticles.has(hcpcs)) codes[hcpcs].coveredDiagnoses = [];
    report.codes++;
  }
  const ndcs = buildNdcs(inputs, wanted);
  report.ndcs = Object.keys(ndcs).length;
  const { sources, sourceFiles } = fileSources(files);
  const latest = (list: string[]) => list.at(-1) ?? 'none';
  const oppsQuarters = [...new Set([...inputs.addendum.values()].flat().map((r) => r.quarter))].sort(compareText);
  const pack: Pack = {
    format: PACK_FORMAT,
    formatVersion: PACK_FORMAT_VERSION,
    version: [inputs.hcpcs.size > 0 ? 'cms-hcpcs-2020-10' : null, inputs.aspQuarters.length > 0 ? `asp-${latest(inputs.aspQuarters)}` : null, oppsQuarters.length > 0 ? `opps-${latest(oppsQuarters)}` : null].filter(Boolean).join('+') || 'empty',
    sources: [...SOURCES.map((s) => ({ ...s })), ...sources, ...dataSources(inputs), ...coverage.sources],
    sourceFiles,
    codes,
    modifiers: buildModifiers(inputs.modifiers),
    ndcs,
    macs: coverage.macs,
    articles: coverage.articles,
    sadLists: coverage.sadLists,
    sad: coverage.sad,
  };
  return { pack: Pack.parse(pack), report };
}
