// The reference data a run uses: the pack (default or merged with --pack), the MUE table,
// the NDC crosswalk and the payer-class policies, loaded and validated up front.
import type { Pack } from './schema.js';
import { defaultPackWithHash, loadPackOverlay, packHash } from './pack.js';
import { loadCrosswalk, loadMue, type Crosswalk, type MueTable } from './overlays.js';
import { applyProfile, DEFAULT_POLICIES, loadProfile, type Policies } from './profiles.js';

export interface Reference {
  pack: Pack;
  hash: string;
  packFile: string | null;
  mue: MueTable | null;
  crosswalk: Crosswalk | null;
  policies: Policies;
  profileFile: string | null;
}

export interface ReferenceFiles {
  pack?: string | undefined;
  mue?: string | undefined;
  crosswalk?: string | undefined;
  profile?: string | undefined;
}

/** Throws PackError (a configuration error, exit 2) with the file and what is wrong. */
export function loadReference(files: ReferenceFiles = {}): Reference {
  const base = defaultPackWithHash();
  const pack = files.pack ? loadPackOverlay(base.pack, files.pack) : base.pack;
  return {
    pack,
    hash: files.pack ? packHash(pack) : base.hash,
    packFile: files.pack ?? null,
    mue: files.mue ? loadMue(files.mue) : null,
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
