// Command-line parsing: argv → a command with validated options, or a UsageError (exit 2).
import { resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_FORMATS, REPORT_FORMATS, type AuditOptions, type ReportFormat } from '../audit.js';
import { HCPCS_CODE, parseCodeSelection } from '../ingest/select.js';
import type { ReferenceFiles } from '../reference/index.js';
import { nearest } from './suggest.js';

export class UsageError extends Error {}

/** Everything but what needs the reference data loaded (the code selection and the reference itself). */
export type ParsedAuditOptions = Omit<AuditOptions, 'codes' | 'reference' | 'csvProfile'>;

export type Command =
  | { command: 'audit'; options: ParsedAuditOptions; referenceFiles: ReferenceFiles; quiet: boolean; csvProfile: string | null }
  | { command: 'rules'; ruleId: string | null; wide: boolean; markdown: boolean }
  | { command: 'codes'; referenceFiles: ReferenceFiles; diffArticles: boolean; coverage: boolean; asOf: string | null; codes: string[] }
  | { command: 'pack-build'; inputs: string[]; out: string }
  | { command: 'suppressions-prune'; file: string | null; out: string }
  | { command: 'suppressions-add'; file: string | null; out: string; entry: Record<string, string> }
  | { command: 'suppressions-from-worklist'; file: string | null; out: string; worklist: string; owner: string | null; expires: string | null }
  | { command: 'map'; work: string; shard: ShardSpec; inputs: string[]; stage: StageArgs; referenceFiles: ReferenceFiles; concurrency: number; buckets: number | null; splitBytes: number; quiet: boolean }
  | { command: 'reduce'; work: string; buckets: { bucket: number } | { shard: ShardSpec }; quiet: boolean }
  | { command: 'merge'; work: string; options: Omit<ParsedAuditOptions, 'inputs' | 'codesOption' | 'asOf' | 'phi' | 'include' | 'exclude'>; quiet: boolean }
  | { command: 'help'; topic: string | null }
  | { command: 'remits'; inputs: string[]; history: string; out: string | null; since: string | null; quiet: boolean }
  | { command: 'version' };

/** Which shard a step is: k of n (0-based), or k from the job runner's environment. */
export interface ShardSpec {
  index: number | 'env';
  count: number;
}

/** The options the stages depend on: fixed by the map steps, recorded in the work folder. */
export interface StageArgs {
  codesOption: string;
  asOf: string | null;
  phi: 'masked' | 'full';
  csvProfile: string | null;
  include: string[];
  exclude: string[];
}

/** Where a step of a sharded run takes its shard index from, in this order: a Kubernetes Indexed Job, an AWS Batch array job, a Slurm job array. */
export const SHARD_ENV = ['JOB_COMPLETION_INDEX', 'AWS_BATCH_JOB_ARRAY_INDEX', 'SLURM_ARRAY_TASK_ID'] as const;

/** Files over this size are split by byte range for the map steps (X12 only; --split-mb). */
export const DEFAULT_SPLIT_MB = 512;

const OPTIONS = {
  out: { type: 'string' },
  format: { type: 'string' },
  codes: { type: 'string' },
  'as-of': { type: 'string' },
  concurrency: { type: 'string' },
  'memory-budget': { type: 'string' },
  'fail-on': { type: 'string' },
  phi: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  pack: { type: 'string' },
  reference: { type: 'string', multiple: true },
  mue: { type: 'string', multiple: true },
  'ndc-crosswalk': { type: 'string' },
  profile: { type: 'string' },
  'csv-profile': { type: 'string' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  excel: { type: 'boolean' },
  'read-pipes': { type: 'boolean' },
  'diff-articles': { type: 'boolean' },
  coverage: { type: 'boolean' },
  mac: { type: 'string' },
  history: { type: 'string' },
  since: { type: 'string' },
  'keep-runs': { type: 'string' },
  suppressions: { type: 'string' },
  'worklist-notes': { type: 'string' },
  remits: { type: 'string', multiple: true },
  'fail-on-scope': { type: 'string' },
  'from-worklist': { type: 'string' },
  finding: { type: 'string' },
  rule: { type: 'string' },
  code: { type: 'string' },
  payer: { type: 'string' },
  provider: { type: 'string' },
  claim: { type: 'string' },
  reason: { type: 'string' },
  owner: { type: 'string' },
  expires: { type: 'string' },
  work: { type: 'string' },
  shard: { type: 'string' },
  shards: { type: 'string' },
  'shard-from-env': { type: 'boolean' },
  bucket: { type: 'string' },
  buckets: { type: 'string' },
  'split-mb': { type: 'string' },
  wide: { type: 'boolean' },
  markdown: { type: 'boolean' },
} as const;

/** The options of an audit (docs/cli.md's option table is tested against them); the rest belong to sub-commands. */
export const AUDIT_OPTION_NAMES: readonly string[] = Object.keys(OPTIONS).filter((name) => !['help', 'version', 'wide', 'markdown', 'diff-articles', 'coverage', 'from-worklist', 'finding', 'rule', 'code', 'payer', 'provider', 'claim', 'reason', 'owner', 'expires', 'work', 'shard', 'shards', 'shard-from-env', 'bucket', 'buckets', 'split-mb'].includes(name));

/** Options of the sharded steps only. */
const SHARD_OPTIONS = ['work', 'shard', 'shards', 'shard-from-env', 'bucket', 'buckets', 'split-mb'] as const;
/** The options the stages depend on, which go to map (and are recorded for reduce and merge). */
const STAGE_OPTIONS = ['codes', 'as-of', 'phi', 'csv-profile', 'include', 'exclude', 'reference', 'pack', 'mue', 'ndc-crosswalk', 'profile', 'mac'] as const;
/** The options of a report, which go to merge. */
const REPORT_OPTIONS = ['out', 'format', 'excel', 'fail-on', 'fail-on-scope', 'history', 'since', 'keep-runs', 'suppressions', 'worklist-notes', 'remits'] as const;

/** Options of the suppressions sub-commands (what an entry says). */
const ENTRY_OPTIONS = ['finding', 'rule', 'code', 'payer', 'provider', 'claim', 'reason', 'owner', 'expires'] as const;
/** Audit options that only the audit reads. */
const AUDIT_ONLY = new Set(['history', 'since', 'keep-runs', 'remits']);

/** Repeated options and comma-separated lists both work: --include '*.edi,*.csv'. */
function splitGlobs(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((g) => g.trim()).filter((g) => g !== '');
}

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** parseArgs' own messages quote unevenly and suggest `--`; ours name the option. */
function argumentError(error: Error & { code?: string }): UsageError {
  const option = /'(?:-\w, )?(--?[\w-]+)/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    // A slip of the keyboard: the nearest option, when one is near.
    const near = option.startsWith('--') ? nearest(option.slice(2), Object.keys(OPTIONS)) : null;
    return new UsageError(`unknown option ${option}${near ? ` (did you mean --${near}?)` : ''}`);
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return new UsageError(/does not take/.test(error.message) ? `${option} takes no value` : `${option} needs a value`);
  }
  return new UsageError(error.message.split('\n')[0] ?? 'invalid arguments');
}

/** Where `pack build` writes without --out. */
export const DEFAULT_PACK_OUT = 'claim-audit-pack.json';

/** Options each sub-command reads; any other is an error, never silently ignored. */
const REFERENCE_OPTIONS = ['reference', 'pack', 'mue', 'ndc-crosswalk', 'profile', 'mac'] as const;
const SUBCOMMAND_OPTIONS: Record<'rules' | 'codes' | 'pack' | 'suppressions' | 'map' | 'reduce' | 'merge' | 'remits', readonly string[]> = {
  remits: ['history', 'out', 'since', 'quiet'],
  rules: ['wide', 'markdown'],
  map: ['work', 'shard', 'shards', 'shard-from-env', 'buckets', 'split-mb', 'concurrency', 'quiet', ...STAGE_OPTIONS],
  reduce: ['work', 'bucket', 'shard', 'shards', 'shard-from-env', 'quiet'],
  merge: ['work', 'concurrency', 'memory-budget', 'quiet', ...REPORT_OPTIONS],
  pack: ['out'],
  suppressions: ['out', 'suppressions', 'from-worklist', ...ENTRY_OPTIONS],
  codes: ['diff-articles', 'coverage', 'as-of', ...REFERENCE_OPTIONS],
};

export function parseCommandLine(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw argumentError(error as Error);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help', topic: positionals[0] ?? null };
  if (values.version) return { command: 'version' };
  const referenceFiles: ReferenceFiles = { reference: values.reference, pack: values.pack, mue: values.mue, crosswalk: values['ndc-crosswalk'], profile: values.profile, mac: values.mac };
  const asOf = values['as-of'] ?? null;
  if (asOf !== null && !isCalendarDate(asOf)) throw new UsageError(`--as-of takes a date as YYYY-MM-DD; got ${JSON.stringify(asOf)}`);
  const [first, ...rest] = positionals;
  if (first === 'pack') {
    const stray = Object.keys(values).find((name) => !SUBCOMMAND_OPTIONS.pack.includes(name));
    if (stray !== undefined) throw new UsageError(`--${stray} does not go with "pack build"`);
    if (rest[0] !== 'build') throw new UsageError(`"pack" takes build: claim-audit pack build DIR… [--out FILE]`);
    if (rest.length < 2) throw new UsageError('pack build: give one or more folders (or files) of CMS files');
    return { command: 'pack-build', inputs: rest.slice(1), out: values.out ?? DEFAULT_PACK_OUT };
  }
  if (first === 'remits') {
    const stray = Object.keys(values).find((name) => !SUBCOMMAND_OPTIONS.remits.includes(name));
    if (stray !== undefined) throw new UsageError(`--${stray} does not go with "remits"`);
    if (values.history === undefined) throw new UsageError('remits needs --history DIR: remittances are matched to the lines the history keeps');
    if (rest.length === 0) throw new UsageError('remits: give one or more 835 files, folders or globs');
    if (values.since !== undefined && !isCalendarDate(values.since)) throw new UsageError(`remits --since takes a date (YYYY-MM-DD): the window of payments measured; got ${JSON.stringify(values.since)}`);
    return { command: 'remits', inputs: rest, history: values.history, out: values.out ?? null, since: values.since ?? null, quiet: values.quiet ?? false };
  }
  if (first === 'suppressions') {
    const stray = Object.keys(values).find((name) => !SUBCOMMAND_OPTIONS.suppressions.includes(name));
    if (stray !== undefined) throw new UsageError(`--${stray} does not go with "suppressions"`);
    const file = values.suppressions ?? null;
    const out = values.out ?? 'reports';
    if (rest[0] === 'prune' && rest.length === 1) {
      const entryOption = ENTRY_OPTIONS.find((o) => values[o] !== undefined);
      if (entryOption) throw new UsageError(`--${entryOption} goes with "suppressions add"`);
      return { command: 'suppressions-prune', file, out };
    }
    if (rest[0] === 'add' && rest.length === 1 && values['from-worklist'] !== undefined) {
      const other = ENTRY_OPTIONS.find((o) => values[o] !== undefined && o !== 'owner' && o !== 'expires');
      if (other) throw new UsageError(`--${other} does not go with --from-worklist: each "won't fix" row names its findings, and its note is the reason`);
      return { command: 'suppressions-from-worklist', file, out, worklist: values['from-worklist'], owner: values.owner ?? null, expires: values.expires ?? null };
    }
    if (rest[0] === 'add' && rest.length === 1) {
      const entry: Record<string, string> = {};
      for (const o of ENTRY_OPTIONS) if (values[o] !== undefined) entry[o] = values[o]!;
      return { command: 'suppressions-add', file, out, entry };
    }
    throw new UsageError('"suppressions" takes add or prune: claim-audit suppressions add --finding ID --reason … --owner … --expires YYYY-MM-DD');
  }
  const entryOption = ENTRY_OPTIONS.find((o) => values[o] !== undefined);
  if (entryOption) throw new UsageError(`--${entryOption} goes with "suppressions add"`);
  if (first === 'map' || first === 'reduce' || first === 'merge') return parseShardStep(first, values, rest, referenceFiles);
  const shardOption = SHARD_OPTIONS.find((o) => values[o] !== undefined);
  if (shardOption) throw new UsageError(`--${shardOption} goes with map, reduce or merge`);
  if (first === 'rules' || first === 'codes') {
    const stray = Object.keys(values).find((name) => !SUBCOMMAND_OPTIONS[first].includes(name));
    if (stray !== undefined) throw new UsageError(`--${stray} does not go with "${first}"`);
    if (first === 'rules') {
      if (rest.length > 1) throw new UsageError(`"rules" takes one rule id at most (got ${rest.length})`);
      if (values.wide && rest.length > 0) throw new UsageError('--wide goes with the list of rules; a rule\'s page is whole');
      if (values.markdown && rest.length === 0) throw new UsageError('--markdown goes with a rule id: claim-audit rules jw-jz-missing --markdown');
      return { command: 'rules', ruleId: rest[0] ?? null, wide: values.wide ?? false, markdown: values.markdown ?? false };
    }
    const codes = rest.flatMap((c) => c.split(',')).map((c) => c.trim().toUpperCase()).filter((c) => c !== '');
    const bad = codes.find((c) => !HCPCS_CODE.test(c));
    if (bad !== undefined) throw new UsageError(`"codes" takes HCPCS codes like J9299; got ${JSON.stringify(bad)}`);
    if (values.coverage && (codes.length > 0 || values['diff-articles'])) throw new UsageError('codes --coverage reports every covered code: give no codes, nor --diff-articles');
    return { command: 'codes', referenceFiles, diffArticles: values['diff-articles'] ?? false, coverage: values.coverage ?? false, asOf, codes };
  }
  if (values['diff-articles']) throw new UsageError('--diff-articles goes with the codes sub-command');
  if (values.coverage) throw new UsageError('--coverage goes with the codes sub-command');
  if (values.wide || values.markdown) throw new UsageError(`--${values.wide ? 'wide' : 'markdown'} goes with the rules sub-command`);
  if (positionals.length === 0) throw new UsageError('no inputs: give one or more 837 files, folders or globs');

  const stage = parseStage(values);
  const report = parseReport(values);
  return {
    command: 'audit',
    quiet: values.quiet ?? false,
    referenceFiles,
    csvProfile: stage.csvProfile,
    options: { inputs: positionals, ...report, codesOption: stage.codesOption, asOf: stage.asOf, concurrency: parseConcurrency(values), ...memoryBudget(values), phi: stage.phi, include: stage.include, exclude: stage.exclude, readPipes: values['read-pipes'] ?? false },
  };
}

type Values = ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];

function parseConcurrency(values: Values): number {
  let concurrency = availableParallelism();
  if (values.concurrency !== undefined) {
    concurrency = Number(values.concurrency);
    if (!/^\d+$/.test(values.concurrency) || concurrency < 1 || concurrency > 256) {
      throw new UsageError(`--concurrency takes a whole number from 1 to 256; got ${JSON.stringify(values.concurrency)}`);
    }
  }
  return concurrency;
}

/** The options the stages depend on. */
function parseStage(values: Values): StageArgs {
  const codesOption = values.codes ?? 'covered';
  try {
    parseCodeSelection(codesOption, new Set());
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const asOf = values['as-of'] ?? null;
  const phi = values.phi ?? 'masked';
  if (phi !== 'masked' && phi !== 'full') throw new UsageError(`--phi takes masked or full; got ${JSON.stringify(phi)}`);
  return { codesOption, asOf, phi, csvProfile: values['csv-profile'] ?? null, include: splitGlobs(values.include), exclude: splitGlobs(values.exclude) };
}

/** The options of the reports (a whole run's, or merge's). */
function parseReport(values: Values): Pick<ParsedAuditOptions, 'outDir' | 'formats' | 'failOn' | 'failOnScope' | 'excel' | 'history' | 'suppressions' | 'worklistNotes' | 'remits'> {
  const formats = (values.format ?? DEFAULT_FORMATS.join(','))
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter((f) => f !== '');
  const badFormat = formats.find((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (badFormat !== undefined || formats.length === 0) {
    throw new UsageError(`--format takes ${REPORT_FORMATS.join(', ')}, separated by commas; got ${JSON.stringify(badFormat ?? values.format)}`);
  }
  const failOn = values['fail-on'] ?? 'error';
  if (failOn !== 'error' && failOn !== 'warning' && failOn !== 'none') throw new UsageError(`--fail-on takes error, warning or none; got ${JSON.stringify(failOn)}`);
  const failOnScope = values['fail-on-scope'] ?? 'open';
  if (failOnScope !== 'open' && failOnScope !== 'tonight') throw new UsageError(`--fail-on-scope takes open or tonight; got ${JSON.stringify(failOnScope)}`);
  if (values.history === undefined) {
    const without = [...AUDIT_ONLY].find((o) => values[o as keyof typeof values] !== undefined);
    if (without) throw new UsageError(`--${without} goes with --history DIR`);
  }
  let keep: number | null = null;
  if (values['keep-runs'] !== undefined) {
    keep = Number(values['keep-runs']);
    if (!/^\d+$/.test(values['keep-runs']) || keep < 1) throw new UsageError(`--keep-runs takes a whole number of runs, 1 or more; got ${JSON.stringify(values['keep-runs'])}`);
  }
  const since = values.since ?? 'last';
  if (since !== 'last' && !/^\d{8}T\d{6}Z-[0-9a-f]{6}$/.test(since) && !isCalendarDate(since)) {
    throw new UsageError(`--since takes last, a run id (like 20261202T020000Z-1a2b3c) or a date (YYYY-MM-DD); got ${JSON.stringify(since)}`);
  }
  const outDir = values.out ?? 'reports';
  // The kernel's and the devices' folders are no place for reports (a run would fail late, or worse).
  const system = /^\/(proc|sys|dev)(\/|$)/.exec(resolve(outDir));
  if (system) throw new UsageError(`--out ${outDir} is under /${system[1]}, a system folder: give a folder of your own for the reports`);
  return {
    outDir,
    formats: [...new Set(formats)] as ReportFormat[],
    failOn,
    failOnScope,
    excel: values.excel ?? false,
    history: values.history === undefined ? null : { dir: values.history, since, keep },
    // Resolved against the output folder by the CLI when not given.
    suppressions: values.suppressions ?? null,
    // none: no notes; not given: the output folder's previous worklist (audit.ts).
    worklistNotes: values['worklist-notes'] === undefined ? null : values['worklist-notes'] === 'none' ? false : values['worklist-notes'],
    remits: values.remits ?? [],
  };
}

/** A whole number from `min` to `max`, or a UsageError naming the option. */
/** --memory-budget MB: the temporary records a run keeps in memory before it writes them to disk (0: none). */
function memoryBudget(values: Values): { memoryBudget?: number } {
  const value = values['memory-budget'];
  return value === undefined ? {} : { memoryBudget: wholeNumber('memory-budget', value, 0, 4096) * 1024 * 1024 };
}

function wholeNumber(option: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`--${option} takes a whole number from ${min} to ${max}; got ${JSON.stringify(value)}`);
  return n;
}

/** --split-mb: megabytes, a decimal allowed (0.05 splits small files, for tests). */
function splitBytes(value: string | undefined): number {
  if (value === undefined) return DEFAULT_SPLIT_MB * 1024 * 1024;
  const mb = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(mb >= 0.001)) throw new UsageError(`--split-mb takes a size in megabytes, 0.001 or more; got ${JSON.stringify(value)}`);
  return Math.round(mb * 1024 * 1024);
}

/** --shard K/N (K from 0), or --shard-from-env with --shards N. */
function parseShard(values: Values, step: string): ShardSpec {
  if (values['shard-from-env']) {
    if (values.shard !== undefined) throw new UsageError(`${step}: give --shard K/N or --shard-from-env --shards N, not both`);
    if (values.shards === undefined) throw new UsageError(`${step}: --shard-from-env needs --shards N (how many shards the job has)`);
    return { index: 'env', count: wholeNumber('shards', values.shards, 1, 100_000) };
  }
  if (values.shards !== undefined) throw new UsageError(`${step}: --shards goes with --shard-from-env (or give --shard K/N)`);
  const match = /^(\d+)\/(\d+)$/.exec(values.shard ?? '');
  if (!match) throw new UsageError(`${step}: --shard takes K/N, shard K (from 0) of N, like 0/4; got ${JSON.stringify(values.shard ?? '')}`);
  const [index, count] = [Number(match[1]), Number(match[2])];
  if (count < 1 || index >= count) throw new UsageError(`${step}: --shard ${values.shard}: K counts from 0 to N-1 (shard 0/${Math.max(1, count)} is the first)`);
  return { index, count };
}

/** map, reduce and merge: each with its own options only (the others are refused, with where they go). */
function parseShardStep(step: 'map' | 'reduce' | 'merge', values: Values, rest: string[], referenceFiles: ReferenceFiles): Command {
  const stray = Object.keys(values).find((name) => !SUBCOMMAND_OPTIONS[step].includes(name));
  if (stray !== undefined) {
    const where = (STAGE_OPTIONS as readonly string[]).includes(stray) ? ': the options the rules depend on go to map (the work folder records them for reduce and merge)' : (REPORT_OPTIONS as readonly string[]).includes(stray) ? ': report options go to merge' : '';
    throw new UsageError(`--${stray} does not go with "${step}"${where}`);
  }
  if (values.work === undefined) throw new UsageError(`${step}: --work DIR is required (the folder every step of the run shares)`);
  const work = values.work;
  const quiet = values.quiet ?? false;
  if (step === 'map') {
    if (rest.length === 0) throw new UsageError('map: no inputs: give the same 837 files, folders or globs to every shard');
    return {
      command: 'map',
      work,
      shard: parseShard(values, 'map'),
      inputs: rest,
      stage: parseStage(values),
      referenceFiles,
      concurrency: parseConcurrency(values),
      buckets: values.buckets === undefined ? null : wholeNumber('buckets', values.buckets, 1, 4096),
      splitBytes: splitBytes(values['split-mb']),
      quiet,
    };
  }
  if (rest.length > 0) throw new UsageError(`${step} takes no inputs (the work folder names them); got ${JSON.stringify(rest[0])}`);
  if (step === 'reduce') {
    if (values.bucket !== undefined) {
      if (values.shard !== undefined || values['shard-from-env']) throw new UsageError('reduce: give --bucket B or --shard K/N, not both');
      return { command: 'reduce', work, buckets: { bucket: wholeNumber('bucket', values.bucket, 0, 4095) }, quiet };
    }
    return { command: 'reduce', work, buckets: { shard: parseShard(values, 'reduce') }, quiet };
  }
  const { outDir, formats, failOn, failOnScope, excel, history, suppressions, worklistNotes, remits } = parseReport(values);
  return { command: 'merge', work, quiet, options: { outDir, formats, failOn, failOnScope, excel, history, suppressions, worklistNotes, remits, concurrency: parseConcurrency(values), ...memoryBudget(values) } };
}
