import { codeOn } from '../../reference/pack.js';
import { notChecked, type LineRule } from '../types.js';

export const rule: LineRule = {
  meta: {
    id: 'code-not-effective',
    title: 'HCPCS code not in force on the date of service',
    category: 'coding',
    severity: 'error',
    denial: { group: 'CO', carc: '181', rarc: null, verified: true },
    appliesTo: ['*'],
    scope: 'line',
    owner: 'coding',
    dollarCategory: 'denial',
    messages: {
      beforeAdded: '{code} was added on {added}; the service date {date} is before it',
      afterTerminated: '{code} ended on {terminated}{inferred}; the service date {date} is after it',
    },
    remediations: {
      replace: 'bill the code in force on {date} for this drug (check the HCPCS file for the quarter)',
    },
    notChecked: {
      noCode: { message: 'the line has no procedure code', fact: 'input', loadable: false },
      noDate: { message: 'no service date on the line or the claim, and no --as-of', fact: 'service-date', loadable: false },
      notInPack: { message: '{code} is not in the reference pack', fact: 'code', loadable: false },
    },
  },
  check({ line, date, reference }) {
    if (!line.hcpcs) return notChecked('noCode');
    if (!date) return notChecked('noDate');
    const status = codeOn(reference.pack, line.hcpcs, date);
    if (status.kind === 'not-in-pack') return notChecked('notInPack', { code: line.hcpcs });
    if (status.kind === 'before-added') {
      const inferred = status.code.added.confidence === 'inferred';
      return [{ messageKey: 'beforeAdded', data: { code: line.hcpcs, added: status.added, date }, remediationKey: 'replace', remediationData: { date }, confidence: inferred ? 'low' : 'high', evidence: { added: status.added, addedSource: status.code.added.source } }];
    }
    if (status.kind === 'after-terminated') {
      return [
        {
          messageKey: 'afterTerminated',
          data: { code: line.hcpcs, terminated: status.terminated, date, inferred: status.inferred ? ' (inferred from OPPS Addendum B, not verified)' : '' },
          remediationKey: 'replace',
          remediationData: { date },
          confidence: status.inferred ? 'low' : 'high',
          evidence: { terminated: status.terminated, terminatedSource: status.code.terminated.source },
        },
      ];
    }
    return [];
  },
};
