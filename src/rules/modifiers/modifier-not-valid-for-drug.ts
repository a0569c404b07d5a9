import type { LineRule, Report } from '../types.js';
import { DENIALS } from '../util.js';

export const rule: LineRule = {
  meta: {
    id: 'modifier-not-valid-for-drug',
    title: 'Anatomic or procedure modifier on a drug line',
    category: 'modifiers',
    severity: 'warning',
    denial: DENIALS.modifier,
    appliesTo: ['*'],
    scope: 'line',
    owner: 'coding',
    needs: ['modifiers'],
    messages: { invalid: '{modifier} ({category} modifier) does not belong on a drug line' },
    remediations: { remove: 'remove {modifier} from the drug line (it belongs on the procedure or administration line)' },
  },
  check({ line, reference }) {
    const reports: Report[] = [];
    for (const modifier of line.modifiers) {
      const category = reference.pack.modifiers[modifier]?.category;
      if (category === 'anatomic' || category === 'procedure') {
        reports.push({ messageKey: 'invalid', data: { modifier, category }, remediationKey: 'remove', remediationData: { modifier }, evidence: { modifier, category } });
      }
    }
    return reports;
  },
};
