import { notChecked, type LineRule } from '../types.js';
import { CONTAINER_UNKNOWN, containerUnknown, DENIALS, hasModifier } from '../util.js';

export const rule: LineRule = {
  meta: {
    id: 'jw-jz-on-multi-dose',
    title: 'JW or JZ on a multi-dose container',
    category: 'modifiers',
    severity: 'error',
    // CO-4/N823 is what a payer that edits it would say; CMS publishes no edit for it (unverified).
    denial: { ...DENIALS.modifier, verified: false },
    appliesTo: ['*'],
    scope: 'line',
    // JW/JZ: separately payable drugs in the office, the outpatient hospital and the CAH; not inpatient, RHC, FQHC or ESRD (DOMAIN.md, section 10).
    settings: ['professional', 'outpatient-hospital', 'cah'],
    owner: 'pharmacy',
    // No CMS denial edit is published for it: the line is corrected and sent again.
    dollarCategory: 'returned',
    needs: ['modifiers'],
    messages: { multiDose: '{modifier} on {code} from a multi-dose container: JW and JZ are only for single-dose containers' },
    remediations: { remove: 'remove {modifier}; waste from multi-dose vials is not billed' },
    notChecked: { ...CONTAINER_UNKNOWN },
  },
  check(subject) {
    const modifier = ['JW', 'JZ'].find((m) => hasModifier(subject, m));
    if (!modifier) return [];
    if (subject.container === 'multi-dose') {
      return [{ messageKey: 'multiDose', data: { modifier, code: subject.line.hcpcs }, remediationKey: 'remove', remediationData: { modifier }, evidence: { modifier, ndc: subject.ndc, container: 'multi-dose' } }];
    }
    if (subject.container !== 'single-dose') {
      const why = containerUnknown(subject);
      return notChecked(why.key, why.data);
    }
    return [];
  },
};
