import { notChecked, type LineRule } from '../types.js';

export const rule: LineRule = {
  meta: {
    id: 'packaged-drug-outpatient',
    title: 'Packaged drug on a Medicare outpatient claim',
    category: 'coverage',
    severity: 'info',
    denial: { group: 'CO', carc: '97', rarc: null, verified: true },
    appliesTo: ['medicare'],
    scope: 'line',
    // OPPS packaging: hospital outpatient claims (13x); a CAH (85x) is paid on cost, not OPPS.
    settings: ['outpatient-hospital'],
    owner: 'coding',
    dollarCategory: 'denial',
    messages: { packaged: '{code} has OPPS status N in {quarter}: its payment is packaged into the procedure; expect no separate payment' },
    remediations: { expect: 'keep billing the line for cost reporting, but do not expect separate payment' },
    notChecked: {
      noOppsRow: { message: 'no OPPS Addendum B row for {code} on or before the service date', fact: 'price', loadable: false },
    },
  },
  check({ line, price, packaged }) {
    if (!price) return notChecked('noOppsRow', { code: line.hcpcs ?? 'the code' });
    if (!packaged) return [];
    return [{ messageKey: 'packaged', data: { code: line.hcpcs, quarter: price.price.quarter }, remediationKey: 'expect', dollars: { amount: 0, basis: 'expected-payment' }, evidence: { statusIndicator: 'N', quarter: price.price.quarter } }];
  },
};
