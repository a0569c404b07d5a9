// The reference pack: strict zod schemas. Every value carries the id of its source (listed in
// `sources`) and a confidence, so a rule can say how sure it is and a user can check it.
import { z } from 'zod';
import { HCPCS_CODE, isoDate, PayerClass } from '../model/index.js';

/** HCPCS Level II (J1459) or a CPT code the ASP file prices (90371 immune globulins and vaccines). */
export const HCPCS = z.string().regex(HCPCS_CODE, 'expected a HCPCS code like J1459');
export const SourceId = z.string().min(1);
/** cms: a CMS file; policy: an NCD/LCD or payer policy; label: the FDA label; secondary: a non-CMS web page; inferred: our reasoning, unverified. */
export const Confidence = z.enum(['cms', 'policy', 'label', 'secondary', 'inferred']);
export type Confidence = z.infer<typeof Confidence>;

export const Source = z.strictObject({
  id: SourceId,
  title: z.string(),
  file: z.string().optional(),
  url: z.string().optional(),
  note: z.string().optional(),
});
export type Source = z.infer<typeof Source>;

const sourced = { source: SourceId, confidence: Confidence, note: z.string().optional() };

export const SourcedText = z.strictObject({ value: z.string(), ...sourced });
export const SourcedDate = z.strictObject({ value: isoDate.nullable(), ...sourced });

export const BillingUnit = z.strictObject({
  amount: z.number().positive(),
  /** mg, mcg, g, mL, units, mg of iron, therapeutic dose, … */
  unit: z.string().min(1),
  /** The descriptor text the unit was read from. */
  text: z.string(),
  ...sourced,
});
export type BillingUnit = z.infer<typeof BillingUnit>;

export const ContainerKind = z.enum(['single-dose', 'multi-dose', 'unknown']);
export type ContainerKind = z.infer<typeof ContainerKind>;
export const Container = z.strictObject({ value: ContainerKind, ...sourced });

export const Package = z.strictObject({
  /** 11-digit NDC, or null when the package is known from its label but its NDC was not checked. */
  ndc: z.string().regex(/^\d{11}$/).nullable(),
  description: z.string(),
  container: ContainerKind,
  ...sourced,
});

export const Quarter = z.string().regex(/^\d{4}Q[1-4]$/, 'expected a quarter like 2026Q2');
export const Price = z.strictObject({
  quarter: Quarter,
  /** The Addendum B version the row came from (the last one published for the quarter). */
  addendumB: z.string(),
  statusIndicator: z.string(),
  /** Per HCPCS billing unit, USD; null when the status has no payment rate. */
  paymentPerUnit: z.number().nonnegative().nullable(),
  source: SourceId,
});
export type Price = z.infer<typeof Price>;

/** The billing unit over a run of quarters, as the ASP pricing file's "HCPCS Code Dosage" gives it. */
export const QuarterUnit = z.strictObject({
  from: Quarter,
  to: Quarter,
  /** As written: 1 MG, 500 MG, PER THERAPEUTIC DOSE. */
  dosage: z.string(),
  /** Null for a dosage no arithmetic can use (a combination, a band). */
  amount: z.number().positive().nullable(),
  unit: z.string().min(1).nullable(),
  source: SourceId,
});
export type QuarterUnit = z.infer<typeof QuarterUnit>;

/** The Medicare Part B payment limit (ASP + 6%) per billing unit for a quarter: the basis on professional claims. */
export const AspPrice = z.strictObject({ quarter: Quarter, paymentPerUnit: z.number().nonnegative(), source: SourceId });
export type AspPrice = z.infer<typeof AspPrice>;

/** An NDC as the ASP crosswalk assigns it to a code, over a run of quarters with the same package figures. */
export const NdcListing = z.strictObject({
  hcpcs: HCPCS,
  from: Quarter,
  to: Quarter,
  labeler: z.string(),
  drugName: z.string(),
  /** PKG SIZE: the amount in one item (mL in a vial, for most). */
  packageSize: z.number().nonnegative().nullable(),
  /** PKG QTY: items in the package. */
  packageQuantity: z.number().nonnegative().nullable(),
  /** BILLUNITS: billing units in one item. */
  billingUnitsPerItem: z.number().nonnegative().nullable(),
  /** BILLUNITSPKG: billing units in the whole package. */
  billingUnitsPerPackage: z.number().nonnegative().nullable(),
  source: SourceId,
});
export type NdcListing = z.infer<typeof NdcListing>;

/** A CMS file the pack was built from. */
export const SourceFile = z.strictObject({
  file: z.string(),
  kind: z.string(),
  quarter: Quarter.nullable(),
  /** How the quarter was known: title, column or inferred (from the drug rates). */
  quarterBasis: z.enum(['title', 'column', 'inferred']).nullable(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  rowsUsed: z.number().int().nonnegative(),
});
export type SourceFile = z.infer<typeof SourceFile>;

export const CoveredDiagnosis = z.strictObject({
  /** ICD-10-CM code or prefix, dotless (D80, G6181). */
  prefix: z.string().regex(/^[A-Z][0-9A-Z]{1,6}$/),
  confidence: z.enum(['policy', 'label', 'inferred']),
  source: SourceId,
  note: z.string().optional(),
});

export const PayerClassOrAll = z.union([PayerClass, z.literal('*')]);
export type PayerClassOrAll = z.infer<typeof PayerClassOrAll>;

export const PriorAuthorization = z.strictObject({ payerClass: PayerClassOrAll, required: z.boolean(), ...sourced });
export const FrequencyLimit = z.strictObject({
  payerClass: PayerClassOrAll,
  max: z.number().int().positive(),
  period: z.enum(['lifetime', 'year', 'month', 'week', 'day']),
  ...sourced,
});

/** The MUE tables by setting: practitioner (professional claims), outpatient hospital (13x, 85x), DME supplier. */
export const MueSetting = z.enum(['practitioner', 'outpatient-hospital', 'dme']);
export type MueSetting = z.infer<typeof MueSetting>;

/** One code's MUE in one table: the table's setting and effective date (null: the table named none). */
export const Mue = z.strictObject({
  setting: MueSetting,
  from: isoDate.nullable(),
  value: z.number().int().nonnegative(),
  /** MUE adjudication indicator: 1 per line, 2 per day (policy), 3 per day (clinical, appealable). */
  mai: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  rationale: z.string(),
  source: SourceId,
});
export type Mue = z.infer<typeof Mue>;

/** On CMS's JW/JZ policy list: a separately payable drug from single-dose containers; the list's date. */
export const JwJzListing = z.strictObject({ list: isoDate.nullable(), source: SourceId });
export type JwJzListing = z.infer<typeof JwJzListing>;

export const ArticleId = z.string().regex(/^A\d{5,6}$/, 'expected an article id like A52399');
const Icd10 = z.string().regex(/^[A-Z][0-9][0-9A-Z]{1,5}$/);

/** A jurisdiction's A/B MAC: the states it serves. */
export const MacJurisdiction = z.strictObject({
  jurisdiction: z.string().regex(/^J[A-Z0-9]{1,2}$/),
  contractor: z.string(),
  states: z.array(z.string().regex(/^[A-Z]{2}$/)),
  /** The contractor's self-administered drug exclusion article. */
  sadArticle: ArticleId.nullable(),
  source: SourceId,
});
export type MacJurisdiction = z.infer<typeof MacJurisdiction>;

/** A billing-and-coding article of the Medicare Coverage Database: its drugs, the diagnoses that support them, and how they pair. */
export const Article = z.strictObject({
  id: ArticleId,
  version: z.number().int().positive().nullable(),
  title: z.string(),
  contractor: z.string(),
  states: z.array(z.string().regex(/^[A-Z]{2}$/)),
  /** The jurisdictions it binds: those of its contractor among its states (the MAC table's). */
  jurisdictions: z.array(z.string()),
  effective: isoDate.nullable(),
  /** Covered and non-covered ICD-10-CM codes by group (dotless). */
  covered: z.record(z.string().regex(/^\d+$/), z.array(Icd10)),
  noncovered: z.record(z.string().regex(/^\d+$/), z.array(Icd10)),
  pairings: z.array(z.strictObject({ codes: z.array(z.string()), groups: z.array(z.number().int()), basis: z.enum(['stated', 'single-group', 'union']) })),
  together: z.array(z.array(z.number().int())),
  notAlone: z.array(z.number().int()),
  requirements: z.array(z.strictObject({ group: z.number().int(), atLeast: z.number().int().positive(), mustInclude: z.array(Icd10) })),
  phrasings: z.array(z.strictObject({ group: z.number().int(), phrasing: z.string() })),
  source: SourceId,
});
export type Article = z.infer<typeof Article>;

/** A MAC's self-administered drug exclusion list (an article): complete, or a partial slice of it. */
export const SadList = z.strictObject({
  article: ArticleId,
  mac: z.string(),
  jurisdictions: z.array(z.string()),
  effective: isoDate.nullable(),
  /** False for a partial slice: a code it does not list is not known to be covered. */
  complete: z.boolean(),
  codes: z.number().int().nonnegative(),
  source: SourceId,
});
export type SadList = z.infer<typeof SadList>;

/** A drug on a SAD list: the article, and the route the exclusion is for (IV_OR_SC: intravenous use covered, subcutaneous excluded). */
export const SadEntry = z.strictObject({ article: ArticleId, route: z.string(), description: z.string() });
export type SadEntry = z.infer<typeof SadEntry>;

export const Code = z.strictObject({
  hcpcs: HCPCS,
  /** In the default covered set (audited with --codes covered). */
  covered: z.boolean(),
  longDescriptor: SourcedText,
  shortDescriptor: SourcedText,
  /**
   * The billing unit when no quarter's is known: the HCPCS 2020 descriptor's, else the latest
   * ASP dosage. Null when neither could be read.
   */
  billingUnit: BillingUnit.nullable(),
  /** The billing unit by quarter (ASP pricing files); billingUnitOn() picks the service date's. */
  billingUnits: z.array(QuarterUnit),
  added: SourcedDate,
  actionEffective: SourcedDate,
  terminated: SourcedDate,
  container: Container,
  packages: z.array(Package),
  selfAdministered: z.strictObject({ value: z.boolean().nullable(), ...sourced }),
  /** ASP payment limit by quarter: professional claims. */
  aspPrices: z.array(AspPrice),
  /** OPPS Addendum B status and rate by quarter: outpatient hospital claims. */
  prices: z.array(Price),
  coveredDiagnoses: z.array(CoveredDiagnosis),
  priorAuthorization: z.array(PriorAuthorization),
  frequencyLimits: z.array(FrequencyLimit),
  /** MUE values by table (setting and effective date). */
  mue: z.array(Mue),
  /** On CMS's JW/JZ policy list, or null. */
  jwJz: JwJzListing.nullable(),
  /** What the web articles this product was specified from claimed, where they were wrong. */
  articleClaim: z.string().optional(),
});
export type Code = z.infer<typeof Code>;

export const ModifierCategory = z.enum(['drug', 'anatomic', 'procedure', 'payment', 'distinct-service', 'liability', 'coverage', 'other']);
export type ModifierCategory = z.infer<typeof ModifierCategory>;

export const Modifier = z.strictObject({
  code: z.string().regex(/^[A-Z0-9]{2}$/),
  /** CMS descriptor for HCPCS Level II modifiers; null for CPT modifiers (AMA text is not carried). */
  descriptor: z.string().nullable(),
  added: isoDate.nullable(),
  terminated: isoDate.nullable(),
  category: ModifierCategory,
  source: SourceId,
});
export type Modifier = z.infer<typeof Modifier>;

export const PACK_FORMAT = 'claim-audit-pack';

export const PACK_FORMAT_VERSION = 3;

export const Pack = z.strictObject({
  format: z.literal(PACK_FORMAT),
  formatVersion: z.literal(PACK_FORMAT_VERSION),
  version: z.string().min(1),
  sources: z.array(Source),
  /** The CMS files it was built from, with their sha256. */
  sourceFiles: z.array(SourceFile),
  codes: z.record(HCPCS, Code),
  modifiers: z.record(z.string(), Modifier),
  /** 11-digit NDC → the codes the ASP crosswalk assigns it to, by quarter. */
  ndcs: z.record(z.string().regex(/^\d{11}$/), z.array(NdcListing)),
  /** The A/B MAC jurisdictions: state → contractor. */
  macs: z.array(MacJurisdiction),
  /** Billing-and-coding articles by id. */
  articles: z.record(ArticleId, Article),
  /** Self-administered drug exclusion lists by article, and their drugs by code. */
  sadLists: z.record(ArticleId, SadList),
  sad: z.record(HCPCS, z.array(SadEntry)),
});
export type Pack = z.infer<typeof Pack>;

/** A user pack merged over the default: codes and modifiers are replaced field by field. */
export const PackOverlay = z.strictObject({
  format: z.literal(PACK_FORMAT),
  // Version 2 overlays still merge: the fields they name are validated in this version's shape.
  formatVersion: z.union([z.literal(2), z.literal(PACK_FORMAT_VERSION)]),
  version: z.string().min(1),
  sources: z.array(Source).optional(),
  codes: z.record(HCPCS, Code.partial()).optional(),
  modifiers: z.record(z.string(), Modifier.partial()).optional(),
});
export type PackOverlay = z.infer<typeof PackOverlay>;

/**
 * The pack as committed: two-space JSON with a final newline, but one line per code, modifier and
 * NDC (some 10,000 records: line-by-line diffs, half the size, and half the time to parse at
 * every start). Its sha256 is the pack hash.
 */
export function serializePack(pack: Pack): string {
  const { codes, modifiers, ndcs, articles, sadLists, sad, ...head } = pack;
  const section = (name: string, records: Record<string, unknown>) => {
    const lines = Object.entries(records).map(([key, value]) => `    ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
    return `  ${JSON.stringify(name)}: ${lines.length === 0 ? '{}' : `{\n${lines.join(',\n')}\n  }`}`;
  };
  const top = JSON.stringify(head, null, 2);
  return `${top.slice(0, -2)},\n${[section('codes', codes), section('modifiers', modifiers), section('ndcs', ndcs), section('articles', articles), section('sadLists', sadLists), section('sad', sad)].join(',\n')}\n}\n`;
}
