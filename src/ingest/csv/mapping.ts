// Header row → column mapping: which column holds which canonical field. The layout is found
// by header fingerprint (or forced with --csv-profile NAME), or given by a mapping file
// (--csv-profile FILE) for in-house exports; generic exports are mapped by header aliases.
import { FileReadError, parseJsonText, readBoundedText } from '../../model/files.js';
import { z } from 'zod';
import { PayerClass, type SourceField } from '../../model/index.js';
import type { PhiMode } from '../../model/phi.js';
import {
  ALIASES,
  CANONICAL_HEADERS,
  LAYOUTS,
  normaliseHeader,
  SCALAR_FIELDS,
  type Layout,
  type ScalarField,
} from './layouts.js';

export interface ColumnMap {
  layout: Layout;
  /** Field → column index. */
  columns: Partial<Record<ScalarField, number>>;
  modifierColumns: number[];
  diagnosisColumns: number[];
  /** Wide layouts: per slot, field → column index. */
  slots: Array<Partial<Record<ScalarField, number>>>;
  /** What the input cannot carry: the layout's own list plus the columns this file lacks. */
  unavailable: Partial<Record<SourceField, string>>;
  /** Header names of the columns no field reads. */
  unmapped: string[];
  /** Field → header, for summary.json. */
  described: Record<string, string | string[]>;
}

export type MappingResult = { ok: true; map: ColumnMap } | { ok: false; refused: boolean; layout: string | null; message: string };

/** A mapping file for an in-house export (--csv-profile FILE). */
export const CsvMappingFile = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  /** Canonical field → the export's header (compared without case or punctuation). */
  columns: z.partialRecord(z.enum(SCALAR_FIELDS), z.string().min(1)),
  /** Modifier and diagnosis columns, in order. */
  modifiers: z.array(z.string().min(1)).optional(),
  diagnoses: z.array(z.string().min(1)).optional(),
  payerClass: PayerClass.optional(),
  payerName: z.string().optional(),
  claimType: z.enum(['professional', 'institutional']).optional(),
  dateOrder: z.enum(['MDY', 'DMY']).optional(),
});
export type CsvMappingFile = z.infer<typeof CsvMappingFile>;

export class CsvProfileError extends Error {}

export interface CsvProfile {
  /** A built-in layout forced by name, or a mapping file's layout. */
  layout: Layout;
  /** From a mapping file. */
  dateOrder?: 'MDY' | 'DMY';
  /** Forced: map what is there even when the signature does not match. */
  forced: true;
}

/** --csv-profile: a built-in layout's name, or a JSON mapping file. */
export function loadCsvProfile(value: string): CsvProfile {
  const builtIn = LAYOUTS.find((l) => l.name === value) ?? (value === 'canonical' || value === 'generic' ? genericLayout(value) : undefined);
  if (builtIn) return { layout: builtIn, forced: true };
  let text: string;
  try {
    text = readBoundedText(value, '--csv-profile');
  } catch (error) {
    if (!(error instanceof FileReadError)) throw error;
    const names = ['canonical', 'generic', ...LAYOUTS.map((l) => l.name)].join(', ');
    throw new CsvProfileError(`--csv-profile ${value}: neither a layout name (${names}) nor a readable file (${error.message.slice(`--csv-profile ${value}: `.length)})`);
  }
  let parsed: CsvMappingFile;
  try {
    parsed = CsvMappingFile.parse(parseJsonText(text, `--csv-profile ${value}`));
  } catch (error) {
    if (error instanceof FileReadError) throw new CsvProfileError(error.message);
    const issue = error instanceof z.ZodError ? error.issues[0] : undefined;
    const where = issue ? `${issue.path.join('.') || '(top)'}: ${issue.message}` : (error as Error).message;
    throw new CsvProfileError(`--csv-profile ${value}: not a valid mapping file: ${where}`);
  }
  const fields: Layout['fields'] = {};
  for (const [field, header] of Object.entries(parsed.columns)) fields[field as ScalarField] = [normaliseHeader(header)];
  const layout: Layout = {
    name: `mapping:${parsed.name}`,
    title: parsed.description ?? `mapping file ${parsed.name}`,
    signature: [],
    fields,
    modifiers: (parsed.modifiers ?? []).map(normaliseHeader),
    diagnoses: (parsed.diagnoses ?? []).map(normaliseHeader),
    unavailable: {},
    ...(parsed.payerClass ? { payerClass: parsed.payerClass } : {}),
    ...(parsed.payerName ? { payerName: parsed.payerName } : {}),
    ...(parsed.claimType ? { claimType: parsed.claimType } : {}),
  };
  return { layout, forced: true, ...(parsed.dateOrder ? { dateOrder: parsed.dateOrder } : {}) };
}

/** Generic exports: every canonical field by its aliases, modifiers and diagnoses by numbered prefixes. */
function genericLayout(name: 'canonical' | 'generic'): Layout {
  return {
    name,
    title: name === 'canonical' ? 'claim-audit canonical long layout' : 'generic export (header aliases)',
    signature: [],
    fields: Object.fromEntries(SCALAR_FIELDS.map((f) => [f, ALIASES[f]])),
    modifiers: [],
    diagnoses: [],
    unavailable: {},
  };
}

/** A numbered list column: "Mod 1" → 1, "diagnosis_12" → 12, "ICD-10 Code 3" → 3. */
function numbered(normalised: string, prefixes: readonly string[]): number | null {
  // "ICD10" is a name of its own, not ICD #10.
  if (prefixes.includes(normalised)) return null;
  for (const prefix of [...prefixes].sort((a, b) => b.length - a.length)) {
    if (!normalised.startsWith(prefix)) continue;
    const rest = normalised.slice(prefix.length);
    if (/^[1-9]\d?$/.test(rest) && Number(rest) <= 25) return Number(rest);
  }
  return null;
}

const REQUIRED: readonly ScalarField[] = ['claim_id', 'hcpcs'];

/** Finds the layout of a header row (or applies the forced one) and maps its columns. */
/** Every header some layout or alias knows, normalised. */
let knownHeaders: ReadonlySet<string> | null = null;
function isKnownHeader(header: string): boolean {
  if (!knownHeaders) {
    const known = new Set<string>([...CANONICAL_HEADERS, ...Object.values(ALIASES).flat()]);
    for (const layout of LAYOUTS) {
      for (const h of [...layout.signature, ...layout.modifiers, ...layout.diagnoses, ...Object.values(layout.fields).flat()]) known.add(h);
      for (const stem of Object.values(layout.wide?.stems ?? {})) for (let n = 1; n <= (layout.wide?.slots ?? 0); n++) known.add(stem.replace('{n}', String(n)));
    }
    knownHeaders = new Set([...known].map(normaliseHeader));
  }
  // Shown as written, so it must look like a header too, not a value that normalises to one.
  if (!/^[A-Za-z][A-Za-z0-9 _#./()&-]{0,39}$/.test(header.trim())) return false;
  const normalised = normaliseHeader(header);
  return knownHeaders.has(normalised) || numbered(normalised, ALIASES.modifier) !== null || numbered(normalised, ALIASES.diagnosis) !== null;
}

/**
 * The header row as a message may show it. A file without a header row has data in its first
 * row, so under masked only the cells that are known headers are named; the rest are counted.
 */
export function describeHeaders(headers: readonly string[], phi: PhiMode): string {
  if (phi === 'full') return `headers: ${headers.slice(0, 12).join(', ')}${headers.length > 12 ? ', …' : ''}`;
  const known = headers.flatMap((h, i) => (isKnownHeader(h) ? [`${h} (column ${i + 1})`] : []));
  const columns = `${headers.length} column${headers.length === 1 ? '' : 's'}`;
  if (known.length === 0) return `${columns}, none of them a header claim-audit knows; is the header row missing?`;
  return `${columns}; known headers: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}; ${headers.length - known.length} not known`;
}

export function mapColumns(headers: readonly string[], profile: CsvProfile | null, phi: PhiMode = 'masked'): MappingResult {
  const normalised = headers.map(normaliseHeader);
  const present = new Set(normalised);
  let layout: Layout | undefined = profile?.layout;
  if (!layout) {
    const matches = LAYOUTS.filter((l) => l.signature.every((h) => present.has(h))).sort((a, b) => b.signature.length - a.signature.length);
    layout = matches[0] ?? genericLayout(normalised.every((h) => h === '' || CANONICAL_HEADERS.has(h)) ? 'canonical' : 'generic');
  }
  if (layout.refuse) return { ok: false, refused: true, layout: layout.name, message: layout.refuse };

  const used = new Set<number>();
  const columns: ColumnMap['columns'] = {};
  const described: ColumnMap['described'] = {};
  // Each header's columns in order, so a candidate is found without a scan of every column (a
  // damaged file can have hundreds of thousands).
  const byHeader = new Map<string, number[]>();
  normalised.forEach((h, i) => {
    const list = byHeader.get(h);
    if (list) list.push(i);
    else byHeader.set(h, [i]);
  });
  const take = (candidates: readonly string[]): number | undefined => {
    for (const candidate of candidates) {
      const index = byHeader.get(candidate)?.find((i) => !used.has(i));
      if (index !== undefined) {
        used.add(index);
        return index;
      }
    }
    return undefined;
  };

  const generic = layout.name === 'canonical' || layout.name === 'generic';
  // Numbered list columns first, so "Mod 1" is never taken for a single "modifier" field.
  const listColumns = (explicit: readonly string[], prefixes: readonly string[]): number[] => {
    if (!generic) return explicit.map((h) => take([h])).filter((i): i is number => i !== undefined);
    const found: Array<[number, number]> = [];
    // Once per distinct header (a damaged file may repeat one across a huge row).
    const seen = new Map<string, number | null>();
    normalised.forEach((h, i) => {
      let n = seen.get(h);
      if (n === undefined) seen.set(h, (n = numbered(h, prefixes)));
      if (n !== null && !used.has(i)) found.push([n, i]);
    });
    found.sort((a, b) => a[0] - b[0]);
    for (const [, i] of found) used.add(i);
    return found.map(([, i]) => i);
  };
  const modifierColumns = listColumns(layout.modifiers, ALIASES.modifier);
  const diagnosisColumns = listColumns(layout.diagnoses, ALIASES.diagnosis);
  // One "Diagnosis" column (it may hold several codes): the claim's diagnoses.
  if (generic && diagnosisColumns.length === 0) {
    const single = take(ALIASES.diagnosis);
    if (single !== undefined) diagnosisColumns.push(single);
  }

  // Wide layouts: the line slots' columns.
  const slots: ColumnMap['slots'] = [];
  if (layout.wide) {
    for (let n = 1; n <= layout.wide.slots; n++) {
      const slot: Partial<Record<ScalarField, number>> = {};
      for (const [field, stem] of Object.entries(layout.wide.stems) as Array<[ScalarField, string]>) {
        const index = take([stem.replace('{n}', String(n))]);
        if (index !== undefined) slot[field] = index;
      }
      if (slot[layout.wide.presence] !== undefined) slots.push(slot);
    }
  }

  for (const field of SCALAR_FIELDS) {
    const candidates = layout.fields[field];
    if (!candidates) continue;
    const index = take(candidates);
    if (index !== undefined) {
      columns[field] = index;
      described[field] = headers[index]!;
    }
  }
  if (modifierColumns.length > 0) described.modifier_columns = modifierColumns.map((i) => headers[i]!);
  if (diagnosisColumns.length > 0) described.diagnosis_columns = diagnosisColumns.map((i) => headers[i]!);
  if (slots.length > 0) described.line_slots = `${slots.length} (${Object.keys(layout.wide!.stems).join(', ')} per slot)`;

  const has = (field: ScalarField) => columns[field] !== undefined || slots.some((s) => s[field] !== undefined);
  const missing = REQUIRED.filter((f) => !has(f));
  const hasDate = has('service_from_date') || has('claim_from_date');
  if (missing.length > 0 || !hasDate) {
    const need = [...missing, ...(hasDate ? [] : ['a service date'])];
    return {
      ok: false,
      refused: false,
      layout: generic ? null : layout.name,
      message: `${generic ? 'not a claim export claim-audit recognises' : `the ${layout.name} mapping finds`}: no column for ${need.join(', ')} (${describeHeaders(headers, phi)}); name the columns with --csv-profile FILE`,
    };
  }

  // What this file cannot carry: the layout's list, plus the columns it lacks.
  const unavailable: ColumnMap['unavailable'] = { ...layout.unavailable };
  const lacks = (field: SourceField, reason: string) => {
    if (unavailable[field] === undefined) unavailable[field] = reason;
  };
  const name = layout.name;
  if (!has('units')) lacks('units', `the ${name} file has no units column`);
  if (!has('charge')) lacks('charge', `the ${name} file has no charge column`);
  if (!has('modifiers') && modifierColumns.length === 0) lacks('modifiers', `the ${name} file has no modifier columns`);
  if (!has('ndc')) {
    lacks('ndc', `the ${name} file has no NDC column`);
    lacks('ndcQuantity', `the ${name} file has no NDC column`);
  } else if (!has('ndc_quantity')) lacks('ndcQuantity', `the ${name} file has no NDC quantity column`);
  if (diagnosisColumns.length === 0 && !has('line_diagnosis')) lacks('diagnoses', `the ${name} file has no diagnosis columns`);
  if (!has('dx_pointers') && !has('line_diagnosis')) lacks('diagnosisPointers', `the ${name} file has no diagnosis pointers`);
  if (!has('prior_auth_number')) lacks('priorAuthorization', `the ${name} file has no prior-authorization column`);
  if (!has('member_id') && !has('patient_id')) lacks('memberId', `the ${name} file has no member or patient id`);

  return {
    ok: true,
    map: {
      layout,
      columns,
      modifierColumns,
      diagnosisColumns,
      slots,
      unavailable,
      unmapped: headers.filter((h, i) => !used.has(i) && h.trim() !== ''),
      described,
    },
  };
}
