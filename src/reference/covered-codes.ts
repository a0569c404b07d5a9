// The default covered codes (DOMAIN.md §1), with CMS descriptors and billing units.
// An interim typed table: the versioned reference pack (prices by quarter, containers,
// coverage) replaces it. Descriptors are CMS's (HCPCS Oct-2020 file), except J1411 and
// J1611, which post-date that file and come from secondary sources (marked so).

export interface CoveredCode {
  hcpcs: string;
  shortDescriptor: string;
  longDescriptor: string;
  /** The HCPCS billing unit: units are dose ÷ this, rounded up. */
  billingUnit: { amount: number; unit: string };
  /** YYYY-MM-DD; `inferred` when the date is not from a CMS HCPCS file. */
  added: string;
  addedSource: 'cms-hcpcs' | 'inferred';
  /** secondary: a web page, not CMS; opps-short: only the OPPS Addendum B short descriptor is known. */
  descriptorSource: 'cms-hcpcs' | 'secondary' | 'opps-short';
  /** What the articles this product was specified from claimed, where they were wrong. */
  articleClaim?: string;
}

const cms = { addedSource: 'cms-hcpcs', descriptorSource: 'cms-hcpcs' } as const;

export const COVERED_CODES: readonly CoveredCode[] = [
  { hcpcs: 'J1411', shortDescriptor: 'Inj, hemgenix, per tx dose', longDescriptor: 'Injection, etranacogene dezaparvovec-drlb, per therapeutic dose', billingUnit: { amount: 1, unit: 'therapeutic dose' }, added: '2023-04-01', addedSource: 'inferred', descriptorSource: 'secondary', articleClaim: 'Privigen IVIG 500 mg' },
  { hcpcs: 'J1611', shortDescriptor: 'Inj glucagon hcl, fresenius', longDescriptor: 'Injection, glucagon hydrochloride (fresenius kabi), not therapeutically equivalent to j1610, per 1 mg', billingUnit: { amount: 1, unit: 'mg' }, added: '2023-01-01', addedSource: 'inferred', descriptorSource: 'secondary', articleClaim: 'IVIG liquid 500 mg' },
  { hcpcs: 'J1410', shortDescriptor: 'Inj estrogen conjugate 25 mg', longDescriptor: 'Injection, estrogen conjugated, per 25 mg', billingUnit: { amount: 25, unit: 'mg' }, added: '1982-01-01', ...cms, articleClaim: 'immune globulin per 5 mL' },
  { hcpcs: 'J1444', shortDescriptor: 'Fe pyro cit pow 0.1 mg iron', longDescriptor: 'Injection, ferric pyrophosphate citrate powder, 0.1 mg of iron', billingUnit: { amount: 0.1, unit: 'mg of iron' }, added: '2019-07-01', ...cms, articleClaim: 'ferumoxytol per 1 mg' },
  { hcpcs: 'J1324', shortDescriptor: 'Enfuvirtide injection', longDescriptor: 'Injection, enfuvirtide, 1 mg', billingUnit: { amount: 1, unit: 'mg' }, added: '2007-01-01', ...cms, articleClaim: 'enfortumab vedotin per 1 mg' },
  { hcpcs: 'J1459', shortDescriptor: 'Inj ivig privigen 500 mg', longDescriptor: 'Injection, immune globulin (privigen), intravenous, non-lyophilized (e.g., liquid), 500 mg', billingUnit: { amount: 500, unit: 'mg' }, added: '2009-01-01', ...cms },
  { hcpcs: 'J1556', shortDescriptor: 'Inj, imm glob bivigam, 500mg', longDescriptor: 'Injection, immune globulin (bivigam), 500 mg', billingUnit: { amount: 500, unit: 'mg' }, added: '2014-01-01', ...cms },
  { hcpcs: 'J1559', shortDescriptor: 'Hizentra injection', longDescriptor: 'Injection, immune globulin (hizentra), 100 mg', billingUnit: { amount: 100, unit: 'mg' }, added: '2011-01-01', ...cms },
  { hcpcs: 'J1561', shortDescriptor: 'Gamunex-c/gammaked', longDescriptor: 'Injection, immune globulin, (gamunex-c/gammaked), non-lyophilized (e.g., liquid), 500 mg', billingUnit: { amount: 500, unit: 'mg' }, added: '2008-01-01', ...cms },
  { hcpcs: 'J1569', shortDescriptor: 'Gammagard liquid injection', longDescriptor: 'Injection, immune globulin, (gammagard liquid), non-lyophilized, (e.g., liquid), 500 mg', billingUnit: { amount: 500, unit: 'mg' }, added: '2008-01-01', ...cms },
  { hcpcs: 'J1439', shortDescriptor: 'Inj ferric carboxymaltos 1mg', longDescriptor: 'Injection, ferric carboxymaltose, 1 mg', billingUnit: { amount: 1, unit: 'mg' }, added: '2015-01-01', ...cms },
  { hcpcs: 'J1756', shortDescriptor: 'Iron sucrose injection', longDescriptor: 'Injection, iron sucrose, 1 mg', billingUnit: { amount: 1, unit: 'mg' }, added: '2003-01-01', ...cms },
  { hcpcs: 'J9299', shortDescriptor: 'Injection, nivolumab', longDescriptor: 'Injection, nivolumab, 1 mg', billingUnit: { amount: 1, unit: 'mg' }, added: '2016-01-01', ...cms },
  { hcpcs: 'J9355', shortDescriptor: 'Inj trastuzumab excl biosimi', longDescriptor: 'Injection, trastuzumab, excludes biosimilar, 10 mg', billingUnit: { amount: 10, unit: 'mg' }, added: '2000-01-01', ...cms },
  { hcpcs: 'J9177', shortDescriptor: 'Inj enfort vedo-ejfv 0.25mg', longDescriptor: 'Injection, enfortumab vedotin-ejfv, 0.25 mg', billingUnit: { amount: 0.25, unit: 'mg' }, added: '2020-07-01', ...cms },
  { hcpcs: 'Q0138', shortDescriptor: 'Ferumoxytol, non-esrd', longDescriptor: 'Injection, ferumoxytol, for treatment of iron deficiency anemia, 1 mg (non-esrd use)', billingUnit: { amount: 1, unit: 'mg' }, added: '2010-01-01', ...cms },
  { hcpcs: 'Q0139', shortDescriptor: 'Ferumoxytol, esrd use', longDescriptor: 'Injection, ferumoxytol, for treatment of iron deficiency anemia, 1 mg (for esrd on dialysis)', billingUnit: { amount: 1, unit: 'mg' }, added: '2010-01-01', ...cms },
  { hcpcs: 'J1443', shortDescriptor: 'Inj ferric pyrophosphate cit', longDescriptor: 'Injection, ferric pyrophosphate citrate solution, 0.1 mg of iron', billingUnit: { amount: 0.1, unit: 'mg of iron' }, added: '2016-01-01', ...cms },
  { hcpcs: 'J1445', shortDescriptor: 'Inj triferic avnu 0.1mg iron', longDescriptor: 'Inj triferic avnu 0.1mg iron', billingUnit: { amount: 0.1, unit: 'mg of iron' }, added: '2021-10-01', addedSource: 'inferred', descriptorSource: 'opps-short' },
  { hcpcs: 'J1610', shortDescriptor: 'Glucagon hydrochloride/1 mg', longDescriptor: 'Injection, glucagon hydrochloride, per 1 mg', billingUnit: { amount: 1, unit: 'mg' }, added: '1986-01-01', ...cms },
];

export const COVERED_CODE_SET: ReadonlySet<string> = new Set(COVERED_CODES.map((c) => c.hcpcs));
