// The sharded executor's work folder: a folder every step of one run shares (a mounted volume),
// and the plan that says what the run is. Every step computes the plan from what it was given
// and the folder's work.json must say the same: the first step to arrive writes it (created
// once, never replaced), and a step given other inputs, options, pack or shard count is refused
// rather than mixed into someone else's run.
//
//   work.json                         the plan (below)
//   map/shard-<k>/                    shard k's output: done.json, and per unit its line entries
//                                     (unit-<u>.entries) and group records by bucket
//   reduce/bucket-<b>.json            what a reduce said of bucket b (+ bucket-<b>.results)
//   cache/                            reference packs built from --reference folders
//   tmp/                              each step's files while it runs, renamed into place at the end
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { IngestIssue } from '../../model/index.js';
import { TOOL_VERSION } from '../../version.js';

export const WORK_FORMAT = 'claim-audit-work/1';

/** A step that cannot go on: exit 2 (the work folder or the arguments are wrong) or 3 (a step before it has not finished). */
export class WorkError extends Error {
  constructor(
    message: string,
    readonly exitCode: 2 | 3,
  ) {
    super(message);
  }
}

export interface WorkInput {
  /** Absolute path, as every step opens it (the shared volume's path must be the same everywhere). */
  path: string;
  display: string;
  explicit: boolean;
  bytes: number;
  mtimeMs: number;
}

/**
 * A unit of map work: a whole input file, or a byte range of a large X12 file that starts at an
 * interchange (`start`, `end`: nominal offsets; the reader moves each to the next ISA).
 */
export interface WorkUnit {
  input: number;
  /** Byte range (nominal), or null: the whole file. */
  range: { start: number; end: number; part: number; parts: number } | null;
  /** The shard that maps it. */
  shard: number;
}

export interface WorkPlan {
  format: typeof WORK_FORMAT;
  tool: string;
  pack: { version: string; hash: string };
  /** A hash of every setting and reference file the stages depend on (the CLI computes it). */
  fingerprint: string;
  /** The settings the fingerprint covers, as the CLI wrote them: reduce and merge load the same reference from them. */
  settings: Record<string, unknown>;
  inputs: WorkInput[];
  inputIssues: IngestIssue[];
  units: WorkUnit[];
  shards: number;
  buckets: number;
}

export const workPaths = (work: string) => ({
  plan: join(work, 'work.json'),
  map: join(work, 'map'),
  shard: (k: number) => join(work, 'map', `shard-${k}`),
  reduce: join(work, 'reduce'),
  bucket: (b: number) => join(work, 'reduce', `bucket-${b}.json`),
  bucketResults: (b: number) => join(work, 'reduce', `bucket-${b}.results`),
  cache: join(work, 'cache'),
  tmp: join(work, 'tmp'),
});

/** The plan's identity: a hash of all of it. Every file a step writes carries it. */
export const planId = (plan: WorkPlan): string => createHash('sha256').update(JSON.stringify(plan)).digest('hex').slice(0, 16);

/** Units from the inputs: a file each, and an X12 file over `splitBytes` in ranges of about that size. */
export function planUnits(inputs: readonly WorkInput[], shards: number, splitBytes: number, splittable: (input: WorkInput) => boolean): WorkUnit[] {
  const units: Array<Omit<WorkUnit, 'shard'> & { bytes: number }> = [];
  inputs.forEach((input, index) => {
    const parts = splittable(input) && input.bytes > splitBytes ? Math.ceil(input.bytes / splitBytes) : 1;
    if (parts === 1) units.push({ input: index, range: null, bytes: input.bytes });
    else for (let part = 0; part < parts; part++) units.push({ input: index, range: { start: Math.floor((input.bytes * part) / parts), end: Math.floor((input.bytes * (part + 1)) / parts), part, parts }, bytes: Math.ceil(input.bytes / parts) });
  });
  // Largest first, each to the shard with the fewest bytes so far (the lowest index on a tie).
  const load = Array.from({ length: shards }, () => 0);
  const shardOf = new Map<number, number>();
  [...units.keys()]
    .sort((a, b) => units[b]!.bytes - units[a]!.bytes || a - b)
    .forEach((u) => {
      let best = 0;
      for (let k = 1; k < shards; k++) if (load[k]! < load[best]!) best = k;
      load[best]! += units[u]!.bytes;
      shardOf.set(u, best);
    });
  return units.map(({ input, range }, u) => ({ input, range, shard: shardOf.get(u)! }));
}

/** The options behind the settings the CLI records, by key, for messages. */
const SETTING_NAMES: Record<string, string> = { codesOption: '--codes', asOf: '--as-of', phi: '--phi', csvProfile: '--csv-profile', include: '--include', exclude: '--exclude', inputs: 'inputs', reference: 'reference files (--pack, --reference, --mue, --ndc-crosswalk, --profile)' };

/** What differs between the work folder's plan and this step's, in words. */
function difference(found: WorkPlan, mine: WorkPlan): string {
  if (found.format !== mine.format || found.tool !== mine.tool) return `it was planned by claim-audit ${found.tool} (this is ${mine.tool})`;
  if (found.pack.hash !== mine.pack.hash) return `it was planned with reference pack ${found.pack.version} (sha256 ${found.pack.hash.slice(0, 12)}); this step has ${mine.pack.version} (sha256 ${mine.pack.hash.slice(0, 12)})`;
  if (found.shards !== mine.shards) return `it was planned for ${found.shards} shards, not ${mine.shards}`;
  if (found.fingerprint !== mine.fingerprint) {
    const differs = Object.keys({ ...found.settings, ...mine.settings }).filter((key) => JSON.stringify(found.settings[key]) !== JSON.stringify(mine.settings[key]));
    if (differs.length === 0) return 'the reference files it was planned with (--pack, --reference, --mue, --ndc-crosswalk, --profile, --csv-profile) have changed since';
    return `it was planned with other ${differs.map((key) => SETTING_NAMES[key] ?? key).join(', ')} (${differs.map((key) => `${JSON.stringify(found.settings[key]) ?? 'none'} then`).join('; ')})`;
  }
  if (found.inputs.length !== mine.inputs.length) return `it was planned for ${found.inputs.length} input files; this step finds ${mine.inputs.length}`;
  const changed = found.inputs.findIndex((input, i) => JSON.stringify(input) !== JSON.stringify(mine.inputs[i]));
  if (changed >= 0) {
    const [a, b] = [found.inputs[changed]!, mine.inputs[changed]!];
    return a.path !== b.path ? `its input ${changed + 1} is ${a.display}, not ${b.display}` : `${a.display} changed since it was planned (${a.bytes} bytes then, ${b.bytes} now, or a newer modification time)`;
  }
  return 'its plan differs from this step’s (buckets or split size)';
}

/**
 * Makes `plan` the work folder's plan, or checks it is already: the first step writes work.json
 * (a hard link of a finished temporary file: created whole, once, even on NFS); any other must
 * find the same plan there. Returns its id.
 */
export function claimPlan(work: string, plan: WorkPlan): string {
  const paths = workPaths(work);
  mkdirSync(paths.tmp, { recursive: true, mode: 0o700 });
  if (!existsSync(paths.plan)) {
    const temp = join(paths.tmp, `work.json.${process.pid}.${randomBytes(4).toString('hex')}`);
    writeFileSync(temp, `${JSON.stringify(plan, null, 1)}\n`);
    try {
      linkSync(temp, paths.plan);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(temp, { force: true });
    }
  }
  const found = readPlan(work);
  if (found.id !== planId(plan)) throw new WorkError(`${paths.plan}: this work folder belongs to another run: ${difference(found.plan, plan)}; use a new --work folder for a new run`, 2);
  return found.id;
}

/** The work folder's plan (reduce and merge), or a WorkError when there is none or it is not one. */
export function readPlan(work: string): { plan: WorkPlan; id: string } {
  const path = workPaths(work).plan;
  let plan: WorkPlan;
  try {
    plan = JSON.parse(readFileSync(path, 'utf8')) as WorkPlan;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new WorkError(`${work}: no work.json: not a work folder, or no map step has started in it yet`, existsSync(work) ? 3 : 2);
    throw new WorkError(`${path}: not a claim-audit work plan (${code ?? 'not JSON'})`, 2);
  }
  if (plan?.format !== WORK_FORMAT) throw new WorkError(`${path}: not a claim-audit work plan of this version (format ${JSON.stringify(plan?.format)})`, 2);
  if (plan.tool !== TOOL_VERSION) throw new WorkError(`${path}: planned by claim-audit ${plan.tool}; this is ${TOOL_VERSION}: every step of a run must be the same version`, 2);
  return { plan, id: planId(plan) };
}

/** A fresh private folder under tmp/ for one step. */
export function stepTemp(work: string, name: string): string {
  const dir = join(workPaths(work).tmp, `${name}.${process.pid}.${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/**
 * Puts a finished folder in place of `target`, replacing what an earlier attempt left there: the
 * old one is renamed aside first (a folder cannot be renamed over a non-empty one), then removed.
 */
export function replaceFolder(finished: string, target: string): void {
  const aside = `${finished}.old`;
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  let moved = false;
  try {
    renameSync(target, aside);
    moved = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  renameSync(finished, target);
  if (moved) rmSync(aside, { recursive: true, force: true });
}

/** Writes a small JSON file under a temporary name beside it and renames it into place. */
export function writeJsonAtomic(path: string, value: unknown): void {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(temp, `${JSON.stringify(value)}\n`);
  renameSync(temp, path);
}
