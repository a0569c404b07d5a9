// Self-administered drugs by MAC (issue 28, item 5): the MACs' SAD exclusion lists apply to
// Medicare lines of providers in the listing MAC's states; route modifiers decide for a drug
// listed for both routes (JA intravenous is covered, JB subcutaneous excluded, neither denied).
// Codes the loaded lists do not cover are not checked (the lists shipped are a partial slice),
// except where the label says (IV infusions are not self-administered; Fuzeon is self-injected).
import { describe, expect, it } from 'vitest';
import { check, type ClaimSpec, outcome } from '../support/rule-tester.js';

const id = 'self-administered-drug';
const line = (hcpcs: string, modifiers: string[] = []) => ({ hcpcs, units: 10, ndc: null, modifiers });
const claim = (state: string | null, hcpcs: string, modifiers: string[] = [], payerClass: ClaimSpec['payerClass'] = 'medicare'): ClaimSpec => ({ billingState: state, payerClass, lines: [line(hcpcs, modifiers)] });

describe(`${id}: by the MAC's SAD list`, () => {
  it('abatacept (J0129) from Ohio (J15, CGS A52527 lists it for both routes): JB is excluded, JA is not, neither is taken as excluded', () => {
    expect(outcome(id, [claim('OH', 'J0129', ['JB'])])).toEqual({ fail: ['onList'] });
    expect(outcome(id, [claim('OH', 'J0129', ['JA'])])).toBe('pass');
    const neither = check(id, [claim('OH', 'J0129')]);
    expect(neither.findings.map((f) => f.messageKey)).toEqual(['onList']);
    expect(neither.findings[0]!.message).toBe("J0129 is on CGS Administrators, LLC's self-administered drug exclusion list (article A52527, effective 2026-06-14): listed for subcutaneous use; without JA (intravenous) the line is taken as excluded; Medicare Part B does not pay for it in this MAC's states");
    expect(neither.findings[0]!.evidence).toMatchObject({ article: 'A52527', route: 'IV_OR_SC', listComplete: false, jurisdiction: 'J15' });
    // A 2025 service, before the list's effective date: found, at lower confidence.
    expect(neither.findings[0]!.confidence).toBe('medium');
  });

  it('interferon gamma (J9216) from Wisconsin (J6, NGS A53021): excluded, subcutaneous', () => {
    expect(check(id, [claim('WI', 'J9216')]).findings.map((f) => [f.messageKey, f.data.article])).toEqual([['onList', 'A53021']]);
  });

  it('adalimumab (J0139) is on Noridian\'s lists: excluded in California (JE), not checked in Ohio (CGS\'s slice does not list it)', () => {
    expect(outcome(id, [claim('CA', 'J0139')])).toEqual({ fail: ['onList'] });
    const ohio = check(id, [claim('OH', 'J0139')]);
    expect(ohio.findings).toEqual([]);
    expect(ohio.notChecked).toEqual([expect.objectContaining({ fact: 'sad-list', reason: expect.stringMatching(/^the self-administered drug list loaded for CGS Administrators LLC \(A52527\) is a partial slice that does not list J0139: load the full list to check it$/) })]);
  });

  it.each([
    ['billed with GY (statutorily excluded, for the denial)', claim('OH', 'J0129', ['GY'])],
    ['to Medicaid', claim('OH', 'J0129', [], 'medicaid')],
    ['to a commercial plan', claim('OH', 'J0129', [], 'commercial')],
    ['an intravenous infusion (nivolumab) the label places', claim('OH', 'J9299', ['JZ'])],
  ])('pass: %s', (_, spec) => expect(outcome(id, [spec])).toBe('pass'));

  it('a not-otherwise-classified code a list names for one drug is not taken for that drug: the partial list leaves it not checked', () => {
    expect(outcome(id, [claim('WI', 'J3590')])).toEqual({ notChecked: ['partialList'] });
  });
});

describe(`${id}: by the label, where no list decides`, () => {
  const enfuvirtide = (state: string | null) => ({ billingState: state, diagnoses: ['B20'], lines: [{ hcpcs: 'J1324', units: 180, ndc: null, modifiers: [] }] });
  it('enfuvirtide (self-injected by label) to Medicare Part B: found, whether or not the MAC is known', () => {
    expect(outcome(id, [enfuvirtide(null)])).toEqual({ fail: ['selfAdministered'] });
    expect(check(id, [enfuvirtide('WI')]).findings[0]!.evidence).toMatchObject({ basis: expect.stringMatching(/^label; the self-administered drug list loaded for National Government Services Inc\. \(A53021\) is a partial slice/) });
  });

  it('a code neither a list nor a label places is not checked, naming what is missing', () => {
    expect(check(id, [claim(null, 'J1559')]).notChecked).toEqual([expect.objectContaining({ fact: 'sad-list', reason: expect.stringMatching(/^the billing provider's state is not known/) })]);
    expect(check(id, [claim('WI', 'J1559')]).notChecked).toEqual([expect.objectContaining({ fact: 'sad-list', reason: expect.stringMatching(/partial slice that does not list J1559/) })]);
  });
});
