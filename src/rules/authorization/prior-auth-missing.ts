import type { LineRule } from '../types.js';

export const rule: LineRule = {
  meta: {
    id: 'prior-auth-missing',
    title: 'Prior authorization required and not on the claim',
    category: 'authorization',
    severity: 'warning',
    denial: { group: 'CO', carc: '197', rarc: null, verified: true },
    appliesTo: ['*'],
    scope: 'line',
    owner: 'authorization',
    dollarCategory: 'denial',
    needs: ['priorAuthorization'],
    messages: { missing: '{code} needs prior authorization for {payerClass} payers ({basis}); no REF*G1 on the claim or the line' },
    remediations: { add: 'add the authorization number (REF*G1) from the payer, or obtain one before billing' },
  },
  check({ claim, line, code, policy, payerClass }) {
    if (!line.hcpcs || policy.priorAuthorization.severity === 'off') return [];
    const byPolicy = policy.priorAuthorization.codes.includes(line.hcpcs);
    const byPack = code?.priorAuthorization.some((p) => p.required && (p.payerClass === payerClass || p.payerClass === '*')) ?? false;
    if (!byPolicy && !byPack) return [];
    if (claim.priorAuthorization || line.priorAuthorization) return [];
    return [{ messageKey: 'missing', data: { code: line.hcpcs, payerClass, basis: byPolicy ? 'payer-class profile' : 'reference pack' }, remediationKey: 'add', severity: policy.priorAuthorization.severity, confidence: 'low', evidence: { priorAuthorization: null } }];
  },
};
