import type { LineRule } from '../types.js';
import { DENIALS, NOC_CODES } from '../util.js';

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
    needs: ['ndc'],
    messages: {
      required: 'no NDC on the line; {payerClass} payers require the NDC on physician-administered drugs',
      noc: '{code} is a not-otherwise-classified code: every payer needs the NDC to know the drug',
    },
    remediations: { add: 'add the 11-digit NDC of the product given (LIN*N4) with its quantity and unit (CTP)' },
  },
  check({ line, policy, payerClass }) {
    if (line.drug) return [];
    if (line.hcpcs && NOC_CODES.has(line.hcpcs)) return [{ messageKey: 'noc', data: { code: line.hcpcs }, remediationKey: 'add', severity: 'error', evidence: { ndc: null } }];
    if (policy.ndcRequired === 'off') return [];
    return [{ messageKey: 'required', data: { payerClass }, remediationKey: 'add', severity: policy.ndcRequired, evidence: { ndc: null, payerClass } }];
  },
};
