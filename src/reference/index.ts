// The reference data a run uses: the pack (default or merged with --pack), the MUE table,
// the NDC crosswalk and the payer-class policies, loaded and validated up front.
import type { Setting } from '../model/index.js';
import type { Pack } from './schema.js';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TOOL_VERSION } from '../version.js';
import { FileReadError, readBoundedFile } from '../model/files.js';
import { buildPack, listFiles, readCmsFiles } from './build.js';
import { defaultPackWithHash, internPack, loadPackOverlay, mergeBuiltPack, PackError, packHash, trustedPack } from './pack.js';
import { PACK_FORMAT_VERSION, serializePack } from './schema.js';
import { loadCrosswalk, loadMue, type Crosswalk, type MueTable } from './overlays.js';
import { applyProfile, DEFAULT_POLICIES, loadProfile, type Policies } from './profiles.js';
import { NOC_CODES } from './curated.js';

export interface Reference {
  pack: Pack;
  hash: string;
  packFile: string | null;
  /** The MUE tables given, at most one a setting (practitioner, outpatient hospital, DME). */
  mue: MueTable[];
  crosswalk: Crosswalk | null;
  policies: Policies;
  profileFile: string | null;
  /** Billing NPIs the profile names 340B covered entities (sorted). */
  entities340B: readonly string[];
}

export interface ReferenceFiles {
  /** --reference: folders of CMS files built into a pack at start and merged over the default. */
  reference?: readonly string[] | undefined;
  /** Where packs built from --reference are kept, by the files' content hash (none: built every time). */
  cacheDir?: string | undefined;
  pack?: string | undefined;
  mue?: readonly string[] | undefined;
  crosswalk?: string | undefined;
  profile?: string | undefined;
}

/**
 * The pack built from the CMS files in the --reference folders, from the cache when the same
 * files (by content) were built before. A folder with no CMS file this builder knows is a
 * configuration error: an audit must not run on yesterday's figures believing they are today's.
 */
function builtPack(folders: readonly string[], cacheDir: string | undefined): Pack {
  for (const folder of folders) if (!existsSync(folder)) throw new PackError(`--reference ${folder}: no such folder`);
  const files = listFiles(folders);
  const key = createHash('sha256').update(`${TOOL_VERSION}\n${PACK_FORMAT_VERSION}\n`);
  // A file that is not read (a FIFO, a device, over the size cap) counts by what is said of it.
  const hashOf = (path: string) => {
    try {
      return createHash('sha256').update(readBoundedFile(path, 'reference file')).digest('hex');
    } catch (error) {
      if (error instanceof FileReadError) return `unread ${error.message}`;
      throw error;
    }
  };
  for (const hash of files.map((f) => hashOf(f.path)).sort()) key.update(`${hash}\n`);
  const cached = cacheDir ? join(cacheDir, `reference-${key.digest('hex').slice(0, 24)}.json`) : null;
  if (cached && existsSync(cached)) {
    try {
      return trustedPack(JSON.parse(readFileSync(cached, 'utf8')), cached);
    } catch {
      // A damaged cache entry is built again.
    }
  }
  const read = readCmsFiles(folders);
  const used = read.filter((f) => f.kind !== 'unknown' && f.report.rowsUsed > 0);
  if (used.length === 0) throw new PackError(`--reference ${folders.join(', ')}: no CMS file this program knows (ASP pricing, ASP crosswalk, OPPS Addendum B, HCPCS) among ${files.length} files`);
  const { pack } = buildPack(read);
  if (cached) {
    mkdirSync(dirname(cached), { recursive: true });
    const temp = `${cached}.${process.pid}.tmp`;
    writeFileSync(temp, serializePack(pack));
    renameSync(temp, cached);
  }
  return pack;
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
 * for hospital outpatient and CAH claims (MUEs are not applied to inpatient, RHC, FQHC or ESRD
 * claims, whose drugs are bundled). The DME table is for claims to a DME MAC, which the claim itself does not show, so no
 * line uses it yet.
 */
export function mueTableFor(reference: Reference, setting: Setting): MueTable | null {
  const kind = MUE_TABLE_OF[setting];
  return kind === null ? null : (reference.mue.find((t) => t.kind === kind) ?? null);
}

/** The MUE table each setting's claims are edited by: practitioner for the office, outpatient hospital for 13x and CAH (85x); none elsewhere. */
const MUE_TABLE_OF: Record<Setting, 'practitioner' | 'outpatient-hospital' | null> = {
  professional: 'practitioner',
  'outpatient-hospital': 'outpatient-hospital',
  cah: 'outpatient-hospital',
  inpatient: null,
  rhc: null,
  fqhc: null,
  esrd: null,
  other: null,
};

/** Throws PackError (a configuration error, exit 2) with the file and what is wrong. */
export function loadReference(files: ReferenceFiles = {}): Reference {
  const base = defaultPackWithHash();
  const refreshed = files.reference && files.reference.length > 0 ? internPack(mergeBuiltPack(base.pack, builtPack(files.reference, files.cacheDir))) : base.pack;
  const pack = files.pack ? loadPackOverlay(refreshed, files.pack) : refreshed;
  const profile = files.profile ? loadProfile(files.profile) : null;
  return {
    pack,
    hash: pack === base.pack ? base.hash : packHash(pack),
    packFile: files.pack ?? null,
    mue: loadMueTables(files.mue ?? []),
    crosswalk: files.crosswalk ? loadCrosswalk(files.crosswalk) : null,
    policies: profile ? applyProfile(DEFAULT_POLICIES, profile) : DEFAULT_POLICIES,
    profileFile: files.profile ?? null,
    entities340B: [...new Set(profile?.coveredEntities340B ?? [])].sort(),
  };
}

/**
 * Codes audited with --codes covered (the default): every drug code the pack prices (an ASP
 * payment limit or an OPPS rate in some quarter), the codes the web articles named, and the
 * not-otherwise-classified drug codes (J3490, J9999…), which no fee schedule lists.
 */
export function coveredCodes(pack: Pack): Set<string> {
  return new Set([...pricedCodes(pack), ...NOC_CODES]);
}

/** The drug codes of the pack that CMS prices, or that the web articles named. */
export function pricedCodes(pack: Pack): Set<string> {
  return new Set(Object.values(pack.codes).filter((c) => c.covered || c.aspPrices.length > 0 || c.prices.some((p) => p.paymentPerUnit !== null)).map((c) => c.hcpcs));
}

/** --codes articles: the 20 codes the web articles named, and the real codes they meant. */
export function articleCodes(pack: Pack): Set<string> {
  return new Set(Object.values(pack.codes).filter((c) => c.covered).map((c) => c.hcpcs));
}

export { PackError } from './pack.js';
