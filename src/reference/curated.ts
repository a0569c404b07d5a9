// Facts the CMS files do not carry, curated by the project with their sources: containers
// from FDA labels, self-administration, covered diagnoses, prior-authorization defaults,
// frequency limits, descriptors of codes newer than the 2020 HCPCS file, the CPT modifiers a
// drug line meets (codes and categories only, no AMA text), and what the source articles
// claimed. Anything not checked is left unknown, and inferences say so.
import type { Source } from './schema.js';

export const SOURCES: readonly Source[] = [
  { id: 'cms-hcpcs-2020-10', title: 'CMS HCPCS quarterly update, October 2020 (Alpha-Numeric file, ANWEB)', file: 'HCPC2020_OCT_anweb.csv' },
  { id: 'opps-addb-history', title: 'CMS OPPS Addendum B, 26 versions 2020-05 to 2026-04, rows for the covered codes', file: 'opps_addb_history_target_codes.csv', note: 'each version is filed under the quarter of its label month; the last version of a quarter wins' },
  { id: 'secondary-web', title: 'Secondary web pages (not CMS) for descriptors of codes newer than the 2020 HCPCS file', note: 'J1411: allzonems.com, carecostestimate.com; J1611: iframe.ai (as recorded in reference-data/target_codes.csv)' },
  { id: 'cms-jz-2023', title: 'CMS CY2023 PFS final rule (87 FR 69710), cms.gov "Discarded drugs and biologicals" JW/JZ FAQ and CGS: JZ effective (optional) 2023-01-01, required 2023-07-01, claims without it returned from 2023-10-01' },
  { id: 'cpt-modifier-codes', title: 'CPT modifier codes (AMA), Appendix A, and the Category II performance measurement modifiers 1P, 2P, 3P and 8P; codes and categories only, no descriptors are carried' },
  { id: 'cms-pfs-2022', title: 'CMS CY2022 Physician Fee Schedule final rule (86 FR 64996) and the January 2022 HCPCS update: modifiers FQ (audio-only), FR (supervision through audio/video), FS (split or shared visits) and FT, effective 2022-01-01' },
  { id: 'label-opdivo', title: 'OPDIVO (nivolumab) FDA label on DailyMed: 40, 100, 120 and 240 mg single-dose vials; 240 mg/24 mL is NDC 0003-3734-13' },
  { id: 'label-hemgenix', title: 'HEMGENIX (etranacogene dezaparvovec-drlb) FDA label: "for single-use intravenous infusion only", kits of 10-48 vials', url: 'https://www.drugs.com/dosage/hemgenix.html' },
  { id: 'label-glucagon-fresenius', title: 'Glucagon for Injection (Fresenius Kabi) FDA label on DailyMed: 1 mg single-dose vial; a diagnostic aid, not indicated for emergency hypoglycemia', url: 'https://dailymed.nlm.nih.gov/dailymed/fda/fdaDrugXsl.cfm?setid=8c8acad6-44cc-43aa-966b-027e053be8f5&type=display' },
  { id: 'label-herceptin', title: 'HERCEPTIN (trastuzumab) FDA label: 150 mg single-dose vial; 420/440 mg multiple-dose vial with bacteriostatic water (440 mg: NDC 50242-134-68)' },
  { id: 'label-indications', title: 'FDA label indications of each product (prescribing information on DailyMed)' },
  { id: 'ncd-250-3', title: 'Medicare NCD 250.3 (IVIG for autoimmune mucocutaneous blistering diseases) and the Medicare home IVIG benefit for primary immunodeficiency', note: 'exact LCD code groups not verified: prefixes are broader than the policy lists' },
  {
    id: 'medicare-lcd-ivig',
    title: 'Medicare LCDs for intravenous immune globulin: L34314 and L34074 "Immune Globulin Intravenous (IVIg)" (CGS), L34580 "Intravenous Immunoglobulin (IVIG)" with billing article A56718, L34007 "Immune Globulin"',
    note: 'indications beyond the labels: Guillain-Barré syndrome, myasthenia gravis, Kawasaki disease, chronic lymphocytic leukemia, stiff-person syndrome; carried as ICD-10-CM categories, which are broader than each contractor\'s code list',
  },
  { id: 'texas-medicaid-hemgenix', title: 'Texas Medicaid policy: etranacogene dezaparvovec, one dose per lifetime (Texas Medicaid Provider Procedures Manual)' },
  { id: 'claim-audit-default', title: 'claim-audit default: common practice, not any one payer\'s policy; override with --pack or --profile' },
  { id: 'domain-inferred', title: 'Inferred by the claim-audit project from the label or the HCPCS descriptor; unverified' },
];

/** The default covered set (DOMAIN.md section 1). */
export const COVERED = ['J1411', 'J1611', 'J1410', 'J1444', 'J1324', 'J1459', 'J1556', 'J1559', 'J1561', 'J1569', 'J1439', 'J1756', 'J9299', 'J9355', 'J9177', 'Q0138', 'Q0139', 'J1443', 'J1445', 'J1610'] as const;

/** Codes newer than the 2020 HCPCS file: descriptors from secondary sources. */
export const POST_2020_DESCRIPTORS: Record<string, { long: string; source: string; confidence: 'secondary' }> = {
  J1411: { long: 'Injection, etranacogene dezaparvovec-drlb, per therapeutic dose', source: 'secondary-web', confidence: 'secondary' },
  J1611: { long: 'Injection, glucagon hydrochloride (fresenius kabi), not therapeutically equivalent to j1610, per 1 mg', source: 'secondary-web', confidence: 'secondary' },
};

export const ARTICLE_CLAIMS: Record<string, string> = {
  J1411: 'Privigen IVIG, 500 mg',
  J1611: 'immune globulin (IVIG) liquid, 500 mg',
  J1410: 'immune globulin, per 5 mL',
  J1444: 'ferumoxytol, per 1 mg',
  J1324: 'enfortumab vedotin, per 1 mg',
  J1459: '"lyophilized" Privigen',
  J1556: 'immune globulin, subcutaneous, 100 mg',
  J1559: 'immune globulin, non-lyophilized, 100 mg',
  J1561: 'immune globulin, lyophilized, 500 mg',
  J1569: 'immune globulin, lyophilized, 500 mg',
  J1439: 'a higher-dose ferumoxytol',
};

type ContainerFact = { value: 'single-dose' | 'multi-dose' | 'unknown'; source: string; confidence: 'label' | 'inferred'; note?: string };
type PackageFact = { ndc: string | null; description: string; container: 'single-dose' | 'multi-dose'; source: string };

/** Containers from labels that were checked; every other code stays unknown (JW/JZ not-checked). */
export const CONTAINERS: Record<string, { container: ContainerFact; packages: PackageFact[] }> = {
  J9299: {
    container: { value: 'single-dose', source: 'label-opdivo', confidence: 'label' },
    packages: [{ ndc: '00003373413', description: 'Opdivo 240 mg/24 mL single-dose vial', container: 'single-dose', source: 'label-opdivo' }],
  },
  J1411: {
    container: { value: 'single-dose', source: 'label-hemgenix', confidence: 'label', note: 'one-time dose from a kit of 10-48 single-use vials' },
    packages: [],
  },
  J1611: {
    container: { value: 'single-dose', source: 'label-glucagon-fresenius', confidence: 'label' },
    packages: [],
  },
  J9355: {
    container: { value: 'unknown', source: 'label-herceptin', confidence: 'label', note: 'depends on the vial: 150 mg single-dose, 420/440 mg multiple-dose; decided by the line\'s NDC where the package is known' },
    packages: [
      { ndc: null, description: 'Herceptin 150 mg single-dose vial', container: 'single-dose', source: 'label-herceptin' },
      { ndc: '50242013468', description: 'Herceptin 440 mg multiple-dose vial with bacteriostatic water', container: 'multi-dose', source: 'label-herceptin' },
    ],
  },
};

/** Self-administered by the patient (true), given by clinicians (false), or not checked (absent: null). */
export const SELF_ADMINISTERED: Record<string, { value: boolean; source: string; confidence: 'label' | 'inferred'; note?: string }> = {
  J1324: { value: true, source: 'label-indications', confidence: 'label', note: 'Fuzeon is self-injected subcutaneously; OPPS status E1' },
  J1411: { value: false, source: 'label-hemgenix', confidence: 'label', note: 'IV infusion in a healthcare setting' },
  J9299: { value: false, source: 'label-opdivo', confidence: 'label', note: 'IV infusion' },
  J9355: { value: false, source: 'label-herceptin', confidence: 'label', note: 'IV infusion' },
  J9177: { value: false, source: 'domain-inferred', confidence: 'inferred', note: 'IV infusion' },
  J1459: { value: false, source: 'domain-inferred', confidence: 'inferred', note: 'IV infusion' },
  J1556: { value: false, source: 'domain-inferred', confidence: 'inferred', note: 'IV infusion' },
  J1561: { value: false, source: 'domain-inferred', confidence: 'inferred', note: 'IV or subcutaneous infusion' },
  J1569: { value: false, source: 'domain-inferred', confidence: 'inferred', note: 'IV or subcutaneous infusion' },
  J1439: { value: false, source: 'domain-inferred', confidence: 'inferred', note: 'IV' },
  J1756: { value: false, source: 'domain-inferred', confidence: 'inferred', note: 'IV' },
  Q0138: { value: false, source: 'domain-inferred', confidence: 'inferred', note: 'IV' },
  Q0139: { value: false, source: 'domain-inferred', confidence: 'inferred', note: 'IV during dialysis' },
  J1443: { value: false, source: 'domain-inferred', confidence: 'inferred', note: 'given via dialysate or IV during hemodialysis' },
  J1444: { value: false, source: 'domain-inferred', confidence: 'inferred', note: 'given via dialysate during hemodialysis' },
  J1445: { value: false, source: 'domain-inferred', confidence: 'inferred', note: 'given IV during hemodialysis' },
  J1410: { value: false, source: 'domain-inferred', confidence: 'inferred', note: 'IV or IM' },
  J1611: { value: false, source: 'label-glucagon-fresenius', confidence: 'label', note: 'IV or IM diagnostic aid during radiologic examinations' },
};

type Dx = { prefix: string; confidence: 'policy' | 'label' | 'inferred'; source: string; note?: string };
const pi = (source: string): Dx[] =>
  ['D80', 'D81', 'D82', 'D83'].map((prefix) => ({ prefix, confidence: 'label' as const, source, note: 'primary immunodeficiency; Medicare covers a subset of these codes' })).concat([
    { prefix: 'G113', confidence: 'label', source, note: 'ataxia-telangiectasia (primary immunodeficiency)' },
  ]);
const blistering: Dx[] = [
  { prefix: 'L10', confidence: 'policy', source: 'ncd-250-3', note: 'pemphigus' },
  { prefix: 'L12', confidence: 'policy', source: 'ncd-250-3', note: 'pemphigoid' },
];
/** Indications the Medicare IVIG LCDs cover beyond the labels (intravenous products only). */
const ivigLcd: Dx[] = [
  { prefix: 'G610', confidence: 'policy', source: 'medicare-lcd-ivig', note: 'Guillain-Barré syndrome' },
  { prefix: 'G700', confidence: 'policy', source: 'medicare-lcd-ivig', note: 'myasthenia gravis' },
  { prefix: 'M303', confidence: 'policy', source: 'medicare-lcd-ivig', note: 'Kawasaki disease (mucocutaneous lymph node syndrome)' },
  { prefix: 'C911', confidence: 'policy', source: 'medicare-lcd-ivig', note: 'chronic lymphocytic leukemia of B-cell type (hypogammaglobulinemia, recurrent infections)' },
  { prefix: 'G2582', confidence: 'policy', source: 'medicare-lcd-ivig', note: 'stiff-person syndrome' },
];
const dialysisIron: Dx[] = [{ prefix: 'N186', confidence: 'inferred', source: 'domain-inferred', note: 'hemodialysis-dependent CKD (with Z99.2)' }];

/** Covered diagnoses; a code absent here has no list, and diagnosis checks on it are not-checked. */
export const COVERED_DIAGNOSES: Record<string, Dx[]> = {
  J1459: [...pi('label-indications'), { prefix: 'D693', confidence: 'label', source: 'label-indications', note: 'chronic ITP' }, { prefix: 'G6181', confidence: 'label', source: 'label-indications', note: 'CIDP' }, ...blistering, ...ivigLcd],
  J1556: [...pi('label-indications'), ...blistering, ...ivigLcd],
  J1559: [...pi('label-indications'), { prefix: 'G6181', confidence: 'label', source: 'label-indications', note: 'CIDP' }],
  J1561: [...pi('label-indications'), { prefix: 'D693', confidence: 'label', source: 'label-indications', note: 'chronic ITP' }, { prefix: 'G6181', confidence: 'label', source: 'label-indications', note: 'CIDP' }, ...blistering, ...ivigLcd],
  J1569: [...pi('label-indications'), { prefix: 'G6182', confidence: 'label', source: 'label-indications', note: 'multifocal motor neuropathy' }, { prefix: 'G6181', confidence: 'label', source: 'label-indications', note: 'CIDP' }, ...blistering, ...ivigLcd],
  J1411: [{ prefix: 'D67', confidence: 'label', source: 'label-hemgenix', note: 'hemophilia B' }],
  J1443: dialysisIron,
  J1444: dialysisIron,
  J1445: dialysisIron,
  Q0139: [{ prefix: 'N186', confidence: 'policy', source: 'cms-hcpcs-2020-10', note: 'the descriptor requires ESRD on dialysis' }],
  J1324: [{ prefix: 'B20', confidence: 'inferred', source: 'domain-inferred', note: 'HIV-1 infection' }],
  J1410: [{ prefix: 'N93', confidence: 'inferred', source: 'domain-inferred', note: 'abnormal uterine bleeding' }],
};

/** Prior authorization by payer class: a warning for commercial payers on the high-cost codes (a default, not a payer's list). */
/**
 * Not-otherwise-classified drug codes (HCPCS Level II): drug lines whatever the pack prices,
 * since no fee schedule lists them.
 */
export const NOC_CODES: ReadonlySet<string> = new Set(['J3490', 'J3590', 'J9999', 'J7599', 'J7699', 'J7799', 'J7999', 'J8499', 'J8999', 'C9399']);

export const PRIOR_AUTH_COMMERCIAL = ['J1411', 'J1459', 'J1556', 'J1559', 'J1561', 'J1569', 'J9299', 'J9355', 'J9177'];

export const FREQUENCY_LIMITS: Record<string, Array<{ payerClass: '*' | 'medicaid'; max: number; period: 'lifetime'; source: string; confidence: 'policy' | 'label'; note?: string }>> = {
  J1411: [
    { payerClass: 'medicaid', max: 1, period: 'lifetime', source: 'texas-medicaid-hemgenix', confidence: 'policy' },
    { payerClass: '*', max: 1, period: 'lifetime', source: 'label-hemgenix', confidence: 'label', note: 'a one-time gene therapy' },
  ],
};

/**
 * HCPCS Level II modifiers newer than the 2020 HCPCS file. No HCPCS file after 2020 is at hand,
 * so only those whose CMS source is known are listed, with the date CMS gives; a pack (--pack)
 * adds others. JZ is valid from 2023-01-01: nothing supports an earlier start.
 */
export const EXTRA_HCPCS_MODIFIERS = [
  { code: 'JZ', descriptor: 'Zero drug amount discarded/not administered to any patient', added: '2023-01-01', source: 'cms-jz-2023' },
  { code: 'FQ', descriptor: 'The service was furnished using audio-only communication technology', added: '2022-01-01', source: 'cms-pfs-2022' },
  { code: 'FR', descriptor: 'The supervising practitioner was present through two-way, audio/video communication technology', added: '2022-01-01', source: 'cms-pfs-2022' },
  { code: 'FS', descriptor: 'Split (or shared) evaluation and management visit', added: '2022-01-01', source: 'cms-pfs-2022' },
  { code: 'FT', descriptor: 'Unrelated evaluation and management (E/M) visit during a postoperative period, or on the same day as a procedure or another E/M visit', added: '2022-01-01', source: 'cms-pfs-2022' },
];

/**
 * CPT (Level I) modifiers: every code, with a category, and no descriptor (the AMA's text is not
 * carried). Category II performance measurement modifiers (1P, 2P, 3P, 8P) included.
 */
const procedure = (codes: string[]) => Object.fromEntries(codes.map((c) => [c, 'procedure' as const]));
export const CPT_MODIFIERS: Record<string, 'procedure' | 'anatomic' | 'distinct-service' | 'other'> = {
  ...procedure(['22', '23', '24', '25', '26', '27', '32', '33', '47', '51', '52', '53', '54', '55', '56', '57', '58', '62', '63', '66', '73', '74', '76', '77', '78', '79', '80', '81', '82', '90', '91', '92', '93', '95', '96', '97', '99']),
  '50': 'anatomic',
  '59': 'distinct-service',
  '1P': 'other',
  '2P': 'other',
  '3P': 'other',
  '8P': 'other',
};

/** Categories of HCPCS Level II modifiers; others are 'other'. */
export const MODIFIER_CATEGORIES: Record<string, 'drug' | 'anatomic' | 'payment' | 'distinct-service' | 'liability' | 'coverage'> = {
  JW: 'drug', JZ: 'drug', JG: 'drug', TB: 'drug', JA: 'drug', JB: 'drug', JC: 'drug', JD: 'drug', JE: 'drug',
  RT: 'anatomic', LT: 'anatomic', E1: 'anatomic', E2: 'anatomic', E3: 'anatomic', E4: 'anatomic', LC: 'anatomic', LD: 'anatomic', LM: 'anatomic', RC: 'anatomic', RI: 'anatomic',
  FA: 'anatomic', F1: 'anatomic', F2: 'anatomic', F3: 'anatomic', F4: 'anatomic', F5: 'anatomic', F6: 'anatomic', F7: 'anatomic', F8: 'anatomic', F9: 'anatomic',
  TA: 'anatomic', T1: 'anatomic', T2: 'anatomic', T3: 'anatomic', T4: 'anatomic', T5: 'anatomic', T6: 'anatomic', T7: 'anatomic', T8: 'anatomic', T9: 'anatomic',
  XE: 'distinct-service', XP: 'distinct-service', XS: 'distinct-service', XU: 'distinct-service',
  GA: 'liability', GX: 'liability', GY: 'coverage', GZ: 'liability', KX: 'coverage',
  PO: 'payment', PN: 'payment', PD: 'payment', Q6: 'payment', Q5: 'payment', CR: 'payment', CS: 'payment', FB: 'payment', FC: 'payment', JF: 'payment', TC: 'payment',
};
