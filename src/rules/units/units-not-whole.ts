import type { LineRule } from '../types.js';
import { DENIALS } from '../util.js';

export const rule: LineRule = {
  meta: {
    id: 'units-not-whole',
    title: 'HCPCS units not a whole number',
    category: 'units',
    severity: 'error',
    denial: DENIALS.units,
    appliesTo: ['*'],
    scope: 'line',
    owner: 'coding',
    dollarCategory: 'returned',
    needs: ['units'],
    messages: { fractional: '{units:unit}: HCPCS units are whole numbers' },
    remediations: { roundUp: 'bill {rounded:unit} (round the dose up to the next whole billing unit)' },
  },
  check({ line }) {
    if (line.units === null || line.units <= 0 || Number.isInteger(line.units)) return [];
    return [{ messageKey: 'fractional', data: { units: line.units }, remediationKey: 'roundUp', remediationData: { rounded: Math.ceil(line.units) }, evidence: { units: line.units } }];
  },
};
