// Findings per rule on every file of the shared corpus, as `claim-audit FILE --codes all` reports
// them: node scripts/corpus-rule-counts.mjs [CLI] [CORPUS] prints {file: {rule: count}} as JSON.
// The CLI may be another checkout's dist/cli/main.js, to compare two versions of the rules.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const cli = process.argv[2] ?? 'dist/cli/main.js';
const corpus = process.argv[3] ?? '../shared/corpus';
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (!/\.(md|tsv)$/.test(name)) files.push(path);
  }
};
walk(join(corpus, 'x12'));
walk(join(corpus, 'csv'));
const counts = {};
for (const file of files) {
  const out = mkdtempSync(join(tmpdir(), 'corpus-counts-'));
  try {
    execFileSync('node', [cli, file, '--codes', 'all', '--out', out, '--quiet'], { stdio: 'ignore' });
  } catch {
    // Exit 1 (findings) and 2 (unreadable input) still write what they can.
  }
  const byRule = {};
  try {
    for (const line of readFileSync(join(out, 'findings.ndjson'), 'utf8').split('\n')) {
      if (line === '') continue;
      const { ruleId } = JSON.parse(line);
      byRule[ruleId] = (byRule[ruleId] ?? 0) + 1;
    }
  } catch {
    // No findings file: nothing audited.
  }
  counts[relative(corpus, file)] = Object.fromEntries(Object.entries(byRule).sort(([a], [b]) => (a < b ? -1 : 1)));
  rmSync(out, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(counts, null, 1)}\n`);
