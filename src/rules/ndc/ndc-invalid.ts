import { normaliseNdc } from '../../model/ndc.js';
import type { LineRule } from '../types.js';
import { DENIALS } from '../util.js';

export const rule: LineRule = {
  meta: {
    id: 'ndc-invalid',
    title: 'NDC not a valid 11-digit NDC',
    category: 'ndc',
    severity: 'error',
    denial: DENIALS.ndc,
    appliesTo: ['*'],
    scope: 'line',
    owner: 'pharmacy',
    dollarCategory: 'returned',
    needs: ['ndc'],
    messages: {
      qualifier: 'LIN02 is {qualifier}: an NDC is sent with qualifier N4',
      'ambiguous-10-digit': 'NDC {ndc} has 10 digits and no dashes: it cannot be padded to 11 without knowing its 4-4-2, 5-3-2 or 5-4-1 form',
      'non-digits': 'NDC {ndc} contains characters other than digits',
      'all-zeros': 'NDC {ndc} is all zeros',
      'wrong-length': 'NDC {ndc} is not 11 digits (5-4-2)',
      empty: 'LIN03 is empty',
    },
    remediations: {
      qualifier: 'send the NDC with LIN02 = N4',
      pad: 'send the 11-digit 5-4-2 form from the package label (pad the short segment with a leading 0)',
    },
  },
  check({ line }) {
    const drug = line.drug;
    if (!drug) return [];
    if (drug.qualifier !== 'N4') return [{ messageKey: 'qualifier', data: { qualifier: drug.qualifier || '(empty)' }, remediationKey: 'qualifier', evidence: { qualifier: drug.qualifier, ndc: drug.ndc } }];
    const result = normaliseNdc(drug.ndc);
    if (result.ok) return [];
    return [{ messageKey: result.reason, data: { ndc: drug.ndc }, remediationKey: 'pad', evidence: { ndc: drug.ndc, reason: result.reason } }];
  },
};
