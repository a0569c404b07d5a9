// report.html parsed by a real HTML parser (parse5, the WHATWG algorithm): hostile claim values
// stay text, nothing can reach the network, and the page says what it leaves out.
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { describe, expect, it } from 'vitest';
import { usd } from '../../src/view/format.js';
import { HTML_TOP_FINDINGS, renderHtml } from '../../src/report/html.js';
import { markdownToHtml } from '../../src/report/markdown.js';
import { emptyCoverage, finding, viewOf } from '../support/findings.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

function elements(node: Node, out: Element[] = []): Element[] {
  if ('tagName' in node) out.push(node);
  const children = 'childNodes' in node ? node.childNodes : [];
  for (const child of children) elements(child, out);
  if ('content' in node && node.content) elements(node.content as Node, out);
  return out;
}

function text(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value;
  return ('childNodes' in node ? node.childNodes : []).map(text).join('');
}

const attr = (el: Element, name: string) => el.attrs.find((a) => a.name === name)?.value;

const HOSTILE = ['<img src=x onerror=alert(1)>', '"><script>alert(2)</script>', "</td></tr></table><b onmouseover='x'>", '=HYPERLINK("x")'];

describe('report.html with hostile claim values', () => {
  const findings = HOSTILE.map((value, i) =>
    finding({ claimId: value, memberId: value, payerName: value, message: value, remediation: value, billingName: value, lineNumber: i + 1, byteOffset: i, sourceRef: { file: value, segmentIndex: 1, byteOffset: i } }),
  );
  const html = renderHtml(viewOf(findings, { ingestIssues: [{ severity: 'error', code: 'x', message: HOSTILE[0]!, file: HOSTILE[1]!, value: HOSTILE[2]! }] }));
  const all = elements(parse(html));

  it('creates no element and no attribute from a claim value', () => {
    expect(all.filter((el) => el.tagName === 'img')).toEqual([]);
    expect(all.filter((el) => el.tagName === 'b' && attr(el, 'onmouseover') !== undefined)).toEqual([]);
    expect(all.flatMap((el) => el.attrs.filter((a) => a.name.startsWith('on')))).toEqual([]);
    const scripts = all.filter((el) => el.tagName === 'script');
    expect(scripts).toHaveLength(1);
    expect(attr(scripts[0]!, 'src')).toBeUndefined();
    expect(text(scripts[0]!)).not.toContain('alert');
  });

  it('shows every value as the text it was', () => {
    const rows = all.filter((el) => el.tagName === 'tr' && attr(el, 'data-severity') !== undefined);
    expect(rows).toHaveLength(HOSTILE.length);
    const page = text(parse(html));
    for (const value of HOSTILE) expect(page).toContain(value);
  });

  it('forbids every network request in its Content-Security-Policy and has no external reference', () => {
    const csp = all.find((el) => el.tagName === 'meta' && attr(el, 'http-equiv') === 'Content-Security-Policy');
    expect(attr(csp!, 'content')).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-[^']+'; img-src data:; base-uri 'none'; form-action 'none'$/);
    const references = all.flatMap((el) => el.attrs.filter((a) => ['src', 'href', 'action', 'srcset', 'xlink:href'].includes(a.name)).map((a) => a.value));
    expect(references.filter((r) => !r.startsWith('#'))).toEqual([]);
  });
});

describe('report.html content', () => {
  it('shows the top findings with a plain statement of what is left out', () => {
    const many = Array.from({ length: HTML_TOP_FINDINGS + 20 }, (_, i) => finding({ claimId: `C${i}`, byteOffset: i, dollarsAtRisk: i }));
    const html = renderHtml(viewOf(many));
    const rows = elements(parse(html)).filter((el) => el.tagName === 'tr' && attr(el, 'data-severity') !== undefined);
    expect(rows).toHaveLength(HTML_TOP_FINDINGS);
    expect(text(rows[0]!)).toContain(`C${HTML_TOP_FINDINGS + 19}`);
    expect(html).toContain(`The top 500 of 520 findings are shown here; <b>findings.csv has all 520</b>`);
  });

  it('says so when there is nothing to report', () => {
    expect(renderHtml(viewOf([], { coverage: emptyCoverage(5) }))).toContain('No findings: every audited drug line passed');
    expect(renderHtml(viewOf([]))).toContain('No drug lines of the audited codes were found');
  });

  it('stamps full member ids in the header', () => {
    const base = viewOf([finding()]);
    const full = renderHtml({ ...base, manifest: { ...base.manifest, phi: 'full' } });
    expect(full).toContain('id="phi-banner"');
    expect(full).toContain('full member ids');
    expect(renderHtml(base)).not.toContain('phi-banner');
  });

  it('formats money the same on every machine', () => {
    expect([usd(0), usd(1234567.891), usd(0.5), usd(-3)]).toEqual(['$0.00', '$1,234,567.89', '$0.50', '−$3.00']);
  });
});

describe('rule pages in the appendix', () => {
  it('escape before adding markup', () => {
    expect(markdownToHtml('# t\n\n**Why.** a <b>x</b> & `<i>`\n\n- one\n- two')).toBe(
      '<h3>t</h3>\n<p><strong>Why.</strong> a &lt;b&gt;x&lt;/b&gt; &amp; <code>&lt;i&gt;</code></p>\n<ul><li>one</li><li>two</li></ul>',
    );
  });
});

describe('a run without findings', () => {
  it('says so plainly, in green, with no red $0.00', () => {
    const html = renderHtml(viewOf([]));
    expect(html).toContain('<div class="card money ok"><div class="k">Dollars at risk</div><div class="v" id="headline-dollars">No findings</div>');
    expect(html).toContain('id="no-findings"');
    expect(html).not.toContain('id="headline-dollars">$0.00');
  });
});
