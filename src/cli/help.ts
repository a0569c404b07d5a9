// --help, generated: each option's line from one table (name, argument, what it does, its
// default, its group), wrapped to the terminal; the commands, examples and exit codes after.
// `claim-audit COMMAND --help` shows that command's part (map, reduce and merge: the sharded run).
import { DEFAULT_FORMATS, REPORT_FORMATS, REPORTERS } from '../report/write.js';

export interface OptionHelp {
  name: string;
  /** The argument as the help names it (none: a flag). */
  arg?: string;
  short?: string;
  text: string;
  default?: string;
  /** Values listed under the option, each with what it means. */
  items?: ReadonlyArray<readonly [string, string]>;
  group: 'Output' | 'What is audited' | 'Reference data' | 'Nightly runs' | 'General';
}

/** Every option of an audit, in the order the help shows them (a test holds it to the parser's options). */
export const OPTION_HELP: readonly OptionHelp[] = [
  { group: 'Output', name: 'out', arg: 'DIR', text: 'the output folder', default: 'reports' },
  {
    group: 'Output',
    name: 'format',
    arg: 'LIST',
    text: `which reports, comma-separated: ${REPORT_FORMATS.join(', ')} (lines.ndjson and findings.ndjson are always written)`,
    default: DEFAULT_FORMATS.join(','),
    items: REPORTERS.map((r) => [r.format, r.description] as const),
  },
  { group: 'Output', name: 'excel', text: 'CSV files start with a byte-order mark, so Excel reads UTF-8' },
  { group: 'Output', name: 'phi', arg: 'masked|full', text: 'member ids masked to their last 4 characters, or shown in full', default: 'masked' },
  { group: 'Output', name: 'fail-on', arg: 'LEVEL', text: 'exit 1 when an open finding at or above error or warning exists; none: never exit 1 for findings (job runners that retry a step that exits non-zero)', default: 'error' },
  { group: 'Output', name: 'fail-on-scope', arg: 'open|tonight', text: "what --fail-on counts: every open finding (tonight's, and with --history those still open from earlier runs), or tonight's only", default: 'open' },
  { group: 'Output', name: 'quiet', short: 'q', text: 'print nothing but errors and warnings (no progress, no summary)' },
  { group: 'What is audited', name: 'codes', arg: 'WHICH', text: 'covered, all (every J/Q code and every line with an NDC), or a list such as J1459,Q0138', default: 'covered' },
  { group: 'What is audited', name: 'as-of', arg: 'YYYY-MM-DD', text: 'the date for lines without a service date' },
  { group: 'What is audited', name: 'include', arg: 'GLOB', text: "read only matching files from folders and globs (repeatable, or comma-separated; a glob without / matches the file name: '*.edi')" },
  { group: 'What is audited', name: 'exclude', arg: 'GLOB', text: 'skip matching files (files named on the command line are always read)' },
  { group: 'What is audited', name: 'csv-profile', arg: 'NAME|FILE', text: 'read CSV inputs with this layout (tuva-medical-claim, cclf5, …) or mapping file (JSON) instead of detecting it from the header' },
  { group: 'What is audited', name: 'read-pipes', text: 'read FIFOs, pipes and devices named on the command line, such as <(zcat x.gz), as streams; without it they are refused, since a stream may never end' },
  { group: 'What is audited', name: 'concurrency', arg: 'N', text: 'files audited at once', default: 'the number of cores' },
  { group: 'What is audited', name: 'memory-budget', arg: 'MB', text: "megabytes of the run's temporary records (line entries, cross-claim groups, the ranking, the worklist) kept in memory before they are written to disk; past it, the rest goes to disk and the outputs are the same. Used when the run does not start worker threads (one file, concurrency 1, or under 32 MB of input); 0 writes everything to disk", default: '32' },
  { group: 'Reference data', name: 'reference', arg: 'DIR', text: 'CMS files (ASP pricing and crosswalk, OPPS Addendum B, HCPCS, MUE, JW/JZ list, MCD articles) built into a pack at start and merged over the default, newest quarter winning (repeatable)' },
  { group: 'Reference data', name: 'pack', arg: 'FILE', text: 'a reference pack merged over the default (the same JSON format, strict)' },
  { group: 'Reference data', name: 'mue', arg: 'FILE', text: 'a CMS MUE table (practitioner, outpatient hospital or DME); repeat it for several, each applies to its own setting', default: "the pack's 2026-10 tables" },
  { group: 'Reference data', name: 'ndc-crosswalk', arg: 'FILE', text: 'a CMS ASP NDC-HCPCS crosswalk CSV' },
  { group: 'Reference data', name: 'profile', arg: 'FILE', text: 'payer-class policies (JSON): rules, NDC, JW/JZ, prior authorization, billing articles by payer class, the MAC' },
  { group: 'Reference data', name: 'mac', arg: 'J6|WI', text: "the A/B MAC (a jurisdiction, or a state) of claims whose billing provider's state the input does not give: selects the billing articles and SAD list that bind them" },
  { group: 'Nightly runs', name: 'history', arg: 'DIR', text: 'keep each run in DIR and compare it with an earlier one: findings new, changed or still open; earlier ones resolved or voided; the worklist holds every open line' },
  { group: 'Nightly runs', name: 'since', arg: 'WHICH', text: 'the run to compare with: last, a run id, or YYYY-MM-DD (the newest run on or before it)', default: 'last' },
  { group: 'Nightly runs', name: 'keep-runs', arg: 'N', text: 'keep the newest N runs in the history', default: 'all' },
  { group: 'Nightly runs', name: 'suppressions', arg: 'FILE', text: 'findings the team accepted (JSON lines)', default: 'claim-audit.suppressions.jsonl beside the output folder, when it exists' },
  { group: 'Nightly runs', name: 'worklist-notes', arg: 'FILE', text: "a worklist.csv or findings.xlsx the team edited: its assignee, work status and note are carried onto tonight's rows by finding id; none: no notes", default: "the output folder's previous worklist, and its workbook if saved since" },
  { group: 'Nightly runs', name: 'remits', arg: 'PATH', text: "the payers' 835 remittances (files, folders or globs; repeatable) read with the run: matched to the lines the history audited, their outcomes on the worklist and in the calibration (needs --history)" },
  { group: 'General', name: 'help', short: 'h', text: 'this help; claim-audit COMMAND --help for a command' },
  { group: 'General', name: 'version', text: 'the version' },
];

/** Text wrapped to `width` columns, each line after the first indented by `indent` spaces. */
export function wrap(text: string, width: number, indent = 0, first = indent): string {
  const lines: string[] = [];
  let line = '';
  let room = width - first;
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
      room = width - indent;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : `${' '.repeat(indent)}${l}`)).join('\n');
}

/** Where option texts start. */
const COLUMN = 24;

function optionLine(o: OptionHelp, width: number): string {
  const head = `  ${o.short ? `-${o.short}, ` : ''}--${o.name}${o.arg ? ` ${o.arg}` : ''}`;
  const text = `${o.text}${o.default ? ` (default: ${o.default})` : ''}`;
  const items = (o.items ?? []).map(([value, what]) => `\n${' '.repeat(COLUMN + 2)}${value.padEnd(9)}${wrap(what, width, COLUMN + 11, COLUMN + 11)}`).join('');
  if (head.length >= COLUMN - 1) return `${head}\n${' '.repeat(COLUMN)}${wrap(text, width, COLUMN)}${items}`;
  return `${head.padEnd(COLUMN)}${wrap(text, width, COLUMN)}${items}`;
}

interface CommandHelp {
  usage: string;
  text: string;
}

const COMMANDS: Record<string, CommandHelp[]> = {
  audit: [{ usage: 'claim-audit <input…> [options]', text: 'audit 837 (5010 837P and 837I) or CSV claim files, folders or globs; write the worklist, findings and report' }],
  rules: [{ usage: 'claim-audit rules [ID] [--wide] [--markdown]', text: "every rule: id, severity, denial codes, title (--wide: owner, dollars, settings, scope too); with an id, that rule's page, wrapped to the terminal (--markdown: as Markdown)" }],
  codes: [{ usage: 'claim-audit codes [CODE…] [--diff-articles] [--as-of DATE] [--coverage]', text: 'the covered codes (or those named): descriptor, billing unit, dates, container, price; --diff-articles: what the web articles claimed against what CMS says; --coverage: which facts the pack has for every covered code' }],
  remits: [{ usage: 'claim-audit remits <835…> --history DIR [--out DIR] [--since YYYY-MM-DD]', text: "read the payers' 835s, match them to the lines the history audited, keep each line's outcome (paid, reduced, denied, reversed) in the history, and measure every rule against them: precision with its 95% interval, dollars predicted against taken, the denials no rule predicted (--out: calibration.csv and calibration.json; --since: payments on or after the date)" }],
  pack: [{ usage: 'claim-audit pack build DIR… [--out FILE]', text: 'build a reference pack from CMS files (ASP pricing and crosswalk, OPPS Addendum B, HCPCS, MUE), each recognised by its title and header' }],
  suppressions: [
    { usage: 'claim-audit suppressions add (--finding ID | --rule ID [--code C] [--payer P] [--provider NPI] [--claim CLM01]) --reason TEXT --owner NAME --expires YYYY-MM-DD', text: 'append an entry to the suppressions file, sorted' },
    { usage: 'claim-audit suppressions add --from-worklist FILE --expires YYYY-MM-DD [--owner NAME]', text: "an entry for each finding of the rows marked \"won't fix\" in an edited worklist.csv or findings.xlsx: the row's note is the reason, its assignee (or --owner) the owner" },
    { usage: 'claim-audit suppressions prune [--out DIR]', text: 'remove the entries the last run in DIR found matching nothing, and the expired ones (malformed ones are left to fix)' },
  ],
};

const SHARDED: CommandHelp[] = [
  { usage: 'claim-audit map --shard K/N --work DIR <input…> [options the rules depend on]', text: "map step K of N (from 0): its part of the inputs read, the claim rules run, each line's entry and its cross-claim group records written by bucket into DIR/map/shard-K/. --shard-from-env --shards N takes K from JOB_COMPLETION_INDEX (Kubernetes), AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch) or SLURM_ARRAY_TASK_ID (Slurm); --split-mb MB splits larger X12 files by byte range" },
  { usage: 'claim-audit reduce (--bucket B | --shard K/N) --work DIR', text: '(optional) the cross-claim rules for bucket B, or for every bucket B with B mod N = K, into DIR/reduce/' },
  { usage: 'claim-audit merge --work DIR [report options]', text: 'every bucket no reduce step did, then the ranking, every report and the history, exactly as a single run writes them' },
];

const SHARDED_NOTE =
  'The options the rules depend on (--codes, --as-of, --phi, --csv-profile, --include, --exclude, --reference, --pack, --mue, --ndc-crosswalk, --profile, --mac) go to map and are recorded for the other steps; the report options (--out, --format, --excel, --fail-on, --history, --since, --keep-runs, --suppressions, --worklist-notes) go to merge.';

const EXAMPLES: Array<[string, string]> = [
  ['claim-audit claims/ --out reports', 'audit a folder of 837 and CSV files'],
  ["claim-audit 'inbound/*.837' --history audit-history --out reports --quiet", 'the nightly cron run: compared with last night, open lines carried, exit 1 while errors are open'],
  ['claim-audit export.csv --csv-profile cclf5 --format csv,xlsx', 'a CCLF export, CSV and Excel only'],
  ['claim-audit claims/ --mac J6 --profile examples/profile-340b.json', "claims of a provider in J6, with a payer-class profile"],
  ['claim-audit rules jw-jz-missing', "a rule's page: what it checks, why, how to fix it"],
  ["claim-audit suppressions add --from-worklist reports/findings.xlsx --expires 2027-06-30", "the team's won't-fix lines become suppressions"],
];

const EXIT_CODES =
  'Exit codes: 0 audit completed · 1 open findings at or above --fail-on · 2 usage or configuration error · 3 some input could not be read or parsed (the rest is still audited and reported), or no claim was audited at all (the previous reports are kept).';

function commandLines(commands: readonly CommandHelp[], width: number): string {
  return commands.map((c) => `  ${wrap(c.usage, width, 6, 2)}\n      ${wrap(c.text, width, 6)}`).join('\n');
}

/** The whole help (the audit and every command, the sharded run in one line), wrapped to `width`. */
export function usage(width = 80): string {
  const w = Math.max(60, Math.min(width, 100));
  const groups = [...new Set(OPTION_HELP.map((o) => o.group))];
  return [
    'Usage:',
    commandLines([...Object.values(COMMANDS).flat(), { usage: 'claim-audit map | reduce | merge …', text: 'one audit as steps of a job runner (Kubernetes, AWS Batch, Slurm): claim-audit map --help' }], w),
    '',
    ...groups.flatMap((g) => [`${g}:`, ...OPTION_HELP.filter((o) => o.group === g).map((o) => optionLine(o, w)), '']),
    'Examples:',
    ...EXAMPLES.map(([command, what]) => `  ${wrap(command, w, 4, 2)}\n      ${wrap(what, w, 6)}`),
    '',
    wrap(EXIT_CODES, w),
  ].join('\n');
}

/** A command's help: its usage and text; map, reduce and merge: the sharded run, with the options that go to each. */
export function commandUsage(command: string, width = 80): string | null {
  const w = Math.max(60, Math.min(width, 100));
  if (command === 'map' || command === 'reduce' || command === 'merge') return ['Usage:', commandLines(SHARDED, w), '', wrap(SHARDED_NOTE, w), '', 'The whole audit and its options: claim-audit --help'].join('\n');
  const found = COMMANDS[command];
  if (!found) return null;
  return ['Usage:', commandLines(found, w), '', 'Every option of an audit: claim-audit --help'].join('\n');
}
