// Guards the project's own consistency (STYLE.md 8): every rule has its page and its test,
// the README's table is the rules' metadata, the catalogue is the issue's, messages exist.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ruleRows } from '../../src/cli/run.js';
import { auditClaim } from '../../src/rules/engine.js';
import { LINE_RULES, RULES } from '../../src/rules/index.js';
import { loadReference } from '../../src/reference/index.js';
import { buildClaim } from '../support/rule-tester.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

const CATALOGUE = [
  'code-not-effective', 'units-not-positive', 'units-not-whole', 'units-exceed-mue', 'units-vs-ndc-quantity', 'jw-jz-missing', 'jw-jz-conflict',
  'jw-without-administered-line', 'jw-jz-on-multi-dose', 'modifier-not-valid-for-drug', 'modifier-unknown', 'ndc-missing', 'ndc-invalid',
  'ndc-quantity-missing', 'ndc-not-for-code', 'self-administered-drug', 'packaged-drug-outpatient', 'diagnosis-not-covered',
  'diagnosis-pointer-invalid', 'prior-auth-missing', 'charge-not-positive', 'charge-below-expected-payment', 'duplicate-line', 'frequency-limit-exceeded',
  // Wave 2 (DOMAIN.md section 12).
  'drug-billed-at-facility-pos', 'drug-without-administration', 'jw-waste-exceeds-package', 'noc-code-with-specific-code', 'tb-modifier-missing',
];

describe('the rule catalogue', () => {
  it('is exactly the catalogue of the rules issue', () => {
    expect(RULES.map((r) => r.meta.id).sort()).toEqual([...CATALOGUE].sort());
  });

  it.each(RULES.map((r) => [r.meta.id, r] as const))('%s: its file is named by its id, with a page and a test', (id, rule) => {
    const base = `${root}/src/rules/${rule.meta.category}/${id}`;
    expect(existsSync(`${base}.ts`), `${base}.ts`).toBe(true);
    expect(existsSync(`${base}.md`), `${base}.md`).toBe(true);
    const page = readFileSync(`${base}.md`, 'utf8');
    for (const section of ['**What it checks.**', '**Why.**', '**Triggers.**', '**Passes.**', '**How to fix.**']) expect(page, `${id}.md ${section}`).toContain(section);
    expect(existsSync(`${root}/test/rules/${id}.test.ts`), `test/rules/${id}.test.ts`).toBe(true);
    expect(Object.keys(rule.meta.messages).length).toBeGreaterThan(0);
    expect(Object.keys(rule.meta.remediations).length).toBeGreaterThan(0);
    // Placeholders are {name} or {name:noun}; anything else would reach a biller unrendered.
    for (const template of [...Object.values(rule.meta.messages), ...Object.values(rule.meta.remediations)]) {
      expect(template.replace(/\{(\w+)(?::(\w+))?\}/g, ''), template).not.toMatch(/[{}]/);
    }
  });

  it("docs/rules.md's rule table equals the metadata", () => {
    const readme = readFileSync(`${root}/docs/rules.md`, 'utf8');
    const block = readme.slice(readme.indexOf('<!-- rules:start -->'), readme.indexOf('<!-- rules:end -->'));
    const rows = block
      .split('\n')
      .filter((l) => l.startsWith('| ['))
      .map((l) =>
        l
          .split('|')
          .slice(1, -1)
          .map((c) => c.trim().replace(/^\[([^\]]+)\]\([^)]+\)$/, '$1')),
      );
    expect(rows).toEqual(ruleRows());
  });
});

describe('the engine', () => {
  it('turns a rule that throws into a rule-crashed finding and goes on', () => {
    const rule = LINE_RULES.find((r) => r.meta.id === 'units-not-whole')!;
    const original = rule.check;
    rule.check = () => {
      throw new Error('boom');
    };
    try {
      const [outcome] = auditClaim(buildClaim({ lines: [{ modifiers: ['RT'] }] }), [0], loadReference(), null);
      expect(outcome!.findings.map((f) => [f.ruleId, f.message])).toContainEqual(['rule-crashed', 'rule units-not-whole failed on this line: boom']);
      expect(outcome!.findings.map((f) => f.ruleId)).toContain('modifier-not-valid-for-drug');
      expect(outcome!.notChecked).toContainEqual({ ruleId: 'units-not-whole', key: 'rule-failed', reason: 'the rule failed (see the rule-crashed finding)' });
    } finally {
      rule.check = original;
    }
  });

  it('gives findings stable ids that do not depend on file positions', () => {
    const a = buildClaim({ lines: [{ modifiers: ['RT'] }] });
    const b = { ...a, lines: a.lines.map((l) => ({ ...l, sourceRef: { file: 'other.edi', segmentIndex: 999, byteOffset: 12345 } })) };
    const ids = (claim: typeof a) => auditClaim(claim, [0], loadReference(), null)[0]!.findings.map((f) => f.id);
    expect(ids(b)).toEqual(ids(a));
    expect(ids(a)[0]).toMatch(/^[0-9a-f]{16}$/);
  });

  it('lets a profile turn a rule off or change its severity', async () => {
    const { applyProfile, DEFAULT_POLICIES } = await import('../../src/reference/profiles.js');
    const reference = { ...loadReference(), policies: applyProfile(DEFAULT_POLICIES, { payerClasses: { medicare: { rules: { 'modifier-not-valid-for-drug': 'error', 'jw-jz-missing': 'off' } } } }) };
    // Line 2, the infusion that gave the drug, is no drug line.
    const [outcome] = auditClaim(buildClaim({ lines: [{ modifiers: ['RT'] }, { hcpcs: '96413', units: 1, ndc: null, modifiers: [] }] }), [0], reference, null);
    expect(outcome!.findings.map((f) => [f.ruleId, f.severity])).toEqual([['modifier-not-valid-for-drug', 'error']]);
  });

  it('does not check what the input cannot carry: no finding, the reason instead', () => {
    // Units missing and RT on a nivolumab line: findings when the input has those columns…
    const claim = buildClaim({ lines: [{ units: null, modifiers: ['RT'] }] });
    const ids = (c: typeof claim) => auditClaim(c, [0], loadReference(), null)[0]!;
    expect(ids(claim).findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['units-not-positive', 'modifier-not-valid-for-drug']));
    // …and none when the layout has no such columns.
    const reason = 'the CCLF6 layout has no units column';
    const outcome = ids({ ...claim, unavailable: { units: reason, modifiers: 'the CCLF6 layout has no modifier columns' } });
    expect(outcome.findings.map((f) => f.ruleId)).not.toContain('units-not-positive');
    expect(outcome.findings.map((f) => f.ruleId)).not.toContain('modifier-not-valid-for-drug');
    expect(outcome.notChecked).toContainEqual({ ruleId: 'units-not-positive', key: 'input-unavailable', reason, fact: 'input' });
    expect(outcome.notChecked).toContainEqual({ ruleId: 'jw-jz-missing', key: 'input-unavailable', reason: 'the CCLF6 layout has no modifier columns', fact: 'input' });
  });
});
