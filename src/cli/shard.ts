// The sharded run's steps on the command line: map, reduce and merge (exec/sharded/). The map
// steps record the options the rules depend on in the work folder's plan; reduce and merge load
// the same reference from there, and refuse to go on if its files changed since.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { detectFormat } from '../ingest/index.js';
import { resolve } from 'node:path';
import { resolveInputs, type InputFile } from '../ingest/inputs.js';
import type { ReferenceFiles } from '../reference/index.js';
import { bucketCount } from '../exec/local/groups.js';
import { shardedExecutor } from '../exec/sharded/index.js';
import { claimPlan, planUnits, readPlan, WORK_FORMAT, WorkError, workPaths, type WorkInput, type WorkPlan } from '../exec/sharded/plan.js';
import { mapShard, reduceBucket, removeStaleSteps } from '../exec/sharded/steps.js';
import type { StageOptions } from '../stages.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { SHARD_ENV, type Command, type ShardSpec, type StageArgs } from './args.js';
import { auditAndPrint, formatIssue, plural, stageSetup, type Io, type RunContext } from './audit-run.js';
import { escapeTerminal } from './terminal.js';

type MapCommand = Extract<Command, { command: 'map' }>;
type ReduceCommand = Extract<Command, { command: 'reduce' }>;
type MergeCommand = Extract<Command, { command: 'merge' }>;

/** What the map steps record of the options (absolute paths): reduce and merge load the reference from it. */
interface ShardSettings extends StageArgs {
  inputs: string[];
  reference: { reference?: string[]; pack?: string; mue?: string[]; crosswalk?: string; profile?: string; mac?: string };
  /** The reference files as the user named them, for the manifest (a single run shows them so). */
  given: { pack?: string; mue?: string[]; crosswalk?: string; profile?: string };
}

const say = (io: Io, text: string) => io.stderr(`${TOOL_NAME}: ${escapeTerminal(text)}\n`);

/** The shard index: given, or from the job runner's environment (0-based, below N). */
function shardIndex(spec: ShardSpec, io: Io): number {
  if (spec.index !== 'env') return spec.index;
  const env = io.env ?? process.env;
  const name = SHARD_ENV.find((n) => env[n] !== undefined && env[n] !== '');
  if (name === undefined) throw new WorkError(`--shard-from-env: none of ${SHARD_ENV.join(', ')} is set: run this step as an indexed or array job, or give --shard K/N`, 2);
  const value = env[name]!;
  const index = Number(value);
  if (!/^\d+$/.test(value) || index >= spec.count) throw new WorkError(`--shard-from-env: ${name}=${value}, but shards run from 0 to ${spec.count - 1} (--shards ${spec.count}); submit the array as 0-${spec.count - 1}`, 2);
  return index;
}

const sha256File = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function absoluteSettings(stage: StageArgs, inputs: string[], files: ReferenceFiles, cwd: string): ShardSettings {
  const abs = (p: string) => resolve(cwd, p);
  const reference: ShardSettings['reference'] = {};
  if (files.reference?.length) reference.reference = files.reference.map(abs);
  if (files.pack) reference.pack = abs(files.pack);
  if (files.mue?.length) reference.mue = files.mue.map(abs);
  if (files.crosswalk) reference.crosswalk = abs(files.crosswalk);
  if (files.profile) reference.profile = abs(files.profile);
  if (files.mac) reference.mac = files.mac;
  // A layout name stays a name; a mapping file is named by its absolute path.
  const csvProfile = stage.csvProfile !== null && existsSync(abs(stage.csvProfile)) ? abs(stage.csvProfile) : stage.csvProfile;
  const given: ShardSettings['given'] = {};
  if (files.pack) given.pack = files.pack;
  if (files.mue?.length) given.mue = [...files.mue];
  if (files.crosswalk) given.crosswalk = files.crosswalk;
  if (files.profile) given.profile = files.profile;
  return { ...stage, csvProfile, inputs, reference, given };
}

/** The settings' reference loaded (packs from --reference cached in the work folder), and the fingerprint of everything the stages depend on. */
function loadSettings(settings: ShardSettings, work: string, io: Io): { options: Omit<StageOptions, 'failOn' | 'suppressions'>; fingerprint: string } | 2 {
  const r = settings.reference;
  const setup = stageSetup({ reference: r.reference, pack: r.pack, mue: r.mue, crosswalk: r.crosswalk, profile: r.profile, mac: r.mac, cacheDir: workPaths(work).cache }, settings.codesOption, settings.csvProfile, io);
  if (setup === 2) return 2;
  // The pack's hash covers --pack and --reference; the other files by their content.
  const files = [...(r.mue ?? []), ...(r.crosswalk ? [r.crosswalk] : []), ...(r.profile ? [r.profile] : []), ...(setup.csvProfile && settings.csvProfile && existsSync(settings.csvProfile) ? [settings.csvProfile] : [])];
  // Named in the manifest as the user named them.
  const reference = setup.reference;
  reference.packFile = settings.given.pack ?? null;
  reference.profileFile = settings.given.profile ?? null;
  reference.mue.forEach((table, i) => (table.file = settings.given.mue?.[i] ?? table.file));
  if (reference.crosswalk) reference.crosswalk.file = settings.given.crosswalk ?? reference.crosswalk.file;
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ settings, pack: setup.reference.hash, files: files.map((f) => [f, sha256File(f)]) }))
    .digest('hex');
  return { options: { codes: setup.codes, reference: setup.reference, asOf: settings.asOf, phi: settings.phi, csvProfile: setup.csvProfile }, fingerprint };
}

/** reduce and merge: the work folder's plan, and its stage options loaded again (refused if their files changed since map). */
function openWork(work: string, io: Io) {
  const { plan, id } = readPlan(work);
  const loaded = loadSettings(plan.settings as unknown as ShardSettings, work, io);
  if (loaded === 2) return 2;
  if (loaded.fingerprint !== plan.fingerprint) throw new WorkError(`${workPaths(work).plan}: the reference files this run was mapped with (--pack, --reference, --mue, --ndc-crosswalk, --profile, --csv-profile) have changed since; map again into a new work folder`, 2);
  return { plan, id, options: loaded.options };
}

/** A file that may be split by byte range: X12 (by its first bytes), not compressed. */
function splittable(input: WorkInput): boolean {
  if (input.path.toLowerCase().endsWith('.gz')) return false;
  try {
    const fd = openSync(input.path, 'r');
    try {
      const head = Buffer.alloc(4096);
      return detectFormat(head.subarray(0, readSync(fd, head, 0, head.length, 0))) === 'x12';
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

async function runMap(command: MapCommand, io: Io): Promise<number> {
  const cwd = io.cwd ?? '.';
  const work = resolve(cwd, command.work);
  const shard = shardIndex(command.shard, io);
  const n = command.shard.count;
  const settings = absoluteSettings(command.stage, command.inputs, command.referenceFiles, cwd);
  const loaded = loadSettings(settings, work, io);
  if (loaded === 2) return 2;
  const { files, issues } = await resolveInputs(command.inputs, cwd, { include: command.stage.include, exclude: command.stage.exclude, skipFolders: [work] });
  const inputs: WorkInput[] = files.map((f) => {
    const stat = statSync(f.path, { throwIfNoEntry: false });
    return { path: f.path, display: f.display, explicit: f.explicit, bytes: stat?.size ?? 0, mtimeMs: stat?.mtimeMs ?? 0 };
  });
  const bytes = inputs.reduce((sum, i) => sum + i.bytes, 0);
  const gz = inputs.some((i) => i.path.toLowerCase().endsWith('.gz'));
  const plan: WorkPlan = {
    format: WORK_FORMAT,
    tool: TOOL_VERSION,
    pack: { version: loaded.options.reference.pack.version, hash: loaded.options.reference.hash },
    fingerprint: loaded.fingerprint,
    settings: settings as unknown as Record<string, unknown>,
    inputs,
    inputIssues: issues,
    units: planUnits(inputs, n, command.splitBytes, splittable),
    shards: n,
    buckets: command.buckets ?? bucketCount(bytes * (gz ? 8 : 1)),
  };
  const id = claimPlan(work, plan);
  removeStaleSteps(work, `shard-${shard}`);
  const log = (text: string) => {
    if (!command.quiet) say(io, text);
  };
  const mine = plan.units.filter((u) => u.shard === shard).length;
  log(`map ${shard}/${n}: ${plural(mine, 'unit')} of ${plan.units.length} (plan ${id}, ${plural(plan.buckets, 'bucket')})`);
  let errors = 0;
  // Every map step of the run derives the same key for member keys from the plan (the steps share no memory).
  const memberSalt = createHash('sha256').update(`claim-audit member key\u0000${id}\u0000${plan.fingerprint}`).digest('hex');
  const done = await mapShard(work, plan, id, shard, { ...loaded.options, failOn: 'error', suppressions: null, memberSalt }, {
    concurrency: command.concurrency,
    ...(io.signal ? { signal: io.signal } : {}),
    onUnit: (unit, mapped) => {
      const range = plan.units[unit]!.range;
      const unitErrors = mapped.stats.issues.filter((i) => i.severity === 'error').length + mapped.stats.issuesOmitted;
      errors += unitErrors;
      for (const issue of mapped.stats.issues.filter((i) => i.severity === 'error').slice(0, 5)) io.stderr(`${formatIssue(issue)}\n`);
      log(`map ${shard}/${n}: ${mapped.stats.file}${range ? ` (part ${range.part + 1} of ${range.parts})` : ''}: ${plural(mapped.stats.claims.read, 'claim')}, ${plural(mapped.drugLines, 'drug line')}${unitErrors > 0 ? `, ${plural(unitErrors, 'input error')}` : ''}`);
    },
  });
  const claims = done.units.reduce((sum, u) => sum + u.stats.claims.read, 0);
  const lines = done.units.reduce((sum, u) => sum + u.drugLines, 0);
  log(`map ${shard}/${n}: done: ${plural(claims, 'claim')}, ${plural(lines, 'drug line')} → ${workPaths(work).shard(shard)}${errors > 0 ? `; ${plural(errors, 'input error')}: merge reports them and exits 3` : ''}`);
  return 0;
}

function runReduce(command: ReduceCommand, io: Io): number {
  const work = resolve(io.cwd ?? '.', command.work);
  const opened = openWork(work, io);
  if (opened === 2) return 2;
  const { plan, id, options } = opened;
  let buckets: number[];
  if ('bucket' in command.buckets) buckets = [command.buckets.bucket];
  else {
    const spec = command.buckets.shard;
    const k = shardIndex(spec, io);
    buckets = Array.from({ length: plan.buckets }, (_, b) => b).filter((b) => b % spec.count === k);
  }
  for (const b of buckets) {
    io.signal?.throwIfAborted();
    removeStaleSteps(work, `bucket-${b}`);
    const done = reduceBucket(work, plan, id, b, options.reference);
    if (!command.quiet) say(io, `reduce bucket ${b} of ${plan.buckets}: ${done ? `${plural(done.count, 'line')} with cross-claim results, ${plural(done.findings, 'finding')}` : 'no group records'}`);
  }
  if (buckets.length === 0 && !command.quiet) say(io, `reduce: this run has ${plural(plan.buckets, 'bucket')}; none falls to this shard`);
  return 0;
}

async function runMerge(command: MergeCommand, io: Io, context: RunContext): Promise<number> {
  const cwd = io.cwd ?? '.';
  const work = resolve(cwd, command.work);
  const opened = openWork(work, io);
  if (opened === 2) return 2;
  const { plan, id, options } = opened;
  const settings = plan.settings as unknown as ShardSettings;
  context.outDir = command.options.outDir;
  const inputs: InputFile[] = plan.inputs.map((i) => ({ path: i.path, display: i.display, explicit: i.explicit }));
  return auditAndPrint(
    {
      ...command.options,
      inputs: settings.inputs,
      codes: options.codes,
      codesOption: settings.codesOption,
      reference: options.reference,
      asOf: settings.asOf,
      phi: settings.phi,
      csvProfile: options.csvProfile,
      include: settings.include,
      exclude: settings.exclude,
      cwd,
      sharded: { executor: shardedExecutor(work, plan, id), inputs, issues: plan.inputIssues, bytes: plan.inputs.reduce((n, i) => n + i.bytes, 0) },
    },
    command.quiet,
    io,
    context,
  );
}

/** map, reduce or merge; a WorkError is one line and its exit code (2: wrong folder or arguments; 3: a step before has not finished). */
export async function runShardStep(command: MapCommand | ReduceCommand | MergeCommand, io: Io, context: RunContext): Promise<number> {
  try {
    if (command.command === 'map') return await runMap(command, io);
    if (command.command === 'reduce') return runReduce(command, io);
    return await runMerge(command, io, context);
  } catch (error) {
    if (!(error instanceof WorkError)) throw error;
    say(io, `${command.command}: ${error.message}`);
    return error.exitCode;
  }
}

