// The reference data a run uses: the pack (default or merged with --pack), the MUE table,
// the NDC crosswalk and the payer-class policies, loaded and validated up front.
import type { Pack } from './schema.js';
import { defaultPackWithHash, loadPackOverlay, PackError, packHash } from './pack.js';
import { loadCrosswalk, loadMue, type Crosswalk, type MueTable } from './overlays.js';
import { applyProfile, DEFAULT_POLICIES, loadProfile, type Policies } from './profiles.js';

export interface Reference {
  pack: Pack;
  hash: string;
  packFile: string | null;
  /** The MUE tables given, at most one a setting (practitioner, outpatient hospital, DME). */
  mue: MueTable[];
  crosswalk: Crosswalk | null;
  policies: Policies;
  profileFile: string | null;
}

export interface ReferenceFiles {
  pack?: string | undefined;
  mue?: readonly string[] | undefined;
  crosswalk?: string | undefined;
  profile?: string | undefined;
}

/** One table a setting; a table that names no setting, or a second of one, is a configuration error. */
function loadMueTables(paths: readonly string[]): MueTable[] {
  const tables = paths.map(loadMue);
  for (const table of tables) {
    if (table.kind === 'unknown') throw new PackError(`MUE file ${table.file}: its value column names no setting (Practitioner Services, Outpatient Hospital Services or DME Supplier Services): which claims it applies to cannot be told`);
    const twin = tables.find((t) => t !== table && t.kind === table.kind);
    if (twin) throw new PackError(`MUE files ${twin.file} and ${table.file} are both ${table.kind} tables: give one a setting`);
  }
  return tables;
}

/**
 * The MUE table of a claim's setting: practitioner for professional claims, outpatient hospital
 * for 837I. The DME table is for claims to a DME MAC, which the claim itself does not show, so no
 * line uses it yet.
 */
export function mueTableFor(reference: Reference, claimType: 'professional' | 'institutional'): MueTable | null {
  const kind = claimType === 'professional' ? 'practitioner' : 'outpatient-hospital';
  return reference.mue.find((t) => t.kind === kind) ?? null;
}

/** Throws PackError (a configuration error, exit 2) with the file and what is wrong. */
export function loadReference(files: ReferenceFiles = {}): Reference {
  const base = defaultPackWithHash();
  const pack = files.pack ? loadPackOverlay(base.pack, files.pack) : base.pack;
  return {
    pack,
    hash: files.pack ? packHash(pack) : base.hash,
    packFile: files.pack ?? null,
    mue: loadMueTables(files.mue ?? []),
    crosswalk: files.crosswalk ? loadCrosswalk(files.crosswalk) : null,
    policies: files.profile ? applyProfile(DEFAULT_POLICIES, loadProfile(files.profile)) : DEFAULT_POLICIES,
    profileFile: files.profile ?? null,
  };
}

/**
 * Codes audited with --codes covered (the default): every drug code the pack prices (an ASP
 * payment limit or an OPPS rate in some quarter), and the codes the web articles named.
 */
export function coveredCodes(pack: Pack): Set<string> {
  return new Set(Object.values(pack.codes).filter((c) => c.covered || c.aspPrices.length > 0 || c.prices.some((p) => p.paymentPerUnit !== null)).map((c) => c.hcpcs));
}

/** --codes articles: the 20 codes the web articles named, and the real codes they meant. */
export function articleCodes(pack: Pack): Set<string> {
  return new Set(Object.values(pack.codes).filter((c) => c.covered).map((c) => c.hcpcs));
}

export { PackError } from './pack.js';
