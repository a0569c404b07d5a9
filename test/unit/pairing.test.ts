// How a billing article's diagnoses pair with its drugs (reference/cms/pairing.ts): one row per
// phrasing found in the 88 drug articles of reference-data/mcd, with the articles' own words.
import { describe, expect, it } from 'vitest';
import { pairArticle, plainText } from '../../src/reference/cms/pairing.js';

const map = <V>(entries: Array<[number, V]>) => new Map(entries);

describe('pairArticle', () => {
  it('codes named in a group\'s paragraph go with that group (A52451: "HCPCS code J2779 SUSVIMO should be reported with the ICD-10-CM diagnosis codes-Group 6 below")', () => {
    const pairing = pairArticle(map([[1, ['J0178', 'J2778', 'J2779']]]), [1, 2, 6], {
      codes: new Map(),
      covered: map([
        [1, 'Ranibizumab and biosimilars HCPCS Codes J2778 should be reported with the ICD-10-CM codes in Group 1 below.'],
        [2, 'HCPCS codes J0178 EYLEA® (aflibercept) should be reported with the ICD-10-CM codes- Group 2 below.'],
        [6, 'HCPCS code J2779 SUSVIMO should be reported with the ICD-10-CM diagnosis codes-Group 6 below.'],
      ]),
    });
    expect(pairing.pairings).toEqual([
      { codes: ['J0178'], groups: [2], basis: 'stated' },
      { codes: ['J2778'], groups: [1], basis: 'stated' },
      { codes: ['J2779'], groups: [6], basis: 'stated' },
    ]);
  });

  it('one covered group: every code goes with it', () => {
    expect(pairArticle(map([[1, ['J0897', 'Q5136']]]), [1], { codes: new Map(), covered: new Map() }).pairings).toEqual([{ codes: ['J0897', 'Q5136'], groups: [1], basis: 'single-group' }]);
  });

  it('nothing said: the union of the covered groups, at lower confidence', () => {
    expect(pairArticle(map([[1, ['J1740']]]), [1, 2], { codes: new Map(), covered: map([[1, 'The following are stand-alone diagnosis codes']]) }).pairings).toEqual([{ codes: ['J1740'], groups: [1, 2], basis: 'union' }]);
  });

  it.each([
    ['A52423: "A diagnosis from Group 4 and one from Group 5 must be reported."', 'For the treatment of pyoderma gangrenosum … A diagnosis from Group 4 and one from Group 5 must be reported.', [4, 5]],
    ['A52421: "One ICD-10-CM code from Group 4 and one from Group 5 must be billed."', 'For management of female patients with postmenopausal osteopenia. One ICD-10-CM code from Group 4 and one from Group 5 must be billed.', [4, 5]],
    ['A52421: "At least one ICD-10-CM code from Group 2 and Group 3 must be billed."', 'Esophagitis or intolerance preventing oral therapy At least one ICD-10-CM code from Group 2 and Group 3 must be billed.', [2, 3]],
  ])('two groups together: %s', (_, text, together) => {
    const pairing = pairArticle(map([[1, ['J1740']]]), [1, 2, 3, 4, 5], { codes: new Map(), covered: map([[together[0]!, text]]) });
    expect(pairing.together).toEqual([together]);
    expect(pairing.notAlone).toEqual(together);
    expect(pairing.phrasings).toContainEqual({ group: together[0], phrasing: 'two-groups' });
  });

  it('A52453: a secondary group needs the primary group before it ("must also include a diagnosis from the primary diagnosis list above")', () => {
    const pairing = pairArticle(map([[1, ['J3315', 'J9202']]]), [2, 3, 4, 5], {
      codes: new Map(),
      covered: map([
        [2, 'J3315 (Injection, triptorelin pamoate, 3.75 mg) Primary ICD-10-CM codes: (these diagnoses can be billed as a single diagnosis or in conjunction with the secondary ICD-10-CM codes listed below)'],
        [3, 'The ICD-10-CM codes listed below are considered secondary codes. When these codes are reported for J3315, the claim must also include a diagnosis from the primary diagnosis list above.'],
        [4, 'J9202 (Goserelin acetate implant, per 3.6 mg) Primary ICD-10-CM codes: (these diagnoses can be billed as a single diagnosis or in conjunction with the secondary ICD-10-CM codes listed below)'],
        [5, 'The ICD-10-CM codes listed below are considered secondary codes. When these codes are reported for J9202, the claim must also include a diagnosis from the primary diagnosis list above.'],
      ]),
    });
    expect(pairing.pairings).toEqual([
      { codes: ['J3315'], groups: [2, 3], basis: 'stated' },
      { codes: ['J9202'], groups: [4, 5], basis: 'stated' },
    ]);
    expect(pairing.together).toEqual([[2, 3], [4, 5]]);
    // The primary group stands alone; the secondary only with it.
    expect(pairing.notAlone).toEqual([3, 5]);
  });

  it('A56795: "DUAL DIAGNOSIS NECESSARY … Requires:" then "AND one of the following:" is one diagnosis from each group', () => {
    const pairing = pairArticle(map([[1, ['J0885']]]), [1, 2, 3], {
      codes: new Map(),
      covered: map([
        [1, 'A. End Stage Renal Disease (ESRD) ON dialysis J0882, J0887, Q4081, and Q5105. Requires both diagnoses below:'],
        [2, 'B. Chronic Kidney Disease NOT on dialysis DUAL DIAGNOSIS NECESSARY FOR J0881, J0885, J0888, and Q5106. Requires:'],
        [3, 'AND one of the following:'],
      ]),
    });
    expect(pairing.together).toEqual([[2, 3]]);
    expect(pairing.requirements).toEqual([{ group: 1, atLeast: 2, mustInclude: [] }]);
    expect(pairing.pairings).toEqual([{ codes: ['J0885'], groups: [2, 3], basis: 'stated' }]);
  });

  it.each([
    ['A60381: "claims must include D63.8 (anemia of other chronic disease) and one other listed diagnosis"', 'For patients with anemia of chronic disease, claims must include D63.8 (anemia of other chronic disease) and one other listed diagnosis', { atLeast: 2, mustInclude: ['D638'] }],
    ['A60435: "must be reported with ICD-10-CM code D64.81 … plus the non-myeloid malignancy"', 'For patients with anemia related to chemotherapy, claims must be reported with ICD-10-CM code D64.81 (antineoplastic chemotherapy induced anemia) representing the anemia related to chemotherapy plus the non-myeloid malignancy', { atLeast: 2, mustInclude: ['D6481'] }],
    ['A56462: "Must have one of the following D61.1 and either B20 or B97.35 on the claim."', 'related to treatment with zidovudine. Must have one of the following D61.1 and either B20 or B97.35 on the claim.', { atLeast: 2, mustInclude: ['D611'] }],
    ['A58982: "Dual diagnoses are expected"', 'For PATIENTS WITH CKD NOT ON DIALYSIS - Dual diagnoses are expected; an ICD-10 code noting anemia of CKD and an ICD-10 code noting the stage of the CKD.', { atLeast: 2, mustInclude: [] }],
    ['A60380: "Both ICD-10 diagnoses must be on the claim"', 'For PATIENTS WITH ESRD ON DIALYSIS - Both ICD-10 diagnoses must be on the claim in order to designate the type of anemia and the stage of kidney disease.', { atLeast: 2, mustInclude: [] }],
    ['A58982: "Three diagnoses are expected"', 'REDUCTION OF ALLOGENEIC BLOOD TRANSFUSION Three diagnoses are expected; an ICD-10 code noting type of anemia (D63.8) as primary diagnosis and Z01.818 as a secondary diagnosis', { atLeast: 3, mustInclude: [] }],
    ['A56462: "Must have an anemia diagnosis (Note: D63.8 or D64.9) and other specified prophylactic measure diagnosis"', 'Preoperative use in specified patients. Must have an anemia diagnosis (Note: D63.8 or D64.9) and other specified prophylactic measure diagnosis. (Anemia must be primary diagnosis).', { atLeast: 2, mustInclude: [] }],
  ])('a group\'s own requirement: %s', (_, text, requirement) => {
    const pairing = pairArticle(map([[1, ['J0885']]]), [1], { codes: new Map(), covered: map([[1, text]]) });
    expect(pairing.requirements).toEqual([{ group: 1, ...requirement }]);
  });

  it('A56695: an HCPCS group\'s paragraph naming an ICD-10 group ("For ICD-10-CM Codes that Support Medical Necessity Group 3")', () => {
    const pairing = pairArticle(map([[1, ['J2278']], [2, ['J9200']]]), [1, 2, 3], {
      codes: map([
        [1, 'J2278-KD ziconitide (Prialt) (non-compounded) (For ICD-10-CM Codes that Support Medical Necessity Group 3: Codes only )'],
        [2, 'J9200-KD floxuridine (non-compounded) (For ICD-10-CM Codes that Support Medical Necessity Group 1: Codes only)'],
      ]),
      covered: new Map(),
    });
    expect(pairing.pairings).toEqual([
      { codes: ['J2278'], groups: [3], basis: 'stated' },
      { codes: ['J9200'], groups: [1], basis: 'stated' },
    ]);
  });

  it('reads paragraphs written in HTML as text', () => {
    expect(plainText('<p><span style="x">For patients on dialysis &ndash; both diagnoses&nbsp;must be on claim.</span></p>')).toBe('For patients on dialysis - both diagnoses must be on claim.');
  });
});
