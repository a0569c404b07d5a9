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
    // Where a drug line's units are paid per unit: the office, the outpatient hospital (and CAH,
    // RHC, FQHC and ESRD lines, reported per unit). An inpatient stay, a SNF, hospice or home
    // health claim (setting other) is paid per stay, day or episode: its drug units are no
    // payment unit.
    settings: ['professional', 'outpatient-hospital', 'cah', 'rhc', 'fqhc', 'esrd'],
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
