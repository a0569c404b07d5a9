import { describe, expect, it } from 'vitest';
import { parseBillingUnit } from '../../src/reference/units.js';

describe('parseBillingUnit on real CMS descriptors', () => {
  it.each([
    ['Injection, estrogen conjugated, per 25 mg', 25, 'mg'],
    ['Injection, ferric pyrophosphate citrate powder, 0.1 mg of iron', 0.1, 'mg of iron'],
    ['Inj triferic avnu 0.1mg iron', 0.1, 'mg of iron'],
    ['Injection, etranacogene dezaparvovec-drlb, per therapeutic dose', 1, 'therapeutic dose'],
    ['Injection, enfuvirtide, 1 mg', 1, 'mg'],
    ['Injection, immune globulin (privigen), intravenous, non-lyophilized (e.g., liquid), 500 mg', 500, 'mg'],
    ['Injection, immune globulin (hizentra), 100 mg', 100, 'mg'],
    ['Injection, trastuzumab, excludes biosimilar, 10 mg', 10, 'mg'],
    ['Injection, enfortumab vedotin-ejfv, 0.25 mg', 0.25, 'mg'],
    ['Injection, ferumoxytol, for treatment of iron deficiency anemia, 1 mg (non-esrd use)', 1, 'mg'],
    ['Injection, glucagon hydrochloride (fresenius kabi), not therapeutically equivalent to j1610, per 1 mg', 1, 'mg'],
    ['Injection, heparin sodium, per 1000 units', 1000, 'units'],
    ['Injection, heparin sodium, per 1,000 units', 1000, 'units'],
    ['Injection, penicillin g benzathine, 100,000 units', 100000, 'units'],
    ['Injection, interferon beta-1a, 1 mcg for intramuscular use', 1, 'mcg'],
    ['Dextrose 5%/water (500 ml = 1 unit)', null, null],
    ['Normal saline solution infusion, 1000 cc', 1000, 'mL'],
    ['Injection, sodium chloride, per 5 ml', 5, 'mL'],
    ['Injection, interferon alfa-2b, recombinant, 1 million units', 1, 'million units'],
    ['Injection, potassium chloride, per 2 meq', 2, 'mEq'],
    ['Technetium tc-99m sestamibi, diagnostic, per study dose', 1, 'study dose'],
    ['Injection, adalimumab, 20 mg', 20, 'mg'],
    ['Bcg live intravesical instillation, 1 mg', 1, 'mg'],
    ['Unclassified drugs', null, null],
  ])('%s → %s %s', (descriptor, amount, unit) => {
    const parsed = parseBillingUnit(descriptor);
    if (amount === null) expect(parsed).toBeNull();
    else expect(parsed).toMatchObject({ amount, unit });
  });
});
