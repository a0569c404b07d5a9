// The CLI shell: parses arguments, runs the core, prints, and returns the exit code.
// The only layer that formats text for a terminal; it never calls process.exit.
import { runAudit, WRITABLE_FORMATS } from '../audit.js';
import type { IngestIssue } from '../model/index.js';
import { COVERED_CODES } from '../reference/covered-codes.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { parseCommandLine, USAGE, UsageError } from './args.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd?: string;
}

const MAX_ISSUES_SHOWN = 20;

export function formatIssue(issue: IngestIssue): string {
  const where = [
    issue.segmentIndex !== undefined ? `segment ${issue.segmentIndex}` : null,
    issue.byteOffset !== undefined ? `byte ${issue.byteOffset}` : null,
  ].filter(Boolean);
  const value = issue.value !== undefined ? ` [${issue.value}]` : '';
  return `${issue.file}${where.length > 0 ? ` (${where.join(', ')})` : ''}: ${issue.severity}: ${issue.message}${value}`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n');
}

export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  let command;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${TOOL_NAME}: ${error.message} (see ${TOOL_NAME} --help)\n`);
      return 2;
    }
    throw error;
  }

  switch (command.command) {
    case 'help':
      io.stdout(`${USAGE}\n`);
      return 0;
    case 'version':
      io.stdout(`${TOOL_VERSION}\n`);
      return 0;
    case 'rules':
      io.stdout('No audit rules are implemented in this version: lines are read, selected and reported as not-checked.\n');
      return 0;
    case 'codes':
      io.stdout(
        `${table([
          ['code', 'billing unit', 'added', 'descriptor'],
          ...COVERED_CODES.map((c) => [
            c.hcpcs,
            `${c.billingUnit.amount} ${c.billingUnit.unit}`,
            `${c.added}${c.addedSource === 'inferred' ? '*' : ''}`,
            `${c.longDescriptor}${c.descriptorSource === 'cms-hcpcs' ? '' : ` (${c.descriptorSource === 'secondary' ? 'secondary source' : 'OPPS short descriptor'})`}`,
          ]),
        ])}\n* inferred date (first OPPS Addendum B quarter), not from a CMS HCPCS file\n`,
      );
      return 0;
  }

  const { options, quiet } = command;
  const log = (text: string) => {
    if (!quiet) io.stderr(`${text}\n`);
  };
  const unavailable = options.formats.filter((f) => !WRITABLE_FORMATS.has(f));
  if (unavailable.length > 0 && argv.some((a) => a.startsWith('--format'))) {
    log(`${TOOL_NAME}: ${unavailable.join(' and ')} reports are not available in this version; writing lines.ndjson and summary.json`);
  }
  const result = await runAudit({
    ...options,
    cwd: io.cwd ?? options.cwd,
    onFileDone: (stats, drugLines) => {
      const errors = stats.issues.filter((i) => i.severity === 'error').length + stats.issuesOmitted;
      log(`${stats.file}: ${stats.claims.read} claims, ${drugLines} drug lines${errors > 0 ? `, ${errors} input errors` : ''}`);
    },
  });

  const issues = result.summary.ingestIssues;
  const errors = issues.filter((i) => i.severity === 'error');
  const shown = quiet ? errors : issues;
  for (const issue of shown.slice(0, MAX_ISSUES_SHOWN)) io.stderr(`${formatIssue(issue)}\n`);
  if (shown.length > MAX_ISSUES_SHOWN) io.stderr(`… and ${shown.length - MAX_ISSUES_SHOWN} more issues in summary.json\n`);

  const t = result.totals;
  log(
    `Audited ${t.files} file${t.files === 1 ? '' : 's'}: ${t.claims.read} claims read (${t.claims.audited} audited, ${t.claims.skipped} skipped, ${t.claims.unparseable} unparseable), ${t.drugLines} drug lines; ${t.ingestIssues.errors} input errors, ${t.ingestIssues.warnings} warnings.`,
  );
  if (result.written.length > 0) log(`Reports: ${result.written.join(', ')}`);
  return result.exitCode;
}
