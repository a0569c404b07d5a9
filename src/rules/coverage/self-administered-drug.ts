import { notChecked, type LineRule } from '../types.js';

export const rule: LineRule = {
  meta: {
    id: 'self-administered-drug',
    title: 'Self-administered drug billed to Medicare Part B',
    category: 'coverage',
    severity: 'warning',
    denial: { group: 'CO', carc: '96', rarc: null, verified: true },
    appliesTo: ['medicare'],
    scope: 'line',
    owner: 'coding',
    dollarCategory: 'denial',
    messages: { selfAdministered: '{code} is usually self-administered: Medicare Part B excludes self-administered drugs' },
    remediations: { route: 'bill the drug to the patient\'s Part D plan (or document why it was given by clinical staff)' },
  },
  check({ line, code }) {
    // GY (statutorily excluded): the provider bills the excluded drug for the denial on purpose,
    // which is the correct way to bill it (DOMAIN.md, section 10).
    if (line.modifiers.includes('GY')) return [];
    if (!code) return notChecked(`${line.hcpcs ?? 'the code'} is not in the reference pack`);
    if (code.selfAdministered.value === null) return notChecked(`not known whether ${line.hcpcs} is self-administered`);
    if (!code.selfAdministered.value) return [];
    return [{ messageKey: 'selfAdministered', data: { code: line.hcpcs }, remediationKey: 'route', confidence: code.selfAdministered.confidence === 'inferred' ? 'low' : 'medium', evidence: { selfAdministered: true, source: code.selfAdministered.source } }];
  },
};
