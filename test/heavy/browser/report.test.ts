// The samples' report.html in a real browser: Debian Chromium, driven by playwright-core.
// Checks what a biller sees (headline numbers, the top finding), that the page makes no
// network request and logs no error, that it works without JavaScript and at 400 px, and
// saves screenshots to .test-output/ to look at.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.js';
import { WORKLIST_CSV_COLUMNS, FINDINGS_CSV_COLUMNS } from '../../../src/report/csv.js';
import { count, usd } from '../../../src/view/format.js';
import { BROWSER_REQUIRED, browserAvailable, CHROMIUM, launchChromium } from '../../support/browser.js';
import { hostileClaimFile } from '../../support/hostile.js';

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const screenshots = join(root, '.test-output');
const available = browserAvailable();
if (!available && BROWSER_REQUIRED) throw new Error(`CLAIM_AUDIT_REQUIRE_BROWSER=1 but there is no browser at ${CHROMIUM} (apt-get install chromium)`);
if (!available) console.warn(`browser tests skipped: no ${CHROMIUM} (apt-get install chromium; CI requires it)`);

async function audit(args: string[]): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'claim-audit-browser-'));
  await runCli([...args, '--out', out], { stdout: () => {}, stderr: () => {}, cwd: root });
  return out;
}

interface Visit {
  page: Page;
  context: BrowserContext;
  /** Every request the page tried that was not the report file itself. */
  requests: string[];
  /** Console errors and uncaught exceptions. */
  errors: string[];
  dialogs: string[];
}

async function visit(browser: Browser, file: string, options: { width?: number; javaScript?: boolean } = {}): Promise<Visit> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: 900 }, javaScriptEnabled: options.javaScript ?? true });
  const page = await context.newPage();
  const url = pathToFileURL(file).href;
  const visit: Visit = { page, context, requests: [], errors: [], dialogs: [] };
  // Anything but the page itself is recorded and refused before it leaves the machine.
  await context.route('**/*', (route) => {
    if (route.request().url() === url) return route.continue();
    if (!visit.requests.includes(route.request().url())) visit.requests.push(route.request().url());
    return route.abort();
  });
  page.on('request', (request) => {
    if (request.url() !== url && !visit.requests.includes(request.url())) visit.requests.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') visit.errors.push(message.text());
  });
  page.on('pageerror', (error) => visit.errors.push(error.message));
  page.on('dialog', (dialog) => {
    visit.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(url, { waitUntil: 'load' });
  return visit;
}

describe.skipIf(!available)('report.html in Chromium', () => {
  let browser: Browser;
  let out: string;
  let summary: { findingTotals: { dollarsAtRisk: number; findings: number; claimsAffected: number; byCategory: Record<string, { dollars: number }> }; coverage: { linesAudited: number } };
  let csv: Record<string, string>[];
  let worklist: Record<string, string>[];

  beforeAll(async () => {
    browser = await launchChromium();
    out = await audit(['samples', '--profile', 'examples/profile-340b.json']);
    summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const rows: string[][] = parse(readFileSync(join(out, 'findings.csv'), 'utf8'));
    csv = rows.slice(1).map((r) => Object.fromEntries(FINDINGS_CSV_COLUMNS.map((c, i) => [c, r[i]!])));
    const wl: string[][] = parse(readFileSync(join(out, 'worklist.csv'), 'utf8'));
    worklist = wl.slice(1).map((r) => Object.fromEntries(WORKLIST_CSV_COLUMNS.map((c, i) => [c, r[i]!])));
    mkdirSync(screenshots, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the headline numbers of summary.json, with no network request and no console error', async () => {
    const v = await visit(browser, join(out, 'report.html'));
    expect(await v.page.textContent('#headline-dollars')).toBe(usd(summary.findingTotals.dollarsAtRisk));
    expect(await v.page.textContent('#headline-findings')).toBe(count(summary.findingTotals.findings));
    expect(await v.page.textContent('#headline-claims')).toBe(count(summary.findingTotals.claimsAffected));
    expect(await v.page.textContent('#headline-lines')).toBe(count(summary.coverage.linesAudited));
    for (const category of ['denial', 'returned', 'underbilling', 'overpayment']) {
      expect(await v.page.textContent(`#headline-${category}`)).toBe(usd(summary.findingTotals.byCategory[category]!.dollars));
    }
    await v.page.screenshot({ path: join(screenshots, 'report-1280.png') });
    await v.page.screenshot({ path: join(screenshots, 'report-1280-full.png'), fullPage: true });
    expect(v.requests).toEqual([]);
    expect(v.errors).toEqual([]);
    await v.context.close();
  });

  it('ranks first the highest-dollar finding of findings.csv', async () => {
    const v = await visit(browser, join(out, 'report.html'));
    const top = Math.max(...csv.map((r) => Number(r.finding_dollars)));
    expect(Number(csv[0]!.finding_dollars)).toBe(top);
    const first = v.page.locator('#findings-table tbody tr').first();
    expect(await first.locator('td').nth(0).textContent()).toBe('1');
    // The amount, and under it which money it is and what it is priced on.
    const category = { denial: 'denied', returned: 'returned (delayed)', underbilling: 'underbilled', overpayment: 'overpaid' }[csv[0]!.dollar_category!];
    expect(await first.locator('td').nth(1).textContent()).toBe(`${usd(top)}${category} · ${{ asp: 'ASP limit', opps: 'OPPS rate', 'billed-charge': 'billed charge' }[csv[0]!.dollar_basis!]}`);
    expect(await first.locator('td').nth(3).textContent()).toContain(csv[0]!.rule_id);
    expect(await first.locator('td').nth(4).textContent()).toContain(csv[0]!.claim_id);
    await v.context.close();
  });

  it('"fix these first" starts with the highest-dollar claim line of worklist.csv; the worklist has one row per line', async () => {
    const v = await visit(browser, join(out, 'report.html'));
    const first = v.page.locator('#fix-first-table tbody tr').first();
    const top = [...worklist].sort((a, b) => Number(b.dollars) - Number(a.dollars))[0]!;
    expect(await first.locator('td').nth(1).textContent()).toContain(usd(Number(top.dollars)));
    expect(await first.locator('td').nth(2).textContent()).toContain(top.claim_id);
    expect(await v.page.locator('#worklist-table tbody tr').count()).toBe(worklist.length);
    expect(await v.page.locator('#fix-first-table tbody tr').count()).toBe(Math.min(10, worklist.length));
    await v.context.close();
  });

  it('filters the worklist by owner and by category (without JavaScript every row shows)', async () => {
    const v = await visit(browser, join(out, 'report.html'));
    const shown = () => v.page.locator('#worklist-table tbody tr').evaluateAll((trs) => trs.filter((tr) => !(tr as unknown as { hidden: boolean }).hidden).length);
    expect(await shown()).toBe(worklist.length);
    await v.page.selectOption('#worklist-owner', 'pharmacy');
    // A line's queues: its owner, and the others its findings name (also_owners).
    const queues = (r: Record<string, string>) => [r.owner!, ...(r.also_owners ? r.also_owners.split(', ') : [])];
    expect(await shown()).toBe(worklist.filter((r) => queues(r).includes('pharmacy')).length);
    expect(await shown()).toBeLessThan(worklist.length);
    await v.page.selectOption('#worklist-category', 'returned');
    expect(await shown()).toBe(worklist.filter((r) => queues(r).includes('pharmacy') && Number(r.returned) > 0).length);
    expect(v.errors).toEqual([]);
    await v.context.close();
    const plain = await visit(browser, join(out, 'report.html'), { javaScript: false });
    expect(await plain.page.locator('#worklist-table tbody tr:visible').count()).toBe(worklist.length);
    expect(await plain.page.isVisible('#worklist-filters')).toBe(false);
    await plain.context.close();
  });

  it('at 400 px the first worklist row is within the first 1,500 px; printed, at most ceil(rows / 25) + 2 pages', async () => {
    const v = await visit(browser, join(out, 'report.html'), { width: 400 });
    const y = await v.page.evaluate<number>('document.querySelector("#worklist-table tbody tr").getBoundingClientRect().top + window.scrollY');
    expect(y).toBeLessThan(1500);
    await v.context.close();
    const p = await visit(browser, join(out, 'report.html'));
    await p.page.emulateMedia({ media: 'print' });
    const pdf = await p.page.pdf({ format: 'Letter' });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThan(0);
    expect(pages).toBeLessThanOrEqual(Math.ceil(worklist.length / 25) + 2);
    writeFileSync(join(screenshots, 'report-print.pdf'), pdf);
    await p.context.close();
  });

  it('filters and sorts the findings table with its script', async () => {
    const v = await visit(browser, join(out, 'report.html'));
    const rows = v.page.locator('#findings-table tbody tr');
    // Every finding, one row each, is one level down: open it.
    await v.page.click('#findings details summary');
    expect(await v.page.isVisible('#findings-tools')).toBe(true);
    await v.page.fill('#findings-filter', 'RB250311-02');
    expect(await rows.evaluateAll((trs) => trs.filter((tr) => !(tr as unknown as { hidden: boolean }).hidden).length)).toBe(csv.filter((r) => r.claim_id === 'RB250311-02').length);
    expect(await v.page.textContent('#findings-shown')).toBe(`3 of ${csv.length} shown`);
    await v.page.fill('#findings-filter', '');
    await v.page.selectOption('#findings-severity', 'info');
    expect(await v.page.textContent('#findings-shown')).toBe(`1 of ${csv.length} shown`);
    await v.page.selectOption('#findings-severity', '');
    // "At risk": first click sorts largest first, the second smallest first.
    const atRisk = v.page.locator('#findings-table thead th button', { hasText: 'At risk' });
    await atRisk.click();
    await atRisk.click();
    const amounts = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.children[1]!.getAttribute('data-v'))));
    expect(amounts).toEqual([...amounts].sort((a, b) => a - b));
    expect(v.errors).toEqual([]);
    await v.context.close();
  });

  it('is complete without JavaScript: every finding row, no filter box', async () => {
    const v = await visit(browser, join(out, 'report.html'), { javaScript: false });
    expect(await v.page.locator('#findings-table tbody tr').count()).toBe(csv.length);
    expect(await v.page.isVisible('#findings-tools')).toBe(false);
    expect(await v.page.isVisible('#rule-jw-jz-missing')).toBe(true);
    await v.context.close();
  });

  it('reads at 400 px: no sideways scrolling of the page', async () => {
    const v = await visit(browser, join(out, 'report.html'), { width: 400 });
    // A string: the project's TypeScript has no DOM library (src must not use one).
    const width = await v.page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(400);
    await v.page.screenshot({ path: join(screenshots, 'report-400.png') });
    await v.context.close();
  });

  it('self-check: the request and error recorders do see a page that fetches and fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-leaky-'));
    const leaky = join(dir, 'leaky.html');
    writeFileSync(leaky, '<!doctype html><img src="http://192.0.2.1/pixel.png"><script>console.error("boom")</script>');
    const v = await visit(browser, leaky);
    expect(v.requests).toEqual(['http://192.0.2.1/pixel.png']);
    expect(v.errors).toContain('boom');
    await v.context.close();
  });

  it('keeps hostile claim values inert: no element, no script, no dialog', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-hostile-'));
    const hostileOut = await audit([hostileClaimFile(dir), '--phi', 'full']);
    const v = await visit(browser, join(hostileOut, 'report.html'));
    expect(await v.page.locator('img').count()).toBe(0);
    expect(await v.page.locator('#findings-table tbody tr').first().locator('td').nth(4).textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(await v.page.textContent('#findings-table')).toContain('member =HYPERLINK("x")');
    expect(await v.page.isVisible('#phi-banner')).toBe(true);
    expect(v.dialogs).toEqual([]);
    expect(v.requests).toEqual([]);
    expect(v.errors).toEqual([]);
    await v.context.close();
  });

  it('a second night with history and a suppressions file: the since-last-run cards, the carried and suppressed sections, no request or error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-nightly-html-'));
    const out = join(dir, 'reports');
    const history = join(out, 'history');
    const night = (input: string) => runCli([input, '--out', out, '--history', history], { stdout: () => {}, stderr: () => {}, cwd: root });
    await night('samples/837p-infusion-center-medicare.edi');
    writeFileSync(join(dir, 'claim-audit.suppressions.jsonl'), `${JSON.stringify({ rule: 'units-vs-ndc-quantity', code: 'J1459', reason: 'dose checked', owner: 'pharmacy', created: '2026-01-01', expires: '2099-12-31' })}\n{"finding":"0123456789abcdef"}\n`);
    await night('samples/837p-medicaid-commercial-advantage.edi');
    const v = await visit(browser, join(out, 'report.html'));
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    // The cards: open lines by status (they add up to the open dollars), and what was resolved.
    expect(await v.page.textContent('#history-new')).toBe(`${s.open.byStatus.new.lines} line${s.open.byStatus.new.lines === 1 ? '' : 's'}`);
    expect(await v.page.textContent('#history-open')).toBe(`${s.open.byStatus.unchanged.lines + s.open.byStatus.carried.lines} lines`);
    expect(s.history.carried.findings).toBeGreaterThan(0);
    // A carried finding the new entry selects leaves the worklist too; the entry counts as used.
    expect(s.history.carried.top.some((e: { ruleId: string; code: string }) => e.ruleId === 'units-vs-ndc-quantity' && e.code === 'J1459')).toBe(false);
    expect(s.suppressions.unused).toEqual([]);
    expect(await v.page.textContent('#history-carried-note')).toContain('still open');
    expect(await v.page.textContent('#suppression-problems')).toContain('line 2: missing reason, owner, created, expires');
    await v.page.locator('#history').screenshot({ path: join(screenshots, 'report-history.png') });
    // The status filter: tonight's new lines, then the ones open since an earlier night.
    const rows = parse(readFileSync(join(out, 'worklist.csv'), 'utf8')) as string[][];
    const statusColumn = WORKLIST_CSV_COLUMNS.indexOf('status');
    const shown = () => v.page.locator('#worklist-table tbody tr').evaluateAll((trs) => trs.filter((tr) => !(tr as unknown as { hidden: boolean }).hidden).length);
    await v.page.selectOption('#worklist-status', 'new');
    expect(await shown()).toBe(rows.slice(1).filter((r) => r[statusColumn] === 'new').length);
    await v.page.selectOption('#worklist-status', 'unchanged');
    expect(await shown()).toBe(rows.slice(1).filter((r) => r[statusColumn] === 'unchanged').length);
    await v.page.selectOption('#worklist-status', 'carried');
    expect(await shown()).toBe(rows.slice(1).filter((r) => r[statusColumn] === 'carried').length);
    expect(await shown()).toBeGreaterThan(0);
    expect(v.requests).toEqual([]);
    expect(v.errors).toEqual([]);
    await v.context.close();
  });

  it('two nights with history: the worklist holds tonight\'s and the still-open rows (as worklist.csv and the Worklist sheet), the open dollars are their sum, First step in view at 1280 px, every row printed whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-audit-two-nights-'));
    const out = join(dir, 'reports');
    const history = join(dir, 'history');
    const night = (inputs: string[], date: string) => runCli([...inputs, '--out', out, '--history', history, '--fail-on', 'none'], { stdout: () => {}, stderr: () => {}, cwd: root, now: () => new Date(`${date}T02:00:00Z`) });
    await night(['samples'], '2026-11-02');
    await night(['samples/837p-infusion-center-medicare.edi', 'samples/csv-canonical-template.csv'], '2026-11-03');
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const rows = parse(readFileSync(join(out, 'worklist.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.some((r) => r.status === 'carried')).toBe(true);
    const { readWorkbook } = await import('../../support/xlsx.js');
    const sheet = (await readWorkbook(join(out, 'findings.xlsx'))).getWorksheet('Worklist')!;
    expect(sheet.rowCount - 1).toBe(rows.length);
    const v = await visit(browser, join(out, 'report.html'));
    expect(await v.page.locator('#worklist-table tbody tr').count()).toBe(rows.length);
    // The open-dollars headline is the sum of worklist.csv's dollars.
    const sum = rows.reduce((n, r) => n + Math.round(Number(r.dollars) * 100), 0);
    expect(await v.page.textContent('#headline-dollars')).toBe(usd(sum / 100));
    expect(Math.round(s.open.dollars * 100)).toBe(sum);
    // At 1280 px the First step column is inside the viewport, and no claim id breaks.
    const right = await v.page.evaluate<number>('Math.max(...[...document.querySelectorAll("#worklist-table tr > :last-child")].map((c) => c.getBoundingClientRect().right))');
    expect(right).toBeLessThanOrEqual(1280);
    const broken = await v.page.evaluate<string[]>('[...document.querySelectorAll("#worklist-table td.id .nw")].filter((n) => n.getClientRects().length > 1 || n.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(n).lineHeight || "20")).map((n) => n.textContent)');
    expect(broken).toEqual([]);
    await v.page.screenshot({ path: join(screenshots, 'report-two-nights.png') });
    await v.page.locator('#trends').screenshot({ path: join(screenshots, 'report-trends.png') });
    // Printed: the history cards, every open row, each first step whole (not clamped, as in worklist.csv).
    await v.page.emulateMedia({ media: 'print' });
    expect(await v.page.locator('[aria-label="Since the last run"]').isVisible()).toBe(true);
    const printed = await v.page.evaluate<Array<{ visible: boolean; step: string; whole: boolean }>>(
      '[...document.querySelectorAll("#worklist-table tbody tr")].map((tr) => { const step = tr.querySelector(".first-step"); return { visible: tr.getBoundingClientRect().height > 0, step: step.textContent, whole: step.scrollHeight <= step.clientHeight + 1 }; })',
    );
    expect(printed).toHaveLength(rows.length);
    printed.forEach((p, i) => {
      expect(p.visible, `row ${i + 1}`).toBe(true);
      expect(p.whole, `row ${i + 1}'s first step`).toBe(true);
      expect(p.step).toBe(rows[i]!.first_step ?? '');
    });
    const statuses = await v.page.evaluate<number>('[...document.querySelectorAll("#worklist-table .status")].filter((el) => el.getClientRects().length > 0).length');
    expect(statuses).toBe(rows.length);
    writeFileSync(join(screenshots, 'report-two-nights-print.pdf'), await v.page.pdf({ format: 'Letter', landscape: true }));
    expect(v.errors).toEqual([]);
    await v.context.close();
  });
});
