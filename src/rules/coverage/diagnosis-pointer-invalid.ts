import type { LineRule, Report } from '../types.js';

export const rule: LineRule = {
  meta: {
    id: 'diagnosis-pointer-invalid',
    title: 'Diagnosis pointer missing or pointing nowhere',
    category: 'coverage',
    severity: 'error',
    denial: { group: 'CO', carc: '16', rarc: 'M76', verified: true },
    appliesTo: ['*'],
    scope: 'line',
    owner: 'coding',
    dollarCategory: 'returned',
    needs: ['diagnoses', 'diagnosisPointers'],
    messages: {
      none: 'the line has no diagnosis pointer (SV107)',
      dangling: 'pointer {pointer} points past the claim\'s diagnoses (it has {count})',
    },
    remediations: { point: 'point SV107 at the claim diagnosis (1-{count}) that the drug treats' },
  },
  check({ claim, line }) {
    if (claim.claimType !== 'professional') return [];
    const count = claim.diagnoses.length;
    if (line.diagnosisPointers.length === 0) return [{ messageKey: 'none', remediationKey: 'point', remediationData: { count: Math.max(count, 1) }, evidence: { pointers: [] } }];
    const reports: Report[] = [];
    for (const pointer of line.diagnosisPointers) {
      if (pointer > count) reports.push({ messageKey: 'dangling', data: { pointer, count }, remediationKey: 'point', remediationData: { count: Math.max(count, 1) }, evidence: { pointer, diagnoses: count } });
    }
    return reports;
  },
};
