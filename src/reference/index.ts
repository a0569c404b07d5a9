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
import { defaultPackWithHash, internPack, jurisdictionOf, MUE_SETTING, loadPackOverlay, mergeBuiltPack, PackError, packHash, trustedPack } from './pack.js';
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
  /** --mac, else the profile's mac: the A/B MAC (a jurisdiction like J6, or a state) of claims whose billing provider's state is unknown. */
  mac: string | null;
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
  /** --mac: a jurisdiction (J6) or a state (WI). */
  mac?: string | undefined;
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
  const kind = MUE_SETTING[setting];
  return kind === null ? null : (reference.mue.find((t) => t.kind === kind) ?? null);
}

/** --mac or the profile's mac, checked against the pack's jurisdictions: a jurisdiction or a state it knows. */
function macSetting(pack: Pack, value: string | null, where: string): string | null {
  if (value === null) return null;
  const known = jurisdictionOf(pack, value);
  if (!known) throw new PackError(`${where}: mac ${JSON.stringify(value)} is neither an A/B MAC jurisdiction (${pack.macs.map((m) => m.jurisdiction).join(', ') || 'none in the pack'}) nor a state one serves`);
  return value.trim().toUpperCase();
}

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
    mac: macSetting(pack, files.mac ?? profile?.mac ?? null, files.mac ? '--mac' : `profile ${files.profile}`),
  };
}

/**
 * Codes audited with --codes covered (the default): every drug code the pack prices (an ASP
 * payment limit or an OPPS rate in some quarter), the codes the web articles named, the
 * not-otherwise-classified drug codes (J3490, J9999…), which no fee schedule lists, and the
 * drugs on CMS's JW/JZ list and on the MACs' self-administered drug lists.
 */
export function coveredCodes(pack: Pack): Set<string> {
  // The drugs of CMS's JW/JZ list and of the MACs' SAD lists, even where no ASP file prices them.
  const listed = Object.values(pack.codes).filter((c) => c.jwJz !== null).map((c) => c.hcpcs);
  return new Set([...pricedCodes(pack), ...NOC_CODES, ...listed, ...Object.keys(pack.sad)]);
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
