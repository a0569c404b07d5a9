import { billingUnitOn } from '../../reference/pack.js';
import type { LineRule } from '../types.js';
import { DENIALS } from '../util.js';

export const rule: LineRule = {
  meta: {
    id: 'units-not-positive',
    title: 'Units missing, zero or negative',
    category: 'units',
    severity: 'error',
    denial: DENIALS.units,
    appliesTo: ['*'],
    scope: 'line',
    owner: 'coding',
    dollarCategory: 'returned',
    needs: ['units'],
    messages: { missing: 'no units on the line', notPositive: '{units:unit}: a drug line needs at least 1 unit' },
    remediations: { bill: 'bill the dose in units of {billingUnit} (dose ÷ billing unit, rounded up; at least 1)' },
  },
  check({ line, code, date }) {
    if (line.units !== null && line.units > 0) return [];
    const unit = code ? billingUnitOn(code, date) : null;
    const billingUnit = unit ? `${unit.amount} ${unit.unit}` : 'the code';
    if (line.units === null) return [{ messageKey: 'missing', remediationKey: 'bill', remediationData: { billingUnit }, evidence: { units: null } }];
    if (line.units <= 0) return [{ messageKey: 'notPositive', data: { units: line.units }, remediationKey: 'bill', remediationData: { billingUnit }, evidence: { units: line.units } }];
    return [];
  },
};
