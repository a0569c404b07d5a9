// The docs' tables that the code can say are checked against the code: a renamed option, a new
// CSV layout or output column fails here until docs/ says so.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AUDIT_OPTION_NAMES } from '../../src/cli/args.js';
import { usage } from '../../src/cli/help.js';

/** --help as an 80-column terminal shows it. */
const USAGE = usage(80);
import { LAYOUTS } from '../../src/ingest/csv/layouts.js';
import { INGEST_ISSUES } from '../../src/ingest/issues.js';
import { FINDINGS_CSV_COLUMNS, WORKLIST_CSV_COLUMNS } from '../../src/report/csv.js';
import { DEFAULT_FORMATS, outputFiles, REPORT_FORMATS } from '../../src/report/write.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const doc = (name: string) => readFileSync(`${root}/${name}`, 'utf8');

/** The first cell of each row of the table whose header row starts with `first`. */
function firstColumn(text: string, first: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`| ${first} |`));
  if (start < 0) throw new Error(`no table starting with "${first}"`);
  const rows: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split('|')[1]!.trim());
  }
  return rows;
}

describe('docs/', () => {
  it('docs/cli.md documents every option of an audit, and only those; --help names each', () => {
    const documented = firstColumn(doc('docs/cli.md'), 'option').flatMap((cell) => [...cell.matchAll(/`--([a-z-]+)/g)].map((m) => m[1]!));
    expect([...new Set(documented)].sort()).toEqual([...AUDIT_OPTION_NAMES].sort());
    for (const name of AUDIT_OPTION_NAMES) expect(USAGE, name).toContain(`--${name}`);
  });

  it('docs/inputs.md names every CSV layout', () => {
    const text = doc('docs/inputs.md');
    for (const layout of LAYOUTS) expect(text, layout.name).toContain(`\`${layout.name}\``);
  });

  it('docs/outputs.md names every column of findings.csv and worklist.csv', () => {
    const text = doc('docs/outputs.md');
    for (const column of [...FINDINGS_CSV_COLUMNS, ...WORKLIST_CSV_COLUMNS]) expect(text, column).toContain(`\`${column}\``);
  });

  it('every file of every format is in the README\'s outputs table, docs/outputs.md and the --format row of docs/cli.md', () => {
    const readme = firstColumn(doc('README.md'), 'file').flatMap((cell) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
    expect([...new Set(readme)].sort()).toEqual(outputFiles(REPORT_FORMATS).sort());
    const outputs = doc('docs/outputs.md');
    for (const file of outputFiles(REPORT_FORMATS)) expect(outputs, file).toContain(`\`${file}\``);
    const row = doc('docs/cli.md').split('\n').find((l) => l.startsWith('| `--format LIST`'))!;
    expect(row).toContain(`\`${REPORT_FORMATS.join(',')}\``);
    expect(row.split('|').at(-2)!.trim()).toBe(`\`${DEFAULT_FORMATS.join(',')}\``);
    for (const file of outputFiles(REPORT_FORMATS)) expect(row, file).toContain(`\`${file}\``);
  });

  it('docs/outputs.md\'s ingest issue table is the catalogue\'s (generated; UPDATE_DOCS=1 rewrites it)', () => {
    const origin = { input: 'finding and opening the inputs', x12: 'the X12 envelope and segments', '837': 'the 837 claims', '835': 'the 835 remittances', csv: 'CSV exports' } as const;
    const table = ['| code | from | what it means |', '|---|---|---|', ...Object.entries(INGEST_ISSUES).map(([code, kind]) => `| \`${code}\` | ${origin[kind.origin]} | ${kind.what} |`)].join('\n');
    const path = `${root}/docs/outputs.md`;
    const text = doc('docs/outputs.md');
    const generated = text.replace(/(<!-- ingest-issues:start -->\n)[\s\S]*?(<!-- ingest-issues:end -->)/, `$1${table}\n$2`);
    if (process.env['UPDATE_DOCS'] === '1') writeFileSync(path, generated);
    else expect(text).toBe(generated);
  });

  it('the README is a front door: under 200 lines, its links resolve', () => {
    const readme = doc('README.md');
    expect(readme.split('\n').length).toBeLessThan(200);
    for (const [, target] of readme.matchAll(/\]\((?!https?:|#)([^)#]+)/g)) expect(() => readFileSync(`${root}/${target}`), target).not.toThrow();
  });
});
