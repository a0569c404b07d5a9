// The CLI shell: parses arguments, runs the core, prints, and returns the exit code.
// The only layer that formats text for a terminal; it never calls process.exit.
import { pricedCodes, type Reference } from '../reference/index.js';
import { billingUnitOn, containerFor, latestQuarter, paymentOn, priceOn } from '../reference/pack.js';
import { quarterStart } from '../reference/quarters.js';
import type { Code } from '../reference/schema.js';
import { RULES } from '../rules/index.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { parseCommandLine, UsageError } from './args.js';
import { commandUsage, usage, wrap } from './help.js';
import { runRemits } from './remits.js';
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildPack, readCmsFiles, serializePack } from '../reference/build.js';
import { count, denialText } from '../view/format.js';
import { ruleDocs } from '../rules/docs.js';
import { describeFailure } from './errors.js';
import { runShardStep } from './shard.js';
import { auditAndPrint, load, money, stageSetup, type Io, type RunContext } from './audit-run.js';

export { formatIssue, type Io } from './audit-run.js';
import { escapeTerminal } from './terminal.js';
import { CACHE_DIR, WORK_DIR } from '../output/work.js';
import { suppressionsAdd, suppressionsFromWorklist, suppressionsPrune } from './suppressions.js';
import { coverageReport } from './coverage.js';
import { nearest } from './suggest.js';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n');
}

/** The catalogue rows from the rules' own metadata (docs/rules.md's table is tested against them). */
export function ruleRows(): string[][] {
  return RULES.map((r) => {
    return [r.meta.id, r.meta.severity, denialText(r.meta.denial) || '—', r.meta.owner, [r.meta.dollarCategory, ...(r.meta.otherDollarCategories ?? [])].join(', '), r.meta.settings?.join(', ') ?? 'all', r.meta.scope, r.meta.title];
  });
}

/** Every field of every rule (rules --wide). */
export function rulesTable(): string {
  return table([['id', 'severity', 'CARC/RARC', 'owner', 'dollars', 'settings', 'scope', 'title'], ...ruleRows()]);
}

/**
 * The rules as a terminal shows them, within `width` columns: id, severity, denial codes and the
 * title wrapped in what is left ("*": a code payers most likely send, not published by CMS).
 */
export function rulesList(width = 100): string {
  const rows = RULES.map((r) => [r.meta.id, r.meta.severity, `${denialText(r.meta.denial, {}).replace(' (unverified)', '*') || '—'}`, r.meta.title]);
  const head = ['id', 'severity', 'CARC/RARC', 'title'];
  const widths = [0, 1, 2].map((c) => Math.max(head[c]!.length, ...rows.map((r) => r[c]!.length)));
  const indent = widths.reduce((n, w) => n + w + 2, 0);
  const titleWidth = Math.max(20, width - indent);
  const line = (r: string[]) => `${r.slice(0, 3).map((cell, c) => cell.padEnd(widths[c]!)).join('  ')}  ${wrap(r[3]!, indent + titleWidth, indent, indent)}`;
  const unverified = rows.some((r) => r[2]!.endsWith('*'));
  return [line(head), ...rows.map(line), ...(unverified ? ['', wrap("* the code payers most likely send; CMS does not publish the code for this edit. claim-audit rules --wide: owner, dollars, settings, scope. claim-audit rules ID: a rule's page.", width)] : [])].join('\n');
}

/** A rule page's Markdown as terminal text: headings, paragraphs and list items wrapped to `width`, emphasis and code marks taken off, links as "text <url>". */
export function markdownText(markdown: string, width: number): string {
  const inline = (text: string) => text.replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 <$2>').replace(/\*\*([^*]+)\*\*/g, '$1').replace(/(^|[^\w])_([^_]+)_(?=[^\w]|$)/g, '$1$2').replace(/`([^`]+)`/g, '$1');
  const blocks: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) blocks.push(wrap(inline(paragraph.join(' ')), width));
    paragraph = [];
  };
  let item: { marker: string; text: string[] } | null = null;
  const flushItem = () => {
    if (item) blocks.push(`${item.marker}${wrap(inline(item.text.join(' ')), width, item.marker.length, item.marker.length)}`);
    item = null;
  };
  for (const raw of markdown.split('\n')) {
    const line = raw.trimEnd();
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const bullet = /^\s*(?:[-*]|\d+\.)\s+(.*)$/.exec(line);
    if (line.trim() === '') {
      flush();
      flushItem();
    } else if (heading) {
      flush();
      flushItem();
      const text = inline(heading[2]!);
      blocks.push(heading[1]!.length === 1 ? `${text}\n${'='.repeat(Math.min(width, text.length))}` : `${text}\n${'-'.repeat(Math.min(width, text.length))}`);
    } else if (bullet) {
      flush();
      flushItem();
      item = { marker: '  • ', text: [bullet[1]!] };
    } else if (item) (item as { text: string[] }).text.push(line.trim());
    else paragraph.push(line.trim());
  }
  flush();
  flushItem();
  return blocks.join('\n\n');
}

const covered = (reference: Reference) => [...pricedCodes(reference.pack)].sort().map((c) => reference.pack.codes[c]!);
const articles = (reference: Reference) => Object.values(reference.pack.codes).filter((c) => c.covered);
const marked = (value: string | null, confidence: string) => `${value ?? '—'}${confidence === 'inferred' ? '*' : confidence === 'secondary' ? '†' : ''}`;

const unitText = (unit: { amount: number; unit: string } | null) => (unit ? `${unit.amount} ${unit.unit}` : 'unknown');
const aspText = (code: Code, date: string) => {
  const found = paymentOn(code, date, 'professional');
  return found ? `${money(found.paymentPerUnit!)} (${found.quarter})` : '—';
};
const oppsText = (code: Code, date: string) => {
  const found = priceOn(code, date);
  if (!found) return '—';
  return `${found.price.paymentPerUnit === null ? 'no rate' : money(found.price.paymentPerUnit)} (${found.price.statusIndicator}, ${found.price.quarter})`;
};

/** The container as the rules see it: a label's, or single-dose by CMS's JW/JZ list. */
const containerText = (code: Code) => {
  const fact = containerFor(code, null);
  return fact.basis === 'jwjz-list' ? 'single-dose (JW/JZ list)' : fact.value;
};

/** The codes with their figures on one date: the covered set, or the codes named. */
function codeTable(reference: Reference, asOf: string | null, only: ReadonlySet<string> | null = null): string {
  const latest = latestQuarter(reference.pack);
  const date = asOf ?? (latest ? quarterStart(latest) : null);
  const rows = (only ? [...only].flatMap((c) => (reference.pack.codes[c] ? [reference.pack.codes[c]!] : [])) : covered(reference)).map((c) => [
    c.hcpcs,
    unitText(billingUnitOn(c, date)),
    marked(c.added.value, c.added.confidence),
    marked(c.terminated.value, c.terminated.confidence),
    containerText(c),
    date ? aspText(c, date) : '—',
    date ? oppsText(c, date) : '—',
    marked(c.longDescriptor.value, c.longDescriptor.confidence),
  ]);
  return `${table([['code', `billing unit${date ? ` on ${date}` : ''}`, 'added', 'terminated', 'container', 'ASP limit per unit', 'OPPS rate per unit', 'descriptor'], ...rows])}
pack ${reference.pack.version} (sha256 ${reference.hash.slice(0, 12)})
ASP limit: Medicare Part B payment limit (professional claims); OPPS rate: Addendum B (hospital outpatient claims), with its status indicator
* inferred (e.g. from the first quarter a CMS file lists the code), not from a CMS HCPCS file
† from a secondary source, not CMS
`;
}

/** One code's history by quarter: billing unit, ASP limit, OPPS status and rate, NDCs in the crosswalk. */
function codeHistory(reference: Reference, hcpcs: string): string {
  const code = reference.pack.codes[hcpcs]!;
  const ndcs = Object.values(reference.pack.ndcs).flat().filter((l) => l.hcpcs === hcpcs);
  const crosswalkQuarters = new Set(reference.pack.sourceFiles.filter((f) => f.kind === 'asp-crosswalk').map((f) => f.quarter));
  const quarters = [...new Set([...code.aspPrices.map((p) => p.quarter), ...code.prices.map((p) => p.quarter), ...code.billingUnits.flatMap((u) => [u.from, u.to]), ...ndcs.flatMap((l) => [l.from, l.to])])].sort().reverse();
  const rows = quarters.map((quarter) => {
    const unit = code.billingUnits.find((u) => u.from <= quarter && quarter <= u.to);
    const asp = code.aspPrices.find((p) => p.quarter === quarter);
    const opps = code.prices.find((p) => p.quarter === quarter);
    const listed = ndcs.filter((l) => l.from <= quarter && quarter <= l.to).length;
    return [
      quarter,
      unit ? unit.dosage : '—',
      asp ? money(asp.paymentPerUnit) : '—',
      opps ? `${opps.statusIndicator} ${opps.paymentPerUnit === null ? 'no rate' : money(opps.paymentPerUnit)}` : '—',
      crosswalkQuarters.has(quarter) ? String(listed) : '—',
    ];
  });
  return `${hcpcs}  ${code.longDescriptor.value}
added ${marked(code.added.value, code.added.confidence)} · terminated ${marked(code.terminated.value, code.terminated.confidence)} · container ${containerText(code)} · descriptor unit ${unitText(code.billingUnit)}
${table([['quarter', 'billing unit (ASP file)', 'ASP limit per unit', 'OPPS status and rate', 'NDCs'], ...rows])}
`;
}

function articleTable(reference: Reference): string {
  const rows = articles(reference)
    .filter((c) => c.articleClaim)
    .map((c) => [c.hcpcs, c.articleClaim!, `${c.longDescriptor.value} [${c.billingUnit ? `${c.billingUnit.amount} ${c.billingUnit.unit}` : '?'}]`]);
  return `${table([['code', 'what the web articles claimed', 'what CMS says (billing unit)'], ...rows])}
The articles this product was specified from describe these codes wrongly; bill by the CMS descriptor.
`;
}

/** `pack build`: reads the CMS files, says per file what it is and what was used, writes the pack. */
function packBuild(inputs: readonly string[], out: string, io: Io): number {
  const missing = inputs.find((p) => !existsSync(resolve(io.cwd ?? '.', p)));
  if (missing !== undefined) {
    io.stderr(`${TOOL_NAME}: pack build: no such file or folder: ${escapeTerminal(missing)}\n`);
    return 2;
  }
  const { pack, report } = buildPack(readCmsFiles(inputs.map((p) => resolve(io.cwd ?? '.', p))));
  const rows = report.files.map((f) => {
    const why = Object.entries(f.rejected).map(([reason, n]) => `${count(n)} ${reason}`).join('; ');
    return [f.file, f.kind, f.quarter ? `${f.quarter}${f.quarterBasis === 'inferred' ? ' (inferred)' : ''}` : (f.date ?? '—'), count(f.rowsRead), count(f.rowsUsed), count(f.rowsRejected), [why, f.note].filter(Boolean).join('; ')];
  });
  io.stderr(`${table([['file', 'kind', 'quarter or date', 'read', 'used', 'rejected', 'why / note'], ...rows]).split('\n').map(escapeTerminal).join('\n')}\n`);
  const used = report.files.filter((f) => f.kind !== 'unknown' && f.rowsUsed > 0);
  if (used.length === 0) {
    io.stderr(`${TOOL_NAME}: pack build: none of the files is a CMS file this builder knows; nothing was written\n`);
    return 2;
  }
  writeFileSync(resolve(io.cwd ?? '.', out), serializePack(pack));
  const unknown = report.files.filter((f) => f.kind === 'unknown').length;
  io.stderr(
    `${TOOL_NAME}: pack ${pack.version}: ${count(report.codes)} codes (${count(report.prices.asp)} ASP and ${count(report.prices.opps)} OPPS quarterly prices), ${count(report.ndcs)} NDCs, ${count(Object.keys(pack.modifiers).length)} modifiers from ${used.length} files${unknown > 0 ? ` (${unknown} not used: see above)` : ''} → ${escapeTerminal(out)}\n`,
  );
  return 0;
}

/** One rule's page: its catalogue row, then the page beside its code. */
function rulePage(id: string): string | null {
  const doc = ruleDocs().find((d) => d.id === id);
  if (!doc) return null;
  const row = ruleRows().find((r) => r[0] === id);
  const head = row ? `${doc.id} · ${doc.severity} · ${row[2]} · ${doc.title}` : `${doc.id} · ${doc.severity} · ${doc.title}`;
  return `${head}\n\n${doc.markdown ?? ''}\n`;
}

/**
 * The CLI: parses, runs, prints, and returns the exit code. Whatever fails outside the claims
 * (a folder it cannot write, a full disk, a bug) is one line, never a stack trace.
 */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const context: RunContext = { outDir: null, started: false };
  try {
    return await runCommand(argv, io, context);
  } catch (error) {
    const failure = describeFailure(error, { outDir: context.outDir, ...(io.cwd ? { cwd: io.cwd } : {}), debug: io.debug ?? false, started: context.started });
    io.stderr(failure.text);
    return failure.exitCode;
  }
}


async function runCommand(argv: readonly string[], io: Io, context: RunContext): Promise<number> {
  let command;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${TOOL_NAME}: ${escapeTerminal(error.message)} (see ${TOOL_NAME} --help)\n`);
      return 2;
    }
    throw error;
  }

  switch (command.command) {
    case 'help': {
      const width = io.columns?.() ?? 80;
      io.stdout(`${(command.topic ? commandUsage(command.topic, width) : null) ?? usage(width)}\n`);
      return 0;
    }
    case 'version':
      io.stdout(`${TOOL_VERSION}\n`);
      return 0;
    case 'rules': {
      if (command.ruleId === null) {
        io.stdout(`${command.wide ? rulesTable() : rulesList(Math.min(100, Math.max(60, io.columns?.() ?? 100)))}\n`);
        return 0;
      }
      // Rule ids are lower case; JW-JZ-MISSING is the same rule.
      const page = rulePage(command.ruleId.toLowerCase());
      if (page === null) {
        const near = nearest(command.ruleId, ruleDocs().map((r) => r.id));
        io.stderr(`${TOOL_NAME}: no rule ${JSON.stringify(escapeTerminal(command.ruleId))}${near ? ` (did you mean ${near}?)` : ''}; ${TOOL_NAME} rules lists them\n`);
        return 2;
      }
      // A terminal reads wrapped text; --markdown gives the page as written (for a wiki or a ticket).
      io.stdout(command.markdown ? page : `${markdownText(page, Math.min(100, Math.max(60, io.columns?.() ?? 100)))}\n`);
      return 0;
    }
    case 'suppressions-add':
      return suppressionsAdd(command.file, command.out, command.entry, io, io.now?.());
    case 'remits':
      return runRemits(command, io);
    case 'suppressions-from-worklist':
      return suppressionsFromWorklist(command, io, io.now?.());
    case 'suppressions-prune':
      return suppressionsPrune(command.file, command.out, io);
    case 'pack-build':
      return packBuild(command.inputs, command.out, io);
    case 'map':
    case 'reduce':
    case 'merge':
      return runShardStep(command, io, context);
    case 'codes': {
      const reference = load(command.referenceFiles, io);
      if (!reference) return 2;
      const unknown = command.codes.filter((c) => !reference.pack.codes[c]);
      if (unknown.length > 0) {
        io.stderr(`${TOOL_NAME}: not in the reference pack: ${unknown.join(', ')}\n`);
        if (unknown.length === command.codes.length) return 2;
      }
      const known = command.codes.filter((c) => reference.pack.codes[c]);
      if (command.coverage) io.stdout(coverageReport(reference, table));
      else if (command.diffArticles) io.stdout(articleTable(reference));
      else if (known.length > 0 && command.asOf === null) io.stdout(`${known.map((c) => codeHistory(reference, c)).join('\n')}pack ${reference.pack.version} (sha256 ${reference.hash.slice(0, 12)})\n`);
      else io.stdout(codeTable(reference, command.asOf, known.length > 0 ? new Set(known) : null));
      return 0;
    }
  }

  const { options, quiet } = command;
  context.outDir = options.outDir;
  // Packs built from --reference are kept by content in the output folder's work area.
  const cacheDir = options.outDir === null ? undefined : resolve(io.cwd ?? '.', options.outDir, WORK_DIR, CACHE_DIR);
  const setup = stageSetup({ ...command.referenceFiles, cacheDir }, options.codesOption, command.csvProfile, io);
  if (typeof setup === 'number') return setup;
  return auditAndPrint({ ...options, ...setup }, quiet, io, context);
}
