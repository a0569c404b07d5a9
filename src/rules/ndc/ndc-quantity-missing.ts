import type { LineRule, Report } from '../types.js';
import { DENIALS } from '../util.js';

const UNITS = new Set(['F2', 'GR', 'ME', 'ML', 'UN']);

export const rule: LineRule = {
  meta: {
    id: 'ndc-quantity-missing',
    title: 'NDC quantity or unit missing or invalid',
    category: 'ndc',
    severity: 'error',
    denial: DENIALS.ndc,
    appliesTo: ['*'],
    scope: 'line',
    owner: 'pharmacy',
    dollarCategory: 'returned',
    needs: ['ndc', 'ndcQuantity'],
    messages: {
      quantity: 'the NDC has no positive quantity (CTP04 is {quantity})',
      unit: 'the NDC unit (CTP05) is {unit}: expected F2, GR, ME, ML or UN',
    },
    remediations: { add: 'send CTP with the quantity of the NDC product given and its unit (F2, GR, ME, ML or UN)' },
  },
  check({ line }) {
    const drug = line.drug;
    if (!drug) return [];
    const reports: Report[] = [];
    if (drug.quantity === null || drug.quantity <= 0) reports.push({ messageKey: 'quantity', data: { quantity: drug.quantity === null ? 'missing' : drug.quantity }, remediationKey: 'add', evidence: { quantity: drug.quantity } });
    if (!drug.unit || !UNITS.has(drug.unit)) reports.push({ messageKey: 'unit', data: { unit: drug.unit ?? 'missing' }, remediationKey: 'add', evidence: { unit: drug.unit } });
    return reports;
  },
};
