// Every CMS file kind the pack builder knows, as descriptors ({ kinds, name, detect, parse,
// gather }), in the order a file is tried against them: most specific first. Adding a kind is
// its descriptor file here and its place in this list (CONTRIBUTING.md, "A CMS file kind").
import { ADDENDUM_B, ADDENDUM_B_EXTRACT, ADDENDUM_B_HISTORY } from './addendum-b.js';
import { ASP_CROSSWALK } from './asp-crosswalk.js';
import { ASP_PRICING } from './asp-pricing.js';
import { HCPCS_FILE } from './hcpcs.js';
import { JWJZ_LIST } from './jwjz.js';
import { MAC_JURISDICTIONS } from './mac.js';
import { MCD_TABLES } from './mcd.js';
import { MUE_TABLE } from './mue.js';
import { SAD_LIST } from './sad.js';
import type { CmsTable } from './table.js';
import type { CmsFileKind } from './types.js';

export const CMS_KINDS: readonly CmsTable[] = [ASP_PRICING, ASP_CROSSWALK, ADDENDUM_B, ADDENDUM_B_EXTRACT, ADDENDUM_B_HISTORY, HCPCS_FILE, MUE_TABLE, MCD_TABLES, SAD_LIST, MAC_JURISDICTIONS, JWJZ_LIST];

/** The descriptor that reads a kind (its gather; the kinds one descriptor reads share it). */
const BY_KIND = new Map<CmsFileKind, CmsTable>();
for (const table of CMS_KINDS) for (const kind of table.kinds) if (!BY_KIND.has(kind)) BY_KIND.set(kind, table);
export const descriptorOf = (kind: CmsFileKind): CmsTable | undefined => BY_KIND.get(kind);

/** Every kind's name, for the note of a file none recognises. */
export const KIND_NAMES: readonly string[] = [...new Set(CMS_KINDS.map((t) => t.name.replace(/ \(.*\)$/, '')))];
