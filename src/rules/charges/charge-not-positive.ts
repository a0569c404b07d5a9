import type { LineRule } from '../types.js';

export const rule: LineRule = {
  meta: {
    id: 'charge-not-positive',
    title: 'Line charge missing, zero or negative',
    category: 'charges',
    severity: 'error',
    denial: { group: 'CO', carc: '16', rarc: null, verified: true },
    appliesTo: ['*'],
    scope: 'line',
    owner: 'charge-master',
    dollarCategory: 'returned',
    needs: ['charge'],
    messages: { missing: 'no charge on the line', notPositive: 'the line charge is {charge}' },
    remediations: { charge: 'bill the chargemaster price for {units:unit} of {code}' },
  },
  check({ line }) {
    const remediation = { remediationKey: 'charge', remediationData: { units: line.units, code: line.hcpcs } };
    if (line.charge === null) return [{ messageKey: 'missing', ...remediation, evidence: { charge: null } }];
    if (line.charge <= 0) return [{ messageKey: 'notPositive', data: { charge: line.charge.toFixed(2) }, ...remediation, evidence: { charge: line.charge } }];
    return [];
  },
};
