// Regenerates docs/report.png, the README's picture of report.html: the samples audited as
// `npm start` audits them, the report opened in Debian's Chromium (never a downloaded browser).
//   npm run -s build && node scripts/screenshot.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'claim-audit-screenshot-'));
try {
  execFileSync(process.execPath, [join(root, 'dist/cli/main.js'), 'samples', '--profile', 'examples/profile-340b.json', '--out', out, '--quiet'], { cwd: root, stdio: 'inherit' });
} catch (error) {
  // Exit 1 means findings at error level: the samples have them by design.
  if (error.status !== 1) throw error;
}
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 960 }, deviceScaleFactor: 1 });
  await page.goto(`file://${join(out, 'report.html')}`);
  await page.screenshot({ path: join(root, 'docs/report.png') });
} finally {
  await browser.close();
}
console.log('docs/report.png written');
