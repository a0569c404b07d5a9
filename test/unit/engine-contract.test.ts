// The engine holds rules to their metadata: a report naming a message or remediation the rule
// does not declare, or leaving a placeholder unfilled, is the rule's error. At run time it is a
// rule-crashed finding on the line (the run goes on); in the rule tester it fails the test.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rule as unitsNotPositive } from '../../src/rules/units/units-not-positive.js';
import { rule as duplicateLine } from '../../src/rules/duplicates/duplicate-line.js';
import { ENGINE_REASONS, RULE_CRASHED, RULES } from '../../src/rules/index.js';
import { reasonSummary } from '../../src/rules/template.js';
import { auditClaim, makeFinding, notCheckedEntry, RuleContractError } from '../../src/rules/engine.js';
import { loadReference } from '../../src/reference/index.js';
import { notChecked, type CrossClaimRule, type Report } from '../../src/rules/types.js';
import { buildClaim, check } from '../support/rule-tester.js';

const reference = loadReference();
const claim = buildClaim({ lines: [{ units: 0 }] });
const [audited] = auditClaim(claim, [0], reference, null);
const facts = audited!.facts;

afterEach(() => vi.restoreAllMocks());

describe('makeFinding', () => {
  const meta = unitsNotPositive.meta;
  it.each<[string, Report, RegExp]>([
    ['an unknown message key', { messageKey: 'nope' }, /message key "nope", which its metadata does not declare/],
    ['an unknown remediation key', { messageKey: 'missing', remediationKey: 'nope' }, /remediation key "nope"/],
    ['a message placeholder the data does not fill', { messageKey: 'notPositive', data: {} }, /left \{units\} of its message "notPositive" unfilled/],
    ['a remediation placeholder the data does not fill', { messageKey: 'missing', remediationKey: 'bill', remediationData: { other: 1 } }, /left \{billingUnit\} of its remediation "bill" unfilled/],
  ])('refuses %s', (_, report, message) => {
    expect(() => makeFinding(meta, report, facts, reference)).toThrow(RuleContractError);
    expect(() => makeFinding(meta, report, facts, reference)).toThrow(message);
  });

  it('fills placeholders, a null value empty and {n:noun} with its plural', () => {
    expect(makeFinding(meta, { messageKey: 'notPositive', data: { units: 1 } }, facts, reference)!.message).toBe('1 unit: a drug line needs at least 1 unit');
    expect(makeFinding(meta, { messageKey: 'notPositive', data: { units: -2 } }, facts, reference)!.message).toBe('-2 units: a drug line needs at least 1 unit');
    expect(makeFinding(meta, { messageKey: 'notPositive', data: { units: null } }, facts, reference)!.message).toBe(' units: a drug line needs at least 1 unit');
  });
});

describe('a rule that breaks its contract', () => {
  it('gives a rule-crashed finding at run time, and the line says the rule was not checked', () => {
    vi.spyOn(unitsNotPositive, 'check').mockReturnValue([{ messageKey: 'typo' }]);
    const [line] = auditClaim(claim, [0], reference, null);
    const crashed = line!.findings.find((f) => f.ruleId === RULE_CRASHED.id)!;
    expect(crashed.message).toMatch(/^rule units-not-positive failed on this line: units-not-positive reported message key "typo"/);
    expect(crashed.severity).toBe(RULE_CRASHED.severity);
    expect(line!.findings.some((f) => f.ruleId === 'units-not-positive')).toBe(false);
    expect(line!.notChecked).toContainEqual({ ruleId: 'units-not-positive', key: 'rule-failed', reason: 'the rule failed (see the rule-crashed finding)' });
  });

  it('a not-checked reason its metadata does not declare: a rule-crashed finding, and not checked for the rule\'s failure', () => {
    vi.spyOn(unitsNotPositive, 'check').mockReturnValue(notChecked('noSuchReason'));
    const [line] = auditClaim(claim, [0], reference, null);
    expect(line!.findings.find((f) => f.ruleId === RULE_CRASHED.id)!.message).toMatch(/units-not-positive gave the not-checked reason "noSuchReason", which its metadata does not declare/);
    expect(line!.notChecked.filter((n) => n.ruleId === 'units-not-positive').map((n) => n.key)).toEqual(['rule-failed']);
  });

  it('a declared not-checked reason whose placeholder the data does not fill: the rule\'s error', () => {
    const meta = { id: 'x', notChecked: { gap: { message: 'no {thing}', fact: 'input' as const, loadable: false } } };
    expect(() => notCheckedEntry(meta, 'gap')).toThrow(/x left \{thing\} of its not-checked reason "gap" unfilled/);
    expect(notCheckedEntry(meta, 'gap', { thing: 'NDC' })).toEqual({ ruleId: 'x', key: 'gap', reason: 'no NDC', fact: 'input' });
  });

  it('a rule that writes to its claim fails its test in the rule tester (inputs are deep-frozen)', () => {
    vi.spyOn(unitsNotPositive, 'check').mockImplementation((subject) => {
      (subject.line as { units: number | null }).units = 1;
      return [];
    });
    expect(() => check('units-not-positive', [{ lines: [{ units: 0 }] }])).toThrow(/a rule crashed: .*read only|a rule crashed: .*Cannot assign/);
  });

  it('fails its test in the rule tester', () => {
    vi.spyOn(unitsNotPositive, 'check').mockReturnValue([{ messageKey: 'notPositive', data: {} }]);
    expect(() => check('units-not-positive', [{ lines: [{ units: 0 }] }])).toThrow(/a rule crashed: .*unfilled/);
  });

  it('in a cross-claim group, crashes on the line the report names, and the others pass', () => {
    vi.spyOn(duplicateLine, 'check').mockImplementation((group) => ({ reports: [{ lineIndex: group.length - 1, messageKey: 'duplicate' }], notChecked: [] }));
    expect(() => check('duplicate-line', [{ claimId: 'A' }, { claimId: 'B' }])).toThrow(/a rule crashed: rule duplicate-line failed on this line: duplicate-line left \{code\}/);
  });
});

describe('declared not-checked reasons', () => {
  it('every rule\'s reasons are well formed, name a fact (but the engine\'s "rule failed"), and count under a summary without particulars', () => {
    for (const { meta } of RULES) {
      for (const [key, decl] of Object.entries({ ...ENGINE_REASONS, ...(meta.notChecked ?? {}) })) {
        const summary = reasonSummary(meta.id, key, decl);
        expect(summary, `${meta.id} ${key}`).not.toMatch(/[{}]/);
        expect(summary.length, `${meta.id} ${key}`).toBeGreaterThan(10);
        if (key !== 'rule-failed') expect(decl.fact, `${meta.id} ${key}`).toBeDefined();
        expect(typeof decl.loadable).toBe('boolean');
      }
    }
  });

  it('a reason with a placeholder that has no general word needs a summary', () => {
    expect(() => reasonSummary('x', 'k', { message: 'no list for {contractor}' })).toThrow(/needs a summary/);
    expect(reasonSummary('x', 'k', { message: 'no rate for {code} in {quarter}' })).toBe('no rate for the code in the quarter');
  });
});

describe('a cross-claim rule\'s smallest group (minGroup)', () => {
  // The local executor does not check a group smaller than its rule's minGroup (nor parse its
  // members): that is only right if the check says nothing of such a group, whatever its line.
  const specs = [{}, { claimId: 'B', frequencyCode: '7' }, { claimId: 'C', memberId: null }, { claimId: 'D', lines: [{ units: 9999 }] }, { claimId: 'E', billingNpi: null }];
  const lines = specs.flatMap((spec) => {
    const claim = buildClaim(spec);
    return auditClaim(claim, claim.lines.map((_, i) => i), reference, '2026-10-01').map((line) => line.facts);
  });
  const declared = RULES.filter((r): r is CrossClaimRule => r.meta.scope === 'cross-claim' && (r as CrossClaimRule).minGroup !== undefined);

  it('is declared where a rule compares lines (duplicate-line)', () => {
    expect(declared.map((r) => [r.meta.id, r.minGroup])).toEqual([['duplicate-line', 2]]);
  });
  it.each(declared.map((r) => [r.meta.id, r] as const))('%s says nothing of a smaller group, whatever its line', (_id, rule) => {
    expect(lines.length).toBeGreaterThan(4);
    for (let size = 1; size < rule.minGroup!; size++)
      for (let i = 0; i + size <= lines.length; i++) expect(rule.check(lines.slice(i, i + size), reference)).toEqual({ reports: [], notChecked: [] });
  });
  it('the rule does speak of a group of its size (the test can fail)', () => {
    const rule = declared[0]!;
    expect(rule.check([lines[0]!, lines[0]!], reference).reports.length).toBe(1);
  });
});
