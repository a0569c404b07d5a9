// report.html: one self-contained page for people who never open a terminal. Inline CSS and
// SVG, no network (a Content-Security-Policy forbids it), complete without JavaScript and on
// paper; a small inline script adds sorting and filtering of the findings table. Every value
// from a claim file goes through escapeHtml.
import { createHash } from 'node:crypto';
import { DOLLAR_CATEGORIES, type DollarCategory, type Finding, type IngestIssue, type MissingFact } from '../model/index.js';
import { ndc542 } from './csv.js';
import { escapeHtml as e } from './escape.js';
import { count, denialText, FACT_TEXT, sourcePosition, usd } from '../view/format.js';
import { markdownToHtml } from './markdown.js';
import { TOP_FINDINGS, type Group, type HistoryItem, type ReportView, type RuleGroup } from '../view/view.js';
import type { WorklistRow } from '../view/worklist.js';

/** Findings shown on the page; findings.csv has them all. */
export const HTML_TOP_FINDINGS = TOP_FINDINGS;
/** Rows of each group table (payer, code, provider); summary.json has them all. */
export const HTML_GROUP_ROWS = 50;
/** Ingest issues listed on the page; summary.json has them all. */
export const HTML_ISSUES = 200;
/** Rules drawn as their own bar in the Pareto chart; the rest share one. */
const PARETO_BARS = 8;


const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

const percent = (part: number, whole: number) => (whole === 0 ? '0%' : `${Math.round((part / whole) * 1000) / 10}%`);

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** "2026-11-22 19:50 UTC" from an ISO timestamp. */
const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

const severityChip = (s: Finding['severity']) => `<span class="sev sev-${s}">${s}</span>`;

const ruleLink = (id: string) => `<a href="#rule-${e(id)}">${e(id)}</a>`;

const position = (ref: Finding['sourceRef'] | IngestIssue) => sourcePosition(ref, { number: count, byte: 'none' });

/** The findings table's columns; on a phone each cell is labelled by CSS (not per row: page weight). */
const FINDING_COLUMNS = ['Rank', 'At risk', 'Severity', 'Rule', 'Claim · line', 'Service date', 'Code', 'Payer', 'What to do', 'Source'] as const;
const FINDING_LABELS = FINDING_COLUMNS.map((label, i) => ` #findings-table td:nth-child(${i + 1})::before{content:"${label}"}`).join('\n');

const STYLE = `
:root{--ink:#1d2430;--muted:#5b6472;--line:#d9dee5;--soft:#f4f6f9;--accent:#1f5fa8;--err:#b42318;--err-bg:#fdecea;--warn:#8a5a00;--warn-bg:#fff4d6;--info:#35506b;--info-bg:#e8eef5;--ok:#2f7d4f;color-scheme:light}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
header.top{background:#16324f;color:#fff;padding:20px 24px 18px}
header.top .brand{font-size:13px;letter-spacing:.04em;text-transform:uppercase;opacity:.8}
header.top h1{margin:4px 0 6px;font-size:30px;line-height:1.2;font-weight:650}
header.top h1 small{display:block;font-size:16px;font-weight:400;opacity:.9}
header.top .meta{margin:0;font-size:13px;opacity:.85}
.banner{margin:0;padding:10px 24px;font-weight:600}
.banner.phi{background:#7a1020;color:#fff}
.banner.bad{background:var(--err-bg);color:var(--err);border-bottom:1px solid #f3c3bd}
main{max-width:1240px;margin:0 auto;padding:8px 24px 32px}
h2{font-size:20px;margin:32px 0 6px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:16px;margin:20px 0 4px}
.note{color:var(--muted);margin:4px 0 10px;font-size:14px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:12px;margin:18px 0 8px}
.cards .card.money{grid-column:span 2}
.card{border:1px solid var(--line);border-radius:8px;padding:12px 14px;background:var(--soft)}
.card .k{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.card .v{font-size:26px;font-weight:650;margin:2px 0;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
.card .d{font-size:13px;color:var(--muted)}
.card .d.warn{color:var(--warn);background:var(--warn-bg);padding:2px 6px;border-radius:4px;margin-top:6px}
.card.money .v,.card.cat .v{color:var(--err)}
.card.cat .v{font-size:22px;overflow-wrap:normal;white-space:nowrap}
.card.cat.exposure .v{color:var(--muted,#57606a)}
.card.cat.good .v{color:var(--ok,#1a7f37)}
.card.bad{background:var(--err-bg);border-color:#f3c3bd}
.bar{display:block;width:100%;height:10px;border-radius:5px;margin:6px 0 4px}
.dot.pass{background:var(--ok)}.dot.fail{background:var(--err)}.dot.nc{background:#c2c8d0}
.dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:3px}
nav.toc{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:14px;margin:14px 0 0}
nav.toc a{white-space:nowrap}
a{color:var(--accent)}
.wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{padding:6px 8px;text-align:left;vertical-align:top;border-bottom:1px solid var(--line)}
th{background:var(--soft);font-weight:600;font-size:13px;white-space:nowrap}
tbody tr:last-child td{border-bottom:0}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.m{font-weight:600}
td.id,code,.id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;overflow-wrap:anywhere}
.nw{white-space:nowrap}
#findings-table td:nth-child(6){white-space:nowrap}
td.src{font-size:12px;max-width:200px;overflow-wrap:anywhere}
code{background:var(--soft);padding:0 3px;border-radius:3px}
.sev{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px;font-weight:600}
.chip{display:inline-block;padding:0 6px;border-radius:9px;font-size:12px;background:var(--soft);border:1px solid var(--line)}
.status-new{color:var(--err);font-weight:600}
.status-payer-denied,.status-payer-reduced{color:var(--err);font-weight:600}.status-payer-paid{color:var(--ok,#1a7f37)}
.sev-error{background:var(--err-bg);color:var(--err)}.sev-warning{background:var(--warn-bg);color:var(--warn)}.sev-info{background:var(--info-bg);color:var(--info)}
.muted{color:var(--muted)}
.fix{color:var(--muted);margin-top:3px}
.fix b{color:var(--ink);font-weight:600}
.chart{margin:12px 0}
.chart svg{width:100%;height:auto;max-width:500px;display:block}
.chart.trend svg{max-width:760px}
#worklist-table .work{font-size:12px;margin-top:4px}
.chart text{font:13px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:var(--ink)}
.chart .axis{fill:var(--muted);font-size:11px}
.tools{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:8px 0}
.tools input,.tools select{font:inherit;padding:5px 8px;border:1px solid #b8c0cb;border-radius:5px}
.tools input{min-width:240px;flex:1 1 240px}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit}
th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
[hidden]{display:none!important}
.card.ok .v{color:var(--ok,#1a7f37)}
.filters{display:flex;flex-wrap:wrap;gap:8px;margin:6px 0 10px}
.filters label{font-size:13px;color:var(--muted)}
.filters select{font:inherit;font-size:13px;margin-left:4px}
#worklist-table td ul{margin:0;padding-left:16px}
#worklist-table td.n .muted{white-space:normal;font-weight:400}
#worklist-table td.n{min-width:6.5em}
#worklist-table td.id{overflow-wrap:normal;word-break:keep-all}
#worklist-table .x12{font-size:12px;color:var(--muted)}
.step{font-size:13px}
details.rule{border-top:1px solid var(--line);padding:4px 0 6px}
details.rule summary{cursor:pointer}
details.rule h3{margin-top:14px;display:inline}
details.rule p{margin:6px 0}
footer{max-width:1240px;margin:0 auto;padding:16px 24px 40px;color:var(--muted);font-size:13px;border-top:1px solid var(--line);overflow-wrap:anywhere}
@media (max-width:640px){
 body{font-size:14px}
 #fix-first,#history-since,.card .d,nav.toc,#by-owner,#by-owner+.wrap{display:none}
 .cards .card{padding:8px 10px}
 #worklist-table td.more{display:none}
 .cards{grid-template-columns:1fr 1fr;gap:8px}
 .cards .card.money{grid-column:1/-1}
 .cards .card.cat .v{font-size:17px;overflow-wrap:normal}
 .card .v{font-size:22px}
 header.top{padding:16px}
 header.top h1{font-size:24px}
 main{padding:4px 12px 24px}
 .banner{padding:10px 16px}
 table.cards-sm,table.cards-sm tbody,table.cards-sm tr,table.cards-sm td{display:block;width:100%}
 table.cards-sm thead{display:none}
 table.cards-sm tr{border-bottom:1px solid var(--line);padding:6px 0}
 table.cards-sm td{border:0;padding:2px 10px;text-align:left}
 table.cards-sm td::before{content:attr(data-label);display:inline-block;min-width:92px;color:var(--muted);font-size:12px;font-weight:600}
 table.cards-sm td.n{white-space:normal}
${FINDING_LABELS}
}
@media print{
 body{font-size:10pt}
 /* Paper is for working the list: the header, the totals and the worklist, 25 rows a page. */
 main>section[id]:not(#worklist),#history-since,footer,.filters,#worklist .note,#worklist-table .x12,#worklist-table .msg,#worklist-table .muted,#worklist-table li:not(:first-child),#worklist-table .sev{display:none!important}
 #worklist-table{font-size:7pt;width:100%;table-layout:fixed;border-collapse:collapse}
 #worklist-table th,#worklist-table td{padding:1px 3px;line-height:1.25;vertical-align:top}
 #worklist-table ul{padding:0;list-style:none}
 #worklist-table th:nth-child(1){width:4%}#worklist-table th:nth-child(2){width:11%}#worklist-table th:nth-child(3){width:13%}#worklist-table th:nth-child(4){width:10%}#worklist-table th:nth-child(5){width:13%}#worklist-table th:nth-child(6){width:22%}#worklist-table th:nth-child(7){width:9%}#worklist-table th:nth-child(8){width:18%}
 #worklist-table .clamp{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}
 /* Every open row's status and the whole first step, never cut. */
 #worklist-table .muted.status{display:block!important;font-size:6.5pt}
 #worklist-table .first-step{display:block;overflow:visible}
 #worklist-table .work{font-size:6.5pt}
 #worklist-table .step{font-size:7pt}
 .cards{grid-template-columns:repeat(5,1fr);gap:4px;margin:6px 0}
 .cards .card.money{grid-column:span 1}
 .card .d{display:none}
 .card{padding:4px 8px}
 .card .v{font-size:12pt;overflow-wrap:normal}
 header.top{background:none;color:#000;padding:0 0 8px;border-bottom:2px solid #000}
 .banner.phi{background:none;color:#000;border:2px solid #000}
 main,footer{max-width:none;padding:0}
 nav.toc,.tools,script{display:none!important}
 .wrap{overflow:visible;border:0}
 table{font-size:8.5pt}
 th{white-space:normal}
 td.id,.id,code{font-size:8pt}
 #findings-table th:nth-child(10),#findings-table td:nth-child(10){display:none}
 tr,details.rule,.card{break-inside:avoid}
 h2{break-after:avoid}
 a{color:inherit;text-decoration:none}
 .card{background:none}
}
`;

/** Sorting and filtering of the findings table; the table is complete without it. */
const SCRIPT = `
(function(){
var openTarget=function(){var id=location.hash.slice(1);var el=id&&document.getElementById(id);if(el&&el.tagName==='DETAILS')el.open=true;};
window.addEventListener('hashchange',openTarget);openTarget();
})();
(function(){
var wl=document.getElementById('worklist-table'),bar=document.getElementById('worklist-filters');
if(wl&&bar){
bar.hidden=false;
var selects=Array.prototype.slice.call(bar.querySelectorAll('select')),wrows=Array.prototype.slice.call(wl.tBodies[0].rows),wshown=document.getElementById('worklist-shown');
var filterRows=function(){var n=0;wrows.forEach(function(r){var ok=selects.every(function(s){var v=s.value;if(!v)return true;var have=(r.getAttribute('data-'+s.getAttribute('data-filter'))||'').split(' ');return have.indexOf(v)>=0;});r.hidden=!ok;if(ok)n++;});wshown.textContent=n+' of '+wrows.length+' shown';};
selects.forEach(function(s){s.addEventListener('change',filterRows);});filterRows();
}
})();
(function(){
var table=document.getElementById('findings-table');
if(!table)return;
var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
var tools=document.getElementById('findings-tools'),query=document.getElementById('findings-filter'),severity=document.getElementById('findings-severity'),shown=document.getElementById('findings-shown');
tools.hidden=false;
function key(cell){var v=cell.getAttribute('data-v');return v===null?cell.textContent:v;}
function apply(){
var q=query.value.trim().toLowerCase(),s=severity.value,n=0;
rows.forEach(function(r){var ok=(!q||r.textContent.toLowerCase().indexOf(q)>=0)&&(!s||r.getAttribute('data-severity')===s);r.hidden=!ok;if(ok)n++;});
shown.textContent=n+' of '+rows.length+' shown';
}
query.addEventListener('input',apply);severity.addEventListener('change',apply);
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th){
var kind=th.getAttribute('data-sort');if(!kind)return;
var button=document.createElement('button');button.type='button';button.textContent=th.textContent;th.textContent='';th.appendChild(button);
button.addEventListener('click',function(){
var col=th.cellIndex,down=th.getAttribute('aria-sort')!=='descending';
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(c){c.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',down?'descending':'ascending');
rows.sort(function(a,b){
var x=key(a.cells[col]),y=key(b.cells[col]),d;
if(kind==='n'){d=parseFloat(x)-parseFloat(y);}else{d=x<y?-1:x>y?1:0;}
if(!d)d=parseFloat(a.cells[0].textContent)-parseFloat(b.cells[0].textContent);
return down?-d:d;});
rows.forEach(function(r){body.appendChild(r);});
});
});
apply();
})();
`;

const cspHash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** No fetch, image, font, frame or form can leave the page; only its own style and script run. */
function contentSecurityPolicy(): string {
  return `default-src 'none'; style-src ${cspHash(STYLE)}; script-src ${cspHash(SCRIPT)}; img-src data:; base-uri 'none'; form-action 'none'`;
}

/** Passed / failed / not fully checked as one stacked bar (SVG: the CSP allows no style attributes). */
function coverageBar(c: ReportView['coverage']): string {
  if (c.linesAudited === 0) return '';
  let x = 0;
  const parts = (
    [
      ['#2f7d4f', c.passed],
      ['#b42318', c.failed],
      ['#c2c8d0', c.notChecked],
    ] as const
  )
    .filter(([, n]) => n > 0)
    .map(([fill, n]) => {
      const w = (n / c.linesAudited) * 100;
      const rect = `<rect x="${x.toFixed(2)}" y="0" width="${w.toFixed(2)}" height="10" fill="${fill}"/>`;
      x += w;
      return rect;
    });
  return `<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="${e(`${c.passed} passed, ${c.failed} failed, ${c.notChecked} not fully checked`)}">${parts.join('')}</svg>`;
}

/** A line over a quarter of the headline is named in the header: a reader should not take one line's price for the run's. */
const DOMINANT_SHARE = 0.25;

function dominant(l: { claimId: string; lineNumber: number; ruleId: string; severity: string; dollarBasis: Finding['dollarBasis']; dollars: number; share: number } | null, carried = false): string {
  if (!l || l.share <= DOMINANT_SHARE) return '';
  const why = l.dollarBasis === 'billed-charge' ? 'priced at its billed charge (no CMS rate for it)' : `priced at the ${l.dollarBasis === 'asp' ? 'ASP payment limit' : 'OPPS rate'}`;
  return `<div class="d warn" id="headline-dominant">One line is ${Math.round(l.share * 100)}% of this: claim <span class="nw">${e(l.claimId)}</span> line ${l.lineNumber}, ${e(l.ruleId)} (${e(l.severity)}), ${usd(l.dollars)} ${why}${carried ? ', open from an earlier run' : ''}.</div>`;
}

/** With --history: the open dollars (every line on the worklist, tonight's and those still open from earlier runs) are the headline. */
function openCard(view: ReportView, open: NonNullable<ReportView['open']>): string {
  const b = open.byStatus!;
  const tonight = { lines: b.new.lines + b.updated.lines + b.unchanged.lines, dollars: b.new.dollars + b.updated.dollars + b.unchanged.dollars };
  const resolved = view.history ? view.history.byStatus.resolved.dollars + view.history.byStatus.voided.dollars : 0;
  return `<div class="card money"><div class="k">Open dollars</div><div class="v" id="headline-dollars">${usd(open.dollars)}</div><div class="d">on ${plural(open.lines, 'claim line')} to work, each counted once (its largest amount): <b id="headline-firm">${usd(open.firm)} firm</b> (errors priced at CMS rates) · <span id="headline-review">${usd(open.toReview)} to review</span> (warnings, and lines priced at the billed charge)</div><div class="d" id="headline-open-split">${usd(tonight.dollars)} on ${plural(tonight.lines, 'line')} from tonight's audit (<b>${usd(b.new.dollars)} new</b>) · ${usd(b.carried.dollars)} on ${plural(b.carried.lines, 'line')} still open from earlier runs · ${usd(resolved)} resolved tonight</div>${dominant(open.largest, open.largest?.status === 'carried')}</div>`;
}

function headline(view: ReportView): string {
  const t = view.findingTotals;
  const c = view.coverage;
  const claimsRead = view.totals.claims.read;
  const issues = view.totals.ingestIssues;
  const bar = coverageBar(c);
  return `<section class="cards" aria-label="Headline figures">
${
    view.open?.byStatus && view.open.lines > 0
      ? openCard(view, view.open)
      : t.findings === 0
      ? `<div class="card money ok"><div class="k">Dollars at risk</div><div class="v" id="headline-dollars">No findings</div><div class="d">${c.linesAudited > 0 ? `every one of the ${plural(c.linesAudited, 'drug line')} passed the rules that could run` : 'no drug lines of the audited codes were found'}</div></div>`
      : `<div class="card money"><div class="k">Dollars at risk</div><div class="v" id="headline-dollars">${usd(t.dollarsAtRisk)}</div><div class="d">on ${plural(t.linesAffected, 'claim line')} to work, each counted once (its largest amount): <b id="headline-firm">${usd(t.firm)} firm</b> (errors priced at CMS rates) · <span id="headline-review">${usd(t.toReview)} to review</span> (warnings, and lines priced at the billed charge)</div>${dominant(t.largestLine)}</div>`
  }
<div class="card"><div class="k">Findings</div><div class="v" id="headline-findings">${count(t.findings)}</div><div class="d">${count(t.bySeverity.error)} errors (denied or returned as billed) · ${count(t.bySeverity.warning)} warnings (to review) · ${count(t.bySeverity.info)} info</div></div>
<div class="card"><div class="k">Claims affected</div><div class="v" id="headline-claims">${count(t.claimsAffected)}</div><div class="d">of ${plural(claimsRead, 'claim')} read (${count(view.totals.claims.audited)} audited, ${count(view.totals.claims.skipped)} skipped, ${count(view.totals.claims.unparseable)} unparseable)</div></div>
<div class="card"><div class="k">Drug lines audited</div><div class="v" id="headline-lines">${count(c.linesAudited)}</div>${bar}<div class="d"><span class="dot fail"></span>${count(c.failed)} with findings · <span class="dot pass"></span>${count(c.passed + c.notChecked)} without${c.notChecked > 0 ? ` (<span class="dot nc"></span>${count(c.notChecked)} not fully checked: <a href="#coverage">what to load</a>)` : ''}</div></div>
<div class="card${issues.errors > 0 ? ' bad' : ''}"><div class="k">Input problems</div><div class="v" id="headline-input-errors">${count(issues.errors)}</div><div class="d">${issues.errors > 0 ? `errors: some input could not be read (<a href="#inputs">see Inputs</a>)` : 'errors'} · ${plural(issues.warnings, 'warning')} · ${plural(view.totals.files, 'file')}</div></div>
</section>
<section class="cards" aria-label="Dollars by category">
${DOLLAR_CATEGORIES.map((category) => {
  // With history the money cards split the open dollars (every worklist line), as the headline does; compliance exposure stays tonight's.
  const open = view.open?.byStatus && category !== 'compliance' ? view.open.byCategory[category] : null;
  if (open) return `<div class="card cat"><div class="k">${e(CATEGORY_TEXT[category].title)}</div><div class="v" id="headline-${category}">${usd(open.dollars)}</div><div class="d">${e(CATEGORY_TEXT[category].means)} · ${plural(open.lines, 'open line')}</div></div>`;
  const total = t.byCategory[category];
  // Compliance puts no payment at risk: its card shows the payment exposed on audit, apart from the dollars.
  const shown = category === 'compliance' ? usd(total.exposure ?? 0) : usd(total.dollars);
  const held = (['error', 'warning', 'info'] as const).filter((s) => (total.bySeverity?.[s] ?? 0) > 0).map((s) => plural(total.bySeverity![s], s));
  return `<div class="card cat${category === 'compliance' ? ' exposure' : ''}"><div class="k">${e(CATEGORY_TEXT[category].title)}</div><div class="v" id="headline-${category}">${shown}</div><div class="d">${e(CATEGORY_TEXT[category].means)} · ${plural(total.lines, 'line')}${held.length > 0 ? ` (${held.join(', ')})` : ''}</div></div>`;
}).join('\n')}
</section>`;
}

/** The kinds of money a finding's dollars can be (DOMAIN.md section 11), as a biller reads them. */
export const CATEGORY_TEXT: Record<DollarCategory, { title: string; means: string }> = {
  denial: { title: 'Denied', means: 'payment the payer will refuse' },
  returned: { title: 'Returned (delayed)', means: 'paid once the claim is corrected' },
  underbilling: { title: 'Underbilled', means: 'revenue lost by our own billing' },
  overpayment: { title: 'Overpaid', means: 'paid in excess: refundable on audit' },
  compliance: { title: 'Compliance exposure', means: 'paid the same, not at risk: the lines\' payment exposed on audit (340B modifiers)' },
};

function paretoChart(groups: RuleGroup[], total: number): string {
  if (groups.length === 0 || total <= 0) return '<p class="note">No dollars at risk: nothing to chart.</p>';
  // Bars a reader can see (1% of the total or more, at most PARETO_BARS), then the rest as one visible tail.
  const byDollars = [...groups].filter((g) => g.attributedDollars > 0).sort((a, b) => b.attributedDollars - a.attributedDollars || (a.key < b.key ? -1 : 1));
  const shown = byDollars.filter((g, i) => i < PARETO_BARS && g.attributedDollars >= total * 0.01);
  const others = byDollars.slice(shown.length);
  const rest = others.reduce((sum, g) => sum + g.attributedDollars, 0);
  const bars = shown.map((g) => ({ label: g.key, dollars: g.attributedDollars, link: true }));
  if (rest > 0) bars.push({ label: `${others.length} other rule${others.length === 1 ? '' : 's'}`, dollars: Math.round(rest * 100) / 100, link: false });
  // Each row: the rule's name above its bar, the amount and running share after it. Names
  // above bars leave the whole width to the bars, so the chart reads at 400 px too.
  const left = 4;
  const barW = 270;
  const width = left + barW + 176;
  const rowH = 42;
  const top = 26;
  const height = top + bars.length * rowH + 6;
  const x = (share: number) => left + share * barW;
  let cumulative = 0;
  const points: [number, number][] = [];
  const rows = bars.map((bar, i) => {
    const share = bar.dollars / total;
    cumulative += share;
    const y = top + i * rowH;
    points.push([x(Math.min(1, cumulative)), y + 27]);
    const label = `<text x="${left}" y="${y + 14}">${e(bar.label)}</text>`;
    return `<g><title>${e(`${bar.label}: ${usd(bar.dollars)} (${percent(bar.dollars, total)}); running total ${percent(cumulative, 1)}`)}</title>${bar.link ? `<a href="#rule-${e(bar.label)}">${label}</a>` : label}<rect x="${left}" y="${y + 20}" width="${Math.max(4, share * barW).toFixed(1)}" height="14" rx="2" fill="#1f5fa8"/><text x="${left + barW + 10}" y="${y + 32}">${usd(bar.dollars)} <tspan class="axis">${percent(cumulative, 1)}</tspan></text></g>`;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((t) => `<line x1="${x(t)}" y1="${top - 6}" x2="${x(t)}" y2="${height - 4}" stroke="#d9dee5"/><text class="axis" x="${x(t)}" y="${top - 10}" text-anchor="${t === 0 ? 'start' : t === 1 ? 'end' : 'middle'}">${t * 100}%</text>`)
    .join('');
  const line = points.map(([px, py]) => `${px.toFixed(1)},${py}`).join(' ');
  const dots = points.map(([px, py]) => `<circle cx="${px.toFixed(1)}" cy="${py}" r="3.5" fill="#b42318"/>`).join('');
  return `<figure class="chart"><svg viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="pareto-title" xmlns="http://www.w3.org/2000/svg"><title id="pareto-title">Dollars at risk by rule, largest first, with the running total</title>${ticks}${rows.join('')}<polyline points="${line}" fill="none" stroke="#b42318" stroke-width="2"/>${dots}</svg>
<figcaption class="note">Blue bars: each rule's share of the ${usd(total)} at risk. Red line, and the percentage after each amount: the running total. A line with several findings counts once, under its top-ranked finding's rule, so the bars add up to the total.</figcaption></figure>`;
}

function groupTable(id: string, groups: Group[], head: [string, string | null], limit = HTML_GROUP_ROWS): string {
  if (groups.length === 0) return '<p class="note">No findings.</p>';
  const rows = groups
    .slice(0, limit)
    .map(
      (g) =>
        `<tr><td data-label="${e(head[0])}">${e(g.label)}</td>${head[1] !== null ? `<td data-label="${e(head[1])}">${e(g.detail ?? '')}</td>` : ''}<td class="n" data-label="Dollars at risk">${usd(g.dollarsAtRisk)}${categoriesOf(g)}</td><td class="n" data-label="Findings">${count(g.findings)}</td><td class="n" data-label="Claims">${count(g.claims)}</td><td class="n" data-label="Lines">${count(g.lines)}</td></tr>`,
    )
    .join('\n');
  const more = groups.length > limit ? `<p class="note">${count(groups.length - limit)} more rows in summary.json (groups.${id}).</p>` : '';
  return `<div class="wrap"><table class="cards-sm"><thead><tr><th>${e(head[0])}</th>${head[1] !== null ? `<th>${e(head[1])}</th>` : ''}<th class="n">Dollars at risk</th><th class="n">Findings</th><th class="n">Claims</th><th class="n">Lines</th></tr></thead><tbody>
${rows}
</tbody></table></div>${more}`;
}

function ruleTable(groups: RuleGroup[]): string {
  if (groups.length === 0) return '<p class="note">No findings.</p>';
  const rows = groups
    .map(
      (g) =>
        `<tr><td data-label="Rule">${ruleLink(g.key)}<div class="muted">${e(g.detail ?? '')}</div></td><td data-label="Severity">${severityChip(g.severity)}</td><td data-label="Denial code">${e(g.denial || '—')}</td><td class="n" data-label="Dollars at risk">${usd(g.attributedDollars)}</td><td class="n" data-label="On its lines">${usd(g.dollarsAtRisk)}${categoriesOf(g)}</td><td class="n" data-label="Findings">${count(g.findings)}</td><td class="n" data-label="Claims">${count(g.claims)}</td><td class="n" data-label="Lines">${count(g.lines)}</td></tr>`,
    )
    .join('\n');
  return `<div class="wrap"><table class="cards-sm"><thead><tr><th>Rule</th><th>Severity</th><th>Denial code</th><th class="n">Dollars at risk</th><th class="n">On its lines</th><th class="n">Findings</th><th class="n">Claims</th><th class="n">Lines</th></tr></thead><tbody>
${rows}
</tbody></table></div>
<p class="note">Dollars at risk count each line once, under the rule of its largest finding, as the headline does: the column adds up to the total. On its lines: the dollars of every line with a finding of the rule, some of them counted under another rule too.</p>`;
}

/** A group's dollars by category, where they are not all of one category or there are any. */
function categoriesOf(g: Group): string {
  const parts = DOLLAR_CATEGORIES.filter((c) => g.byCategory[c] > 0).map((c) => `${CATEGORY_TEXT[c].title.toLowerCase()} ${usd(g.byCategory[c])}`);
  return parts.length === 0 ? '' : `<div class="muted">${e(parts.join(' · '))}</div>`;
}

/** Worklist rows the "fix these first" table shows. */
const FIX_FIRST = 10;

const categoryList = (r: WorklistRow) => r.categories;

function fixFirstSection(view: ReportView): string {
  const rows = view.worklist.rows.slice(0, FIX_FIRST);
  if (rows.length === 0) return '';
  const body = rows
    .map(
      (r) =>
        `<tr><td class="n" data-label="#">${r.rank}</td><td class="n m" data-label="Dollars">${usd(r.dollars)}<div class="muted">${e(categoryList(r).map((c) => CATEGORY_TEXT[c].title.toLowerCase()).join(', '))}</div></td><td data-label="Claim line" class="id"><span class="nw">${e(r.claimId)}</span> <span class="muted">#${r.lineNumber}</span></td><td data-label="What">${e(r.findings[0]!.title)}${r.findings.length > 1 ? ` <span class="muted">+${r.findings.length - 1} more</span>` : ''}<div class="muted">${e(r.code ?? '')} ${e(r.drug ?? '')}</div></td><td data-label="Owner">${e(r.owner)}</td><td data-label="First step" class="step">${e(r.firstStep ?? '')}</td></tr>`,
    )
    .join('\n');
  return `<section id="fix-first"><h2>Fix these first</h2>
<p class="note">The ${count(rows.length)} claim lines with the most money on them, who fixes each, and the first step.</p>
<div class="wrap"><table class="cards-sm" id="fix-first-table"><thead><tr><th class="n">#</th><th class="n">Dollars</th><th>Claim line</th><th>What</th><th>Owner</th><th>First step</th></tr></thead><tbody>
${body}
</tbody></table></div>
</section>
`;
}

function worklistSection(view: ReportView): string {
  const { rows, total } = view.worklist;
  if (total === 0) {
    return `<section id="worklist"><h2>Worklist</h2><p class="note ok-note" id="no-findings">${view.coverage.linesAudited === 0 ? 'No drug lines of the audited codes were found in the inputs.' : 'Nothing to work: no finding on any audited drug line.'}</p></section>
`;
  }
  const options = (values: Array<[string, string]>) => values.map(([v, label]) => `<option value="${e(v)}">${e(label)}</option>`).join('');
  const distinct = (f: (r: WorklistRow) => string[]) => [...new Set(rows.flatMap(f))].sort();
  const filter = (id: string, label: string, values: Array<[string, string]>) => `<label>${e(label)}<select id="worklist-${id}" data-filter="${id}"><option value="">all</option>${options(values)}</select></label>`;
  const statuses = view.history ? filter('status', 'Status', [['new', 'new tonight'], ['updated', 'changed'], ['unchanged', 'open, audited again tonight'], ['carried', 'open, not in tonight\'s files']]) : '';
  // With remittances in the history: what the payer did with each line (pending: no 835 yet).
  const outcomes = view.calibration ? filter('outcome', 'Payer', [['denied', 'denied by payer'], ['reduced', 'reduced by payer'], ['paid', 'paid'], ['reversed', 'reversed'], ['pending', 'no remittance yet']]) : '';
  const body = rows
    .map((r) => {
      const findings = `<ul>${r.findings.map((f) => `<li>${severityChip(f.severity)} <span class="clamp">${e(f.title)}</span><div class="muted msg">${e(f.message)}</div></li>`).join('')}</ul>`;
      const status = r.status || r.payer ? `<div class="muted status status-${r.payer ? `payer-${r.payer.outcome}` : r.status}"${r.firstSeen ? ` title="${e(`first seen ${r.firstSeen}${r.lastSeen ? `; last seen ${r.lastSeen.date} (run ${r.lastSeen.run})` : ''}`)}"` : ''}>${e(rowStatusText(r))}</div>` : '';
      const work = r.assignee || r.workStatus || r.note ? `<div class="work">${e([r.assignee, r.workStatus].filter((x) => x).join(' · '))}</div>${r.note ? `<div class="muted work-note">${e(r.note)}</div>` : ''}` : '';
      const cats = categoryList(r);
      const split = cats.length > 1 ? `<div class="muted">${e(cats.map((c) => `${CATEGORY_TEXT[c].title.toLowerCase()} ${usd(r.byCategory[c])}`).join(' · '))}</div>` : `<div class="muted">${e(cats.map((c) => CATEGORY_TEXT[c].title.toLowerCase()).join(''))}</div>`;
      return `<tr data-owner="${e(r.owners.join(' '))}" data-payer="${e(r.payerClass)}" data-provider="${e(r.billingNpi ?? '')}" data-status="${e(r.status ?? '')}" data-outcome="${e(r.payer?.outcome ?? (r.status === null ? '' : 'pending'))}" data-category="${e(cats.join(' '))}"><td class="n" data-label="#">${r.rank}${status}</td><td class="n m" data-label="Dollars">${usd(r.dollars)}${split}</td><td class="id" data-label="Claim line"><span class="nw">${e(r.claimId)}</span> <span class="muted">#${r.lineNumber}</span><div class="muted">${e(r.serviceDate ?? '')}</div></td><td data-label="Drug"><b class="nw">${e([r.code ?? '—', ...r.modifiers].join('-'))}</b> ${r.units === null ? '' : `× ${e(r.units)}`}<div class="muted">${e(r.drug ?? '')}</div></td><td data-label="Payer">${e(r.payerName ?? '—')}<div class="muted">${e(r.payerClass)} · ${e(r.billingName ?? r.billingNpi ?? '')}</div></td><td data-label="Findings">${findings}</td><td data-label="Owner"><b>${e(r.owner)}</b>${r.owners.length > 1 ? `<div class="muted">also ${e(r.owners.filter((o) => o !== r.owner).join(', '))}</div>` : ''}${work}</td><td data-label="First step" class="step"><span class="first-step">${e(r.firstStep ?? '')}</span><div class="x12">${e(r.sourceFile)} · ${e(r.sourcePosition)}</div></td></tr>`;
    })
    .join('\n');
  const said = total > rows.length ? `The top ${count(rows.length)} of ${count(total)} claim lines; <b>worklist.csv and findings.xlsx have all ${count(total)}</b>, in the same order.` : `All ${plural(total, 'claim line')} with findings, ranked by dollars; worklist.csv and findings.xlsx have the same list.`;
  return `<section id="worklist"><h2>Worklist: claim lines to fix</h2>
<p class="note">${said} One row per claim line, its dollars counted once; each finding in plain words, the file position below the first step.</p>
${ownerTable(view)}
<div class="filters" id="worklist-filters" hidden>${filter('owner', 'Owner', distinct((r) => r.owners).map((o) => [o, o]))}${filter('payer', 'Payer', distinct((r) => [r.payerClass]).map((p) => [p, p]))}${filter('provider', 'Billing provider', distinct((r) => (r.billingNpi ? [r.billingNpi] : [])).map((p) => [p, p]))}${statuses}${outcomes}${filter('category', 'Money', DOLLAR_CATEGORIES.map((c) => [c, CATEGORY_TEXT[c].title]))}<span class="muted" id="worklist-shown"></span></div>
<div class="wrap"><table id="worklist-table" class="cards-sm"><thead><tr><th class="n">#</th><th class="n">Dollars</th><th>Claim line</th><th>Drug</th><th>Payer</th><th>Findings</th><th>Owner</th><th>First step</th></tr></thead><tbody>
${body}
</tbody></table></div>
</section>
`;
}

/** The worklist by owner queue: each line under the queue of its top finding, so the dollars add up to the headline. */
function ownerTable(view: ReportView): string {
  const queues = view.owners ?? [];
  if (queues.length === 0) return '';
  const history = queues.some((q) => q.newTonight !== null);
  const rows = queues
    .map((q) => `<tr><td data-label="Queue"><b>${e(q.owner)}</b></td><td class="n" data-label="Lines">${count(q.lines)}</td><td class="n" data-label="Dollars">${usd(q.dollars)}</td><td class="n" data-label="Findings">${count(q.findings)}</td>${history ? `<td class="n" data-label="New tonight">${count(q.newTonight ?? 0)}</td><td data-label="Oldest open">${e(q.oldestOpen ?? '—')}</td>` : ''}</tr>`)
    .join('\n');
  return `<h3 id="by-owner">By owner queue</h3><div class="wrap"><table class="cards-sm" id="owner-queues"><thead><tr><th>Queue</th><th class="n">Lines</th><th class="n">Dollars</th><th class="n">Findings</th>${history ? '<th class="n">New tonight</th><th>Oldest open</th>' : ''}</tr></thead><tbody>
${rows}
</tbody></table></div>`;
}

const entries = (n: number) => `${count(n)} ${n === 1 ? 'entry' : 'entries'}`;

const STATUS_TEXT: Record<string, string> = { new: 'new', unchanged: 'open', updated: 'changed', carried: 'open', resolved: 'resolved', voided: 'voided' };

/** A worklist row's status in words: new; changed or open since the night first seen; a carried line says its claim was not in tonight's files. */
function rowStatusText(r: Pick<WorklistRow, 'status' | 'firstSeen' | 'lastSeen' | 'agingDays' | 'payer'>): string {
  // What the payer did comes first: it is the newest word on the line.
  const p = r.payer;
  if (p) {
    const codes = [...p.carcs, ...p.rarcs].join(' / ');
    if (p.outcome === 'denied') return `denied by payer on ${p.date ?? 'an unknown date'}${codes ? ` (${codes})` : ''}`;
    if (p.outcome === 'reduced') return `reduced by payer on ${p.date ?? 'an unknown date'}${codes ? ` (${codes})` : ''}`;
    if (p.outcome === 'reversed') return `payment reversed on ${p.date ?? 'an unknown date'}`;
    return 'paid: consider a suppression';
  }
  if (r.status === null) return '';
  if (r.status === 'new') return 'new';
  const age = r.agingDays !== null && r.agingDays > 0 ? `open ${plural(r.agingDays, 'day')}` : 'open';
  if (r.status === 'carried') return `${age}, not in tonight's files`;
  return r.status === 'updated' ? `changed, ${age}` : age;
}

/**
 * Tonight against the run compared with: the cards a nightly reader looks at first. The open
 * lines by status (new, changed, still open) add up to the open dollars; resolved is what left.
 */
function historyCards(view: ReportView): string {
  const h = view.history;
  if (!h) return '';
  const s = h.byStatus;
  const b = view.open?.byStatus ?? null;
  const since = h.since === null ? 'the first run in the history: every finding is new' : `compared with run ${h.since}`;
  const card = (id: string, title: string, n: string, dollars: number, note: string, tone = '') =>
    `<div class="card cat${tone}"><div class="k">${e(title)}</div><div class="v" id="history-${id}">${n}</div><div class="d"><span id="history-${id}-dollars">${usd(dollars)}</span> · ${e(note)}</div></div>`;
  const lines = (n: number) => plural(n, 'line');
  // A run with history always has the worklist's totals by status (audit.ts): the cards split them.
  if (!b) return '';
  const cards = [
    card('new', 'New tonight', lines(b.new.lines), b.new.dollars, 'review these first'),
    card('updated', 'Changed', lines(b.updated.lines), b.updated.dollars, 'same finding, new units, dollars or message'),
    card('open', 'Still open', lines(b.unchanged.lines + b.carried.lines), b.unchanged.dollars + b.carried.dollars, `${lines(b.carried.lines)} not in tonight's files, kept on the worklist`),
    card('resolved', 'Resolved tonight', plural(s.resolved.findings + s.voided.findings, 'finding'), s.resolved.dollars + s.voided.dollars, `${count(s.voided.findings)} by a void`, ' good'),
  ];
  return `\n<section class="cards" aria-label="Since the last run">
${cards.join('\n')}
</section>
<p class="note" id="history-since">This run is ${e(h.run)}, ${e(since)}. ${plural(s.unchanged.findings, 'finding')} unchanged.</p>`;
}

/** A carried or ended finding of the history, as a table row. */
function historyRow(item: HistoryItem): string {
  const status = item.status ? `<span class="chip">${e(STATUS_TEXT[item.status] ?? item.status)}</span> ` : '';
  return `<tr><td class="n" data-label="Dollars">${usd(item.dollarsAtRisk)}<div class="muted">${e(CATEGORY_TEXT[item.dollarCategory].title.toLowerCase())}</div></td><td data-label="Rule">${status}${ruleLink(item.ruleId)}</td><td class="id" data-label="Claim"><span class="nw">${e(item.claimId)}</span> <span class="muted">#${item.lineNumber}</span></td><td data-label="Code">${e(item.code ?? '—')}</td><td data-label="Service date">${e(item.serviceDate ?? '—')}</td><td data-label="Finding">${e(item.message)}</td><td data-label="Owner">${e(item.owner)}</td><td class="muted" data-label="First seen">${e(item.firstSeen.date)}<div>${e(item.sourceFile)}</div></td></tr>`;
}

function historySection(view: ReportView): string {
  const h = view.history;
  if (!h) return '';
  const table = (items: HistoryItem[], total: number, empty: string) =>
    items.length === 0
      ? `<p class="note">${e(empty)}</p>`
      : `<div class="wrap"><table class="cards-sm"><thead><tr><th class="n">Dollars</th><th>Rule</th><th>Claim</th><th>Code</th><th>Service date</th><th>Finding</th><th>Owner</th><th>First seen</th></tr></thead><tbody>
${items.map(historyRow).join('\n')}
</tbody></table></div>${total > items.length ? `<p class="note">The first ${count(items.length)} of ${count(total)} by dollars; the run's open.ndjson and ended.ndjson in the history have all.</p>` : ''}`;
  const ended = h.byStatus.resolved.findings + h.byStatus.voided.findings;
  const carried = view.open?.byStatus?.carried ?? { lines: 0, dollars: 0 };
  const still = `<p class="note" id="history-carried-note">${carried.lines === 0 ? 'Nothing is carried: every open finding\'s claim was audited again tonight.' : `${plural(carried.lines, 'line')} (${usd(carried.dollars)}) of claims not in tonight's input are still open: absence is not a fix, so they are on the <a href="#worklist">worklist</a> (status "not in tonight's files") until their claim comes again.`}</p>`;
  return `<section id="history"><h2>Since the last run</h2>
<h3>Still open from earlier runs</h3>
${still}
<h3>Ended tonight</h3>
${table(h.ended, ended, 'None.')}
</section>
`;
}

/** Short money for chart labels: $1.2M, $45K, $980. */
function shortUsd(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e6) return `$${(n / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e3) return `$${(n / 1e3).toFixed(a >= 1e4 ? 0 : 1)}K`;
  return `$${Math.round(n)}`;
}

/** Nights in the report's charts (the workbook's Trends sheet and summary.json have every night kept). */
const TREND_CHART_NIGHTS = 30;

/**
 * Columns a night, inline SVG (no script, no external file): each series a bar, each bar with
 * a tooltip of its value. Reads at 400 px: the width scales, the date labels thin out.
 */
function nightsChart(id: string, title: string, nights: ReadonlyArray<{ date: string }>, series: ReadonlyArray<{ name: string; color: string; value: (i: number) => number; text: (i: number) => string }>, unit: 'usd' | 'count' = 'usd'): string {
  const n = nights.length;
  const width = 640;
  const height = 200;
  const left = 56;
  const right = 8;
  const top = 16;
  const bottom = 34;
  const plotH = height - top - bottom;
  const max = unit === 'count' ? Math.max(2, ...series.flatMap((s) => nights.map((_, i) => s.value(i)))) : Math.max(1, ...series.flatMap((s) => nights.map((_, i) => s.value(i))));
  const slot = (width - left - right) / Math.max(n, 1);
  const barW = Math.max(2, Math.min(28, (slot * 0.8) / series.length));
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const grid = [0, 0.5, 1].map((t) => `<line x1="${left}" x2="${width - right}" y1="${y(max * t).toFixed(1)}" y2="${y(max * t).toFixed(1)}" stroke="#d9dee5"/><text class="axis" x="${left - 6}" y="${(y(max * t) + 4).toFixed(1)}" text-anchor="end">${e(unit === 'usd' ? shortUsd(max * t) : count(Math.round(max * t)))}</text>`).join('');
  const labelEvery = Math.ceil(n / 8);
  const bars = nights
    .map((night, i) => {
      const x0 = left + i * slot + (slot - barW * series.length) / 2;
      const cols = series.map((s, k) => {
        const v = s.value(i);
        return `<rect x="${(x0 + k * barW).toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${Math.max(0, top + plotH - y(v)).toFixed(1)}" fill="${s.color}"><title>${e(`${night.date}: ${s.name} ${s.text(i)}`)}</title></rect>`;
      });
      const label = i % labelEvery === 0 || i === n - 1 ? `<text class="axis" x="${(left + i * slot + slot / 2).toFixed(1)}" y="${height - bottom + 14}" text-anchor="middle">${e(night.date.slice(5))}</text>` : '';
      return cols.join('') + label;
    })
    .join('');
  const legend = series.map((s, k) => `<rect x="${left + k * 150}" y="${height - 12}" width="10" height="10" fill="${s.color}"/><text class="axis" x="${left + k * 150 + 14}" y="${height - 3}">${e(s.name)}</text>`).join('');
  return `<figure class="chart trend"><svg viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title" xmlns="http://www.w3.org/2000/svg" id="${id}"><title id="${id}-title">${e(title)}</title>${grid}${bars}${legend}</svg></figure>`;
}

/** Trends from the history: open dollars by night, new against resolved, tonight's aging, the owner queues over the last nights. */
function trendsSection(view: ReportView): string {
  const all = view.trends;
  if (!all || all.length === 0) return '';
  const nights = all.slice(-TREND_CHART_NIGHTS);
  const last = nights.at(-1)!;
  const first = nights[0]!;
  const change = last.open.dollars - first.open.dollars;
  const said =
    nights.length === 1
      ? 'The first night in the history: the trends start here.'
      : `Over ${plural(nights.length, 'night')} (${e(first.date)} to ${e(last.date)}) the open dollars went from ${usd(first.open.dollars)} to ${usd(last.open.dollars)} (${change <= 0 ? 'down' : 'up'} ${usd(Math.abs(change))}).`;
  const open = nightsChart('trend-open', 'Open dollars by night', nights, [{ name: 'open dollars', color: '#1f5fa8', value: (i) => nights[i]!.open.dollars, text: (i) => `${usd(nights[i]!.open.dollars)} on ${plural(nights[i]!.open.lines, 'line')}` }]);
  // Counts, not dollars: one large line would flatten every other night's bars.
  const flow = nightsChart(
    'trend-flow',
    'New lines and resolved findings by night',
    nights,
    [
      { name: 'new lines', color: '#b42318', value: (i) => nights[i]!.new.lines, text: (i) => `${plural(nights[i]!.new.lines, 'line')} (${usd(nights[i]!.new.dollars)})` },
      { name: 'resolved findings', color: '#1a7f37', value: (i) => nights[i]!.resolved.findings, text: (i) => `${plural(nights[i]!.resolved.findings, 'finding')} (${usd(nights[i]!.resolved.dollars)})` },
    ],
    'count',
  );
  const aging = last.aging;
  const agingTable = aging
    ? `<h3>Aging of what is open</h3><div class="wrap"><table class="cards-sm" id="aging"><thead><tr><th>Days since first seen</th><th class="n">Lines</th><th class="n">Dollars</th><th>Share</th></tr></thead><tbody>
${(Object.entries(aging) as Array<[string, { lines: number; dollars: number }]>)
  .map(([bucket, a]) => `<tr><td data-label="Days">${e(bucket)}</td><td class="n" data-label="Lines">${count(a.lines)}</td><td class="n" data-label="Dollars">${usd(a.dollars)}</td><td data-label="Share"><svg viewBox="0 0 100 10" width="120" height="10" aria-hidden="true"><rect width="${last.open.dollars > 0 ? Math.max(1, (a.dollars / last.open.dollars) * 100).toFixed(1) : 0}" height="10" rx="2" fill="${bucket === '90+' ? '#b42318' : bucket === '31-90' ? '#b35900' : '#1f5fa8'}"/></svg> ${e(percent(a.dollars, last.open.dollars || 1))}</td></tr>`)
  .join('\n')}
</tbody></table></div>`
    : '';
  const recent = nights.slice(-7);
  const owners = [...new Set(recent.flatMap((p) => Object.keys(p.owners ?? {})))].sort((a, b) => (last.owners?.[b]?.dollars ?? 0) - (last.owners?.[a]?.dollars ?? 0) || (a < b ? -1 : 1));
  const ownerTable =
    owners.length === 0
      ? ''
      : `<h3>Owner queues, last ${plural(recent.length, 'night')}</h3><div class="wrap"><table id="trend-owners"><thead><tr><th>Queue</th>${recent.map((p) => `<th class="n">${e(p.date.slice(5))}</th>`).join('')}</tr></thead><tbody>
${owners.map((o) => `<tr><td><b>${e(o)}</b></td>${recent.map((p) => `<td class="n">${p.owners === null ? '—' : usd(p.owners[o]?.dollars ?? 0)}<div class="muted">${p.owners === null ? '' : plural(p.owners[o]?.lines ?? 0, 'line')}</div></td>`).join('')}</tr>`).join('\n')}
</tbody></table></div>`;
  return `<section id="trends"><h2>Trends</h2>
<p class="note" id="trend-said">${said} Each night's report is kept in its run's folder of the history.</p>
<h3>Open dollars by night</h3>${open}
<h3>New lines and resolved findings by night</h3>${flow}
${agingTable}
${ownerTable}
</section>
`;
}

/** Predicted against paid: every rule measured on the payers' remittances. */
function calibrationSection(view: ReportView): string {
  const c = view.calibration;
  if (!c) return '';
  const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);
  const rule = (r: NonNullable<ReportView['calibration']>['rules'][number]) =>
    `<tr><td data-label="Rule">${ruleLink(r.ruleId)}${r.payer ? `<div class="muted">${e(r.payer)}</div>` : ''}</td><td class="n" data-label="With an outcome">${count(r.outcomes)}</td><td class="n" data-label="Confirmed">${count(r.confirmed)} <span class="muted">(${count(r.denied)} denied, ${count(r.reduced)} reduced)</span></td><td class="n" data-label="Precision">${pct(r.precision)} <span class="muted">${pct(r.interval.low)}–${pct(r.interval.high)}</span></td><td class="n" data-label="Named CARC">${count(r.withNamedCarc)}</td><td class="n" data-label="Predicted">${usd(r.predictedDollars)}</td><td class="n" data-label="Taken by payers">${usd(r.adjustedDollars)}</td></tr>`;
  const head = '<thead><tr><th>Rule</th><th class="n">With an outcome</th><th class="n">Confirmed</th><th class="n">Precision (95% interval)</th><th class="n">With the CARC it names</th><th class="n">Predicted</th><th class="n">Taken by payers</th></tr></thead>';
  const unpredicted =
    c.unpredicted.length === 0
      ? '<p class="note">None: every drug line payers denied or reduced had a finding.</p>'
      : `<div class="wrap"><table class="cards-sm" id="unpredicted"><thead><tr><th>Adjustment codes</th><th>Remarks</th><th>Code</th><th class="n">Lines</th><th class="n">Dollars taken</th></tr></thead><tbody>
${c.unpredicted.slice(0, 50).map((u) => `<tr><td data-label="CARC">${e(u.carcs)}</td><td data-label="RARC">${e(u.rarcs || '—')}</td><td data-label="Code">${e(u.code ?? '—')}</td><td class="n" data-label="Lines">${count(u.lines)}</td><td class="n" data-label="Dollars">${usd(u.dollars)}</td></tr>`).join('\n')}
</tbody></table></div>`;
  const paid =
    c.paidWithFindings.length === 0
      ? ''
      : `<h3>Flagged, then paid in full</h3><p class="note">${plural(c.paidWithFindings.length, 'line')} with findings the payer paid in full: candidates for a suppression or a profile change, never applied by the auditor.</p><div class="wrap"><table class="cards-sm" id="paid-with-findings"><thead><tr><th>Claim line</th><th>Code</th><th>Rules</th><th class="n">Paid</th><th>On</th></tr></thead><tbody>
${c.paidWithFindings.slice(0, 100).map((p) => `<tr><td class="id" data-label="Claim line"><span class="nw">${e(p.claimId)}</span> <span class="muted">#${p.lineNumber}</span></td><td data-label="Code">${e(p.code ?? '—')}</td><td data-label="Rules">${p.ruleIds.map(ruleLink).join(' ')}</td><td class="n" data-label="Paid">${usd(p.paid)}</td><td data-label="On">${e(p.date ?? '—')}</td></tr>`).join('\n')}
</tbody></table></div>`;
  return `<section id="calibration"><h2>Predicted against paid</h2>
<p class="note">${plural(c.lines, 'audited line')} with a payer's answer${c.since ? ` since ${e(c.since)}` : ''}: ${count(c.byOutcome.denied)} denied, ${count(c.byOutcome.reduced)} reduced, ${count(c.byOutcome.paid)} paid, ${count(c.byOutcome.reversed)} reversed${c.pending !== null ? `; ${plural(c.pending, 'line')} with findings still wait for one` : ''}. Precision is the share of a rule's findings the payer confirmed (denied or reduced the line); the interval is where the true share lies with 95% confidence, given how few there are: "3 of 4" is between 30% and 95%, not 75%.</p>
<div class="wrap"><table class="cards-sm" id="calibration-rules">${head}<tbody>
${c.rules.map(rule).join('\n')}
</tbody></table></div>
${c.payerRules.length > 0 ? `<h3>By payer</h3><div class="wrap"><table class="cards-sm" id="calibration-payers">${head}<tbody>\n${c.payerRules.map(rule).join('\n')}\n</tbody></table></div>` : ''}
<h3>Denials no rule predicted</h3>
<p class="note">Drug lines payers denied or reduced with no finding, by their codes: the rules to write next.</p>
${unpredicted}
${paid}
</section>
`;
}

function suppressionSection(view: ReportView): string {
  const s = view.suppressions;
  if (!s) return '';
  const problems =
    s.problems.length === 0
      ? ''
      : `<div class="banner bad" id="suppression-problems"><b>${count(s.problems.length)} suppression ${s.problems.length === 1 ? 'entry suppresses' : 'entries suppress'} nothing:</b><ul>${s.problems.map((p) => `<li>line ${p.line}: ${e(p.message)}</li>`).join('')}</ul></div>`;
  const unused = s.unused.length === 0 ? '' : `<p class="note">${entries(s.unused.length)} matched no finding tonight (lines ${e(s.unused.map((u) => u.line).join(', '))}); <code>claim-audit suppressions prune</code> removes them.</p>`;
  const rows = s.suppressed
    .map((f) => `<tr><td class="n">${usd(f.dollarsAtRisk)}</td><td>${ruleLink(f.ruleId)}</td><td class="id"><span class="nw">${e(f.claimId)}</span> <span class="muted">#${f.lineNumber}</span></td><td>${e(f.message)}</td><td>${e(f.suppression?.reason ?? '')}</td><td>${e(f.suppression?.owner ?? '')}</td><td>${e(f.suppression?.expires ?? '')}</td></tr>`)
    .join('\n');
  const table =
    s.suppressed.length === 0
      ? '<p class="note">No finding was suppressed.</p>'
      : `<div class="wrap"><table class="cards-sm"><thead><tr><th class="n">Dollars</th><th>Rule</th><th>Claim</th><th>Finding</th><th>Reason</th><th>Owner</th><th>Until</th></tr></thead><tbody>
${rows}
</tbody></table></div>`;
  return `<section id="suppressed"><h2>Suppressed</h2>
<p class="note">${plural(s.findings, 'finding')} (${usd(s.dollars)}) the team accepted, by ${entries(s.entries)} in force on ${e(s.today)} in ${e(s.file ?? '(none)')}: left out of the totals and the findings above.</p>
${problems}${unused}${table}
</section>
`;
}

function findingRow(f: Finding, rank: number): string {
  const code = [f.code ?? '—', ...f.modifiers].join('-');
  const units = f.units === null ? 'no units' : `× ${f.units}`;
  const ndc = f.ndc ? `<div class="muted">NDC ${e(ndc542(f.ndc))}${f.ndcQuantity !== null ? ` · ${e(f.ndcQuantity)} ${e(f.ndcUnit ?? '')}` : ''}</div>` : '';
  // What the amount is priced on, in the words a biller uses (zero needs no basis).
  const basis = `<div class="muted">${CATEGORY_TEXT[f.dollarCategory].title.toLowerCase()}${f.dollarsAtRisk === 0 ? '' : ` · ${{ asp: 'ASP limit', opps: 'OPPS rate', 'billed-charge': 'billed charge' }[f.dollarBasis]}`}</div>`;
  const severity = f.severity === 'error' ? 0 : f.severity === 'warning' ? 1 : 2;
  const denial = f.denial.carc ? `<div class="muted">${e(denialText(f.denial))}</div>` : '';
  const member = f.memberId !== null ? `<div class="muted">member ${e(f.memberId)}</div>` : '';
  const fix = f.remediation ? `<div class="fix"><b>Fix:</b> ${e(f.remediation)}</div>` : '';
  // data-v: the sort key where the cell's text is not one (the script sorts the rest by text).
  const status = f.status ? `<div class="muted status-${f.status}">${e(STATUS_TEXT[f.status] ?? f.status)}${f.status === 'new' ? '' : ` since ${e(f.firstSeen?.date ?? '')}`}</div>` : '';
  return `<tr data-severity="${f.severity}"><td class="n">${rank}${status}</td><td class="n m" data-v="${f.dollarsAtRisk}">${usd(f.dollarsAtRisk)}${basis}</td><td data-v="${severity}">${severityChip(f.severity)}</td><td data-v="${e(f.ruleId)}">${ruleLink(f.ruleId)}${denial}</td><td class="id" data-v="${e(f.claimId)}"><span class="nw">${e(f.claimId)}</span> <span class="muted">#${f.lineNumber}</span>${member}</td><td>${e(f.serviceDate ?? '—')}</td><td data-v="${e(f.code ?? '')}"><b class="nw">${e(code)}</b> <span class="nw">${e(units)}</span>${ndc}</td><td>${e(f.payerName ?? '—')}<div class="muted">${e(f.payerClass)}</div></td><td>${e(f.message)}${fix}</td><td class="muted src">${e(f.sourceRef.file)}<div>${e(position(f.sourceRef))}</div></td></tr>`;
}

function findingsSection(view: ReportView): string {
  const all = view.findingTotals.findings;
  if (all === 0) {
    return view.coverage.linesAudited === 0
      ? '<p class="note">No drug lines of the audited codes were found in the inputs.</p>'
      : '<p class="note">No findings: every audited drug line passed or could not be fully checked (see Coverage).</p>';
  }
  const shown = view.findings.slice(0, HTML_TOP_FINDINGS);
  const said =
    all > shown.length
      ? `The top ${count(shown.length)} of ${count(all)} findings are shown here; <b>findings.csv has all ${count(all)}</b>, in the same order.`
      : `All ${plural(all, 'finding')} are shown; findings.csv has the same list for spreadsheets.`;
  return `<p class="note">${said} Dollars at risk are the expected payment (units × the OPPS rate for the service quarter, capped at the charge) or, without a rate, the billed charge.</p>
<div class="tools" id="findings-tools" hidden><input type="search" id="findings-filter" placeholder="Filter: claim, code, payer, rule…" aria-label="Filter findings"><select id="findings-severity" aria-label="Severity"><option value="">All severities</option><option value="error">Errors</option><option value="warning">Warnings</option><option value="info">Info</option></select><span class="muted" id="findings-shown"></span></div>
<div class="wrap"><table id="findings-table" class="cards-sm"><thead><tr><th class="n" data-sort="n">#</th><th class="n" data-sort="n">At risk</th><th data-sort="n">Severity</th><th data-sort="t">Rule</th><th data-sort="t">Claim · line</th><th data-sort="t">Service date</th><th data-sort="t">Code</th><th data-sort="t">Payer</th><th>What to do</th><th>Source</th></tr></thead><tbody>
${shown.map((f, i) => findingRow(f, i + 1)).join('\n')}
</tbody></table></div>`;
}

function coverageSection(view: ReportView): string {
  const c = view.coverage;
  // Led by what passed every rule that could run, not by "0 passed every rule": a run without an
  // MUE table or a MAC's list leaves most lines with one check that could not run.
  const clean = c.passed + c.notChecked;
  const split = c.notChecked === 0 ? 'every rule ran on them' : c.passed === 0 ? `on each of them at least one rule could not run` : `${count(c.passed)} of them were checked by every rule, and on ${count(c.notChecked)} at least one rule could not run`;
  const pending = c.awaitingData > 0 ? ` <b>${count(c.awaitingData)} of them wait only for data you can load</b> (below: what limited the checks, and what to load).` : '';
  const mue = (c.limitedBy.mue ?? 0) > 0 ? ` ${plural(c.limitedBy.mue!, 'line')} need the MUE table for their units to be checked (--mue, or the CMS MUE files in a --reference folder).` : '';
  const intro = `<p class="note">${count(c.linesAudited)} drug lines audited: ${count(c.failed)} have findings (${percent(c.failed, c.linesAudited)}); ${count(clean)} passed every rule that could run (${percent(clean, c.linesAudited)}): ${split}.${mue}${pending} A line can miss several checks, so the rows below can add up to more lines.</p>`;
  if (c.notCheckedReasons.length === 0) return intro;
  const facts = (Object.entries(c.limitedBy) as Array<[MissingFact, number]>)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([fact, lines]) => `<tr><td data-label="What was missing">${e(FACT_TEXT[fact].what)}</td><td data-label="What would check them">${e(FACT_TEXT[fact].load)}</td><td class="n" data-label="Lines">${count(lines)}</td></tr>`)
    .join('\n');
  const factTable = facts === '' ? '' : `<h3>What limited the checks</h3><div class="wrap"><table class="cards-sm" id="limited-by"><thead><tr><th>What was missing</th><th>What would check them</th><th class="n">Lines</th></tr></thead><tbody>
${facts}
</tbody></table></div><h3>By rule</h3>`;
  const rows = [...c.notCheckedReasons]
    .sort((a, b) => b.lines - a.lines || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0))
    .map((r) => `<tr><td data-label="Rule">${ruleLink(r.ruleId)}</td><td data-label="Why it could not run">${e(r.reason)}</td><td class="n" data-label="Lines">${count(r.lines)}</td></tr>`)
    .join('\n');
  return `${intro}${factTable}<div class="wrap"><table class="cards-sm"><thead><tr><th>Rule</th><th>Why it could not run</th><th class="n">Lines</th></tr></thead><tbody>
${rows}
</tbody></table></div>`;
}

function inputsSection(view: ReportView): string {
  const inputs = view.manifest.inputs;
  const rows = inputs
    .map(
      (i) =>
        `<tr><td data-label="File" class="id">${e(i.file)}</td><td data-label="Format">${e(i.format)}</td><td class="n" data-label="Size">${bytes(i.bytes)}</td><td class="n" data-label="Claims read">${count(i.claims.read)}</td><td class="n" data-label="Audited · skipped · unparseable">${count(i.claims.audited)} · ${count(i.claims.skipped)} · ${count(i.claims.unparseable)}</td><td class="n" data-label="Drug lines">${count(i.drugLines)}</td><td class="n" data-label="Errors · warnings">${i.ingestIssues.errors > 0 ? `<b class="sev sev-error">${count(i.ingestIssues.errors)}</b>` : '0'} · ${count(i.ingestIssues.warnings)}</td><td data-label="SHA-256" class="id" title="${e(i.sha256)}">${e(i.sha256.slice(0, 12))}…</td></tr>`,
    )
    .join('\n');
  const issues = view.ingestIssues;
  const issueRows = issues
    .slice(0, HTML_ISSUES)
    .map(
      (i) =>
        `<tr><td data-label="File" class="id">${e(i.file)}</td><td data-label="Where">${e(position(i))}${i.byteOffset !== undefined && i.segmentIndex !== undefined ? `<div class="muted">byte ${count(i.byteOffset)}</div>` : ''}</td><td data-label="Severity">${i.severity === 'error' ? severityChip('error') : severityChip('warning')}</td><td data-label="Problem">${e(i.message)}${i.value !== undefined ? `<div class="id muted">${e(i.value)}</div>` : ''}</td></tr>`,
    )
    .join('\n');
  const issueTable =
    issues.length === 0
      ? '<p class="note">No problems reading the inputs.</p>'
      : `<h3>Problems reading the inputs</h3><p class="note">Errors mean part of a file could not be read: its claims up to the problem are audited, the rest are counted as unparseable.${view.manifest.phi === 'masked' ? ' Patient data is masked: a spreadsheet cell is shown by its shape (A a letter, 9 a digit), and a segment that carries names or addresses by its id only.' : ''} ${issues.length > HTML_ISSUES ? `The first ${HTML_ISSUES} of ${count(issues.length)} are listed; summary.json has them all.` : ''}</p><div class="wrap"><table class="cards-sm"><thead><tr><th>File</th><th>Where</th><th>Severity</th><th>Problem</th></tr></thead><tbody>
${issueRows}
</tbody></table></div>`;
  return `<div class="wrap"><table class="cards-sm"><thead><tr><th>File</th><th>Format</th><th class="n">Size</th><th class="n">Claims read</th><th class="n">Audited · skipped · unparseable</th><th class="n">Drug lines</th><th class="n">Errors · warnings</th><th>SHA-256</th></tr></thead><tbody>
${rows}
</tbody></table></div>${issueTable}`;
}

function rulesAppendix(view: ReportView): string {
  const fired = new Set(view.groups.rule.map((g) => g.key));
  return view.rules
    .map((rule) => {
      // The page's title line and its pointer to `claim-audit rules` are said by the header here.
      const page = rule.markdown?.replace(/^#\s+.*\n+/, '').replace(/\n*Severity, denial codes and payer classes: see[^\n]*\n?$/, '\n');
      const body = page ? markdownToHtml(page, 4) : '';
      const denial = denialText(rule.denial);
      // Each page one click away (a link to it opens it): the appendix is a reference, not a read.
      return `<details class="rule" id="rule-${e(rule.id)}"><summary><h3>${e(rule.title)} <code>${e(rule.id)}</code></h3></summary><p class="muted">${severityChip(rule.severity)} ${e(rule.category)}${denial ? ` · denial code ${e(denial)}` : ''}${fired.has(rule.id) ? ' · <b>fired in this run</b>' : ''}</p>
${body}</details>`;
    })
    .join('\n');
}

export function renderHtml(view: ReportView): string {
  const m = view.manifest;
  const t = view.findingTotals;
  const pack = m.reference.pack;
  const inputs = m.inputs.length;
  const open = view.open?.byStatus ? view.open : null;
  const title = open ? `${usd(open.dollars)} open: drug-claim audit of ${plural(inputs, 'file')}` : `${usd(t.dollarsAtRisk)} at risk: drug-claim audit of ${plural(inputs, 'file')}`;
  const phiBanner =
    m.phi === 'full'
      ? '<p class="banner phi" id="phi-banner">Contains full member ids (--phi full): protected health information. Store and send it as PHI.</p>'
      : '';
  const badBanner = view.totals.ingestIssues.errors > 0 ? `<p class="banner bad">Some input could not be read (${plural(view.totals.ingestIssues.errors, 'error')}): this report covers what could be read. See <a href="#inputs">Inputs</a>.</p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy()}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="${e(`${m.tool.name} ${m.tool.version}`)}">
<title>${e(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="top">
<div class="brand">${e(m.tool.name)} · drug-claim audit report${m.phi === 'full' ? ' · full member ids' : ''}</div>
<h1>${open ? `${usd(open.dollars)} open<small>${plural(open.lines, 'claim line')} to work, ${usd(open.byStatus!.new.dollars)} new tonight; tonight's audit: ${plural(t.findings, 'finding')} on ${plural(t.claimsAffected, 'claim')}</small>` : `${usd(t.dollarsAtRisk)} at risk<small>${plural(t.findings, 'finding')} on ${plural(t.claimsAffected, 'claim')}, ranked by dollars</small>`}</h1>
<p class="meta">Run <time datetime="${e(m.run.finishedAt)}" id="run-time">${e(utc(m.run.finishedAt))}</time> · ${plural(inputs, 'input file')} · reference pack ${e(pack.version)} (sha256 ${e(pack.sha256.slice(0, 12))}) · ${e(m.tool.name)} ${e(m.tool.version)}</p>
</header>
${phiBanner}${badBanner}
<main>
${headline(view)}${historyCards(view)}
<nav class="toc" aria-label="Contents"><a href="#worklist">Worklist</a>${view.history ? '<a href="#history">Since the last run</a>' : ''}${view.calibration ? '<a href="#calibration">Predicted against paid</a>' : ''}${view.trends ? '<a href="#trends">Trends</a>' : ''}${view.suppressions ? '<a href="#suppressed">Suppressed</a>' : ''}<a href="#pareto">Where the dollars are</a><a href="#by-rule">By rule</a><a href="#by-payer">By payer</a><a href="#by-code">By code</a><a href="#by-provider">By provider</a><a href="#by-month">By month</a><a href="#findings">Findings</a><a href="#coverage">Coverage</a><a href="#inputs">Inputs</a><a href="#rules">Rules</a></nav>
${fixFirstSection(view)}${worklistSection(view)}<section id="pareto"><h2>Where the dollars are</h2>
${paretoChart(view.groups.rule, t.dollarsAtRisk)}
</section>
<section id="by-rule"><h2>By rule</h2>
${ruleTable(view.groups.rule)}
</section>
<section id="by-payer"><h2>By payer</h2>
${groupTable('payer', view.groups.payer, ['Payer', 'Class'])}
</section>
<section id="by-code"><h2>By code</h2>
${groupTable('code', view.groups.code, ['Code', 'Descriptor'])}
</section>
<section id="by-provider"><h2>By billing provider</h2>
${groupTable('provider', view.groups.provider, ['NPI', 'Name'])}
</section>
<section id="by-month"><h2>By service month</h2>
${groupTable('month', view.groups.month, ['Month', null], Number.MAX_SAFE_INTEGER)}
</section>
<section id="findings"><h2>Every finding</h2>
<details><summary>One row per finding, ranked by dollars at risk (${plural(view.findingTotals.findings, 'finding')}; a line with several findings appears once for each, so these dollars add up to more than the total)</summary>
${findingsSection(view)}
</details>
</section>
${historySection(view)}${calibrationSection(view)}${trendsSection(view)}${suppressionSection(view)}<section id="coverage"><h2>Coverage: what was checked</h2>
${coverageSection(view)}
</section>
<section id="inputs"><h2>Inputs</h2>
${inputsSection(view)}
</section>
<section id="rules"><h2>Appendix: the rules</h2>
<p class="note">What each rule checks, why (with its source), and how to fix what it finds. Denial codes marked unverified are what payers most likely send; CMS does not publish them for this edit.</p>
${rulesAppendix(view)}
</section>
</main>
<footer>
<p>Findings are likely denials and lost revenue predicted from CMS data (HCPCS, OPPS Addendum B) and the rules above, not payer decisions. Member ids are ${m.phi === 'full' ? '<b>shown in full</b>' : 'masked to their last 4 characters'}; no patient names, birth dates or addresses are included. Reference pack ${e(pack.version)}, sha256 ${e(pack.sha256)}.</p>
</footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

