import type { LineRule, Report } from '../types.js';
import { DENIALS } from '../util.js';

/** Hyaluronan (viscosupplement) codes J7321–J7329. */
const HYALURONAN = /^J732[1-9]$/;

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
    dollarCategory: 'denial',
    needs: ['modifiers'],
    messages: { invalid: '{modifier} ({category} modifier) does not belong on a drug line' },
    remediations: { remove: 'remove {modifier} from the drug line (it belongs on the procedure or administration line)' },
  },
  check({ line, reference }) {
    const reports: Report[] = [];
    for (const modifier of line.modifiers) {
      // Hyaluronan knee injections: MACs expect RT/LT on the drug line to say which knee.
      if ((modifier === 'RT' || modifier === 'LT') && line.hcpcs !== null && HYALURONAN.test(line.hcpcs)) continue;
      const category = reference.pack.modifiers[modifier]?.category;
      if (category === 'anatomic' || category === 'procedure') {
        reports.push({ messageKey: 'invalid', data: { modifier, category }, remediationKey: 'remove', remediationData: { modifier }, evidence: { modifier, category } });
      }
    }
    return reports;
  },
};
