// The pack builder: CMS HCPCS file + OPPS Addendum B files + the project's curated facts →
// a deterministic pack (same inputs, same bytes).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
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
import { quarterOf, quarterStart } from './quarters.js';
import { PACK_FORMAT, Pack, type Code, type Modifier, type Price } from './schema.js';

export { serializePack } from './schema.js';
import { parseBillingUnit } from './units.js';
import { compareText } from '../model/order.js';

interface HcpcsRecord {
  code: string;
  long: string;
  short: string;
  added: string | null;
  actionEffective: string | null;
  terminated: string | null;
  recid: string;
}

interface AddendumRow {
  hcpcs: string;
  /** Version label: 2020, 2020-04, 2020-05-04, 2026-04 … */
  label: string;
  shortDescriptor: string;
  statusIndicator: string;
  paymentPerUnit: number | null;
  source: 'opps-addb-history' | 'opps-addb-2026-04';
}

export interface BuildInputs {
  hcpcs: HcpcsRecord[];
  addendum: AddendumRow[];
  /** Addendum B version labels seen per source, for termination inference. */
  historyLabels: string[];
  files: string[];
}

export interface BuildReport {
  codes: number;
  unitsParsed: number;
  unitsUnparsed: Array<{ hcpcs: string; descriptor: string }>;
  prices: number;
}

/** CCYYMMDD → YYYY-MM-DD (null for empty or malformed). */
function ymd(value: string | undefined): string | null {
  const text = (value ?? '').trim();
  return /^\d{8}$/.test(text) ? `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}` : null;
}

/** An Addendum B version label → the first day it applies and its quarter. */
export function labelDate(label: string): string {
  const [year, month = '01', day = '01'] = label.split('-');
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}



function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

function csvRows(path: string): string[][] {
  return parse(readFileSync(path), { relax_column_count: true, bom: true, skip_empty_lines: false }) as string[][];
}

/** Reads the CMS files, recognising each by its header. */
export function readInputs(paths: readonly string[]): BuildInputs {
  const inputs: BuildInputs = { hcpcs: [], addendum: [], historyLabels: [], files: paths.map((p) => basename(p)) };
  for (const path of paths) {
    const rows = csvRows(path);
    const hcpcsHeader = rows.findIndex((r) => r[0]?.trim() === 'HCPC' && r[2]?.trim() === 'RECID');
    if (hcpcsHeader !== -1) {
      const header = rows[hcpcsHeader]!.map((h) => h.trim());
      const col = (name: string) => {
        const i = header.indexOf(name);
        if (i === -1) throw new Error(`${path}: HCPCS file has no ${name} column`);
        return i;
      };
      const [hcpc, recid, long, short, add, act, term] = ['HCPC', 'RECID', 'LONG DESCRIPTION', 'SHORT DESCRIPTION', 'ADD DT', 'ACT EFF DT', 'TERM DT'].map(col) as number[];
      let last = null as HcpcsRecord | null;
      for (const row of rows.slice(hcpcsHeader + 1)) {
        const code = (row[hcpc!] ?? '').trim();
        const kind = (row[recid!] ?? '').trim();
        if (code === '') continue;
        if ((kind === '4' || kind === '8') && last?.code === code) {
          last.long = `${last.long} ${(row[long!] ?? '').trim()}`.trim();
          continue;
        }
        if (kind !== '3' && kind !== '7') continue;
        last = {
          code,
          recid: kind,
          long: (row[long!] ?? '').trim(),
          short: (row[short!] ?? '').trim(),
          added: ymd(row[add!]),
          actionEffective: ymd(row[act!]),
          terminated: ymd(row[term!]),
        };
        inputs.hcpcs.push(last);
      }
      continue;
    }
    const header = (rows[0] ?? []).map((h) => h.trim());
    if (header[0] === 'hcpcs' && header[1] === 'addendum_b_quarter') {
      for (const row of rows.slice(1)) {
        if (!row[0]) continue;
        inputs.addendum.push({ hcpcs: row[0].trim(), label: row[1]!.trim(), shortDescriptor: row[2]!.trim(), statusIndicator: row[3]!.trim(), paymentPerUnit: row[4]?.trim() ? Number(row[4]) : null, source: 'opps-addb-history' });
        inputs.historyLabels.push(row[1]!.trim());
      }
      continue;
    }
    if (header[0] === 'HCPCSCode' && header[2] === 'StatusIndicator') {
      const labelCol = header.indexOf('Source');
      for (const row of rows.slice(1)) {
        if (!row[0]) continue;
        inputs.addendum.push({ hcpcs: row[0].trim(), label: (labelCol >= 0 && row[labelCol]?.trim()) || '2026-04', shortDescriptor: row[1]!.trim(), statusIndicator: row[2]!.trim(), paymentPerUnit: row[3]?.trim() ? Number(row[3]) : null, source: 'opps-addb-2026-04' });
      }
      continue;
    }
    throw new Error(`${path}: not a CMS HCPCS file or an OPPS Addendum B file this builder knows (header: ${header.slice(0, 4).join(',')})`);
  }
  inputs.historyLabels = [...new Set(inputs.historyLabels)].sort((a, b) => compareText(labelDate(a), labelDate(b)));
  return inputs;
}

function pricesFor(rows: AddendumRow[]): Price[] {
  const byQuarter = new Map<string, AddendumRow>();
  const ordered = [...rows].sort((a, b) => compareText(labelDate(a.label), labelDate(b.label)) || (a.source === b.source ? 0 : a.source === 'opps-addb-2026-04' ? 1 : -1));
  for (const row of ordered) byQuarter.set(quarterOf(labelDate(row.label)), row);
  return [...byQuarter.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([quarter, row]) => ({ quarter, addendumB: row.label, statusIndicator: row.statusIndicator, paymentPerUnit: row.paymentPerUnit, source: row.source }));
}

function buildCode(hcpcs: string, record: HcpcsRecord | undefined, rows: AddendumRow[], historyLabels: string[], report: BuildReport): Code {
  const history = rows.filter((r) => r.source === 'opps-addb-history').sort((a, b) => compareText(labelDate(a.label), labelDate(b.label)));
  const firstRow = [...rows].sort((a, b) => compareText(labelDate(a.label), labelDate(b.label)))[0];
  const secondary = POST_2020_DESCRIPTORS[hcpcs];
  const longDescriptor: Code['longDescriptor'] = record
    ? { value: record.long, source: 'cms-hcpcs-2020-10', confidence: 'cms' }
    : secondary
      ? { value: secondary.long, source: secondary.source, confidence: secondary.confidence }
      : { value: firstRow?.shortDescriptor ?? '', source: firstRow?.source ?? 'claim-audit-default', confidence: 'secondary', note: 'not in the 2020 HCPCS file: only the OPPS Addendum B short descriptor is known' };
  const shortDescriptor: Code['shortDescriptor'] = record
    ? { value: record.short, source: 'cms-hcpcs-2020-10', confidence: 'cms' }
    : { value: firstRow?.shortDescriptor ?? '', source: firstRow?.source ?? 'claim-audit-default', confidence: 'cms' };

  let parsed = parseBillingUnit(longDescriptor.value);
  let unitFrom = longDescriptor;
  if (!parsed) {
    parsed = parseBillingUnit(shortDescriptor.value);
    unitFrom = shortDescriptor;
  }
  if (parsed) report.unitsParsed++;
  else report.unitsUnparsed.push({ hcpcs, descriptor: longDescriptor.value });

  const added: Code['added'] = record?.added
    ? { value: record.added, source: 'cms-hcpcs-2020-10', confidence: 'cms' }
    : firstRow
      ? { value: labelDate(firstRow.label), source: firstRow.source, confidence: 'inferred', note: `first OPPS Addendum B version listing the code (${firstRow.label})` }
      : { value: null, source: 'claim-audit-default', confidence: 'inferred', note: 'unknown' };
  const actionEffective: Code['actionEffective'] = record
    ? { value: record.actionEffective, source: 'cms-hcpcs-2020-10', confidence: 'cms' }
    : { value: null, source: 'claim-audit-default', confidence: 'inferred', note: 'not in the 2020 HCPCS file' };

  let terminated: Code['terminated'] = { value: record?.terminated ?? null, source: 'cms-hcpcs-2020-10', confidence: 'cms' };
  const lastSeen = history.at(-1)?.label;
  if (!record?.terminated && lastSeen && historyLabels.at(-1) !== lastSeen) {
    const next = historyLabels[historyLabels.indexOf(lastSeen) + 1]!;
    terminated = {
      value: dayBefore(quarterStart(quarterOf(labelDate(next)))),
      source: 'opps-addb-history',
      confidence: 'inferred',
      note: `absent from OPPS Addendum B from version ${next} (last listed ${lastSeen}); termination not verified against a CMS HCPCS file`,
    };
  }

  const containerFact = CONTAINERS[hcpcs];
  const self = SELF_ADMINISTERED[hcpcs];
  const code: Code = {
    hcpcs,
    covered: (COVERED as readonly string[]).includes(hcpcs),
    longDescriptor,
    shortDescriptor,
    billingUnit: parsed ? { amount: parsed.amount, unit: parsed.unit, text: parsed.text, source: unitFrom.source, confidence: unitFrom.confidence } : null,
    added,
    actionEffective,
    terminated,
    container: containerFact ? { ...containerFact.container } : { value: 'unknown', source: 'claim-audit-default', confidence: 'inferred', note: 'label not checked' },
    packages: containerFact ? containerFact.packages.map((p) => ({ ...p, confidence: 'label' as const })) : [],
    selfAdministered: self ? { ...self } : { value: null, source: 'claim-audit-default', confidence: 'inferred', note: 'not checked' },
    prices: pricesFor(rows),
    coveredDiagnoses: (COVERED_DIAGNOSES[hcpcs] ?? []).map((d) => ({ ...d })),
    priorAuthorization: PRIOR_AUTH_COMMERCIAL.includes(hcpcs) ? [{ payerClass: 'commercial', required: true, source: 'claim-audit-default', confidence: 'inferred', note: 'high-cost drug: commercial plans commonly require prior authorization' }] : [],
    frequencyLimits: (FREQUENCY_LIMITS[hcpcs] ?? []).map((f) => ({ ...f })),
    mue: null,
  };
  const claim = ARTICLE_CLAIMS[hcpcs];
  if (claim) code.articleClaim = claim;
  report.prices += code.prices.length;
  return code;
}

function buildModifiers(records: HcpcsRecord[]): Record<string, Modifier> {
  const modifiers: Modifier[] = records
    .filter((r) => r.recid === '7')
    .map((r) => ({ code: r.code, descriptor: r.long, added: r.added, terminated: r.terminated, category: MODIFIER_CATEGORIES[r.code] ?? 'other', source: 'cms-hcpcs-2020-10' }));
  for (const extra of EXTRA_HCPCS_MODIFIERS) {
    if (!modifiers.some((m) => m.code === extra.code)) modifiers.push({ code: extra.code, descriptor: extra.descriptor, added: extra.added, terminated: null, category: MODIFIER_CATEGORIES[extra.code] ?? 'other', source: extra.source });
  }
  for (const [code, category] of Object.entries(CPT_MODIFIERS)) {
    modifiers.push({ code, descriptor: null, added: null, terminated: null, category, source: 'cpt-modifier-codes' });
  }
  return Object.fromEntries(modifiers.sort((a, b) => compareText(a.code, b.code)).map((m) => [m.code, m]));
}

export function buildPack(inputs: BuildInputs, options: { allDrugs?: boolean } = {}): { pack: Pack; report: BuildReport } {
  const report: BuildReport = { codes: 0, unitsParsed: 0, unitsUnparsed: [], prices: 0 };
  const byCode = new Map(inputs.hcpcs.filter((r) => r.recid === '3').map((r) => [r.code, r]));
  const rowsByCode = new Map<string, AddendumRow[]>();
  for (const row of inputs.addendum) rowsByCode.set(row.hcpcs, [...(rowsByCode.get(row.hcpcs) ?? []), row]);
  const isDrugCode = (c: string) => /^[JQ]\d{4}$/.test(c);
  const wanted = new Set<string>(COVERED);
  if (options.allDrugs) {
    for (const code of byCode.keys()) if (isDrugCode(code)) wanted.add(code);
    for (const code of rowsByCode.keys()) if (isDrugCode(code)) wanted.add(code);
  }
  const codes: Record<string, Code> = {};
  for (const hcpcs of [...wanted].sort()) {
    codes[hcpcs] = buildCode(hcpcs, byCode.get(hcpcs), rowsByCode.get(hcpcs) ?? [], inputs.historyLabels, report);
    report.codes++;
  }
  const latest = [...inputs.addendum.map((r) => r.label)].sort((a, b) => compareText(labelDate(a), labelDate(b))).at(-1) ?? 'none';
  const pack: Pack = {
    format: PACK_FORMAT,
    formatVersion: 1,
    version: `cms-hcpcs-2020-10+opps-${latest}${options.allDrugs ? '+all-drugs' : ''}`,
    sources: SOURCES.map((s) => ({ ...s })),
    codes,
    modifiers: buildModifiers(inputs.hcpcs),
  };
  return { pack: Pack.parse(pack), report };
}
