import type { LineRule } from '../types.js';
import { DENIALS, NOC_CODES } from '../util.js';

/** Medicaid requires the NDC on physician-administered drugs from this date (Deficit Reduction Act of 2005; 42 CFR 447.520). */
const MEDICAID_NDC_FROM = '2007-01-01';

export const rule: LineRule = {
  meta: {
    id: 'ndc-missing',
    title: 'NDC missing where the payer requires it',
    category: 'ndc',
    severity: 'error',
    denial: DENIALS.ndc,
    appliesTo: ['*'],
    scope: 'line',
    owner: 'pharmacy',
    dollarCategory: 'returned',
    needs: ['ndc'],
    messages: {
      required: 'no NDC on the line; {payerClass} payers require the NDC on physician-administered drugs',
      noc: '{code} is a not-otherwise-classified code: Medicare requires the NDC to know the drug',
    },
    remediations: { add: 'add the 11-digit NDC of the product given (LIN*N4) with its quantity and unit (CTP)' },
  },
  check({ line, policy, payerClass, date }) {
    if (line.drug) return [];
    // Medicare requires the NDC only on not-otherwise-classified codes (DOMAIN.md, section 4);
    // other payers as their profile says.
    if (payerClass === 'medicare' && line.hcpcs && NOC_CODES.has(line.hcpcs)) return [{ messageKey: 'noc', data: { code: line.hcpcs }, remediationKey: 'add', severity: 'error', evidence: { ndc: null } }];
    if (policy.ndcRequired === 'off') return [];
    // Medicaid's NDC reporting on physician-administered drugs starts 2007-01-01 (42 CFR 447.520).
    if (payerClass === 'medicaid' && date !== null && date < MEDICAID_NDC_FROM) return [];
    return [{ messageKey: 'required', data: { payerClass }, remediationKey: 'add', severity: policy.ndcRequired, evidence: { ndc: null, payerClass } }];
  },
};
