import { modifierOn } from '../../reference/pack.js';
import type { LineRule, Report } from '../types.js';
import { DENIALS } from '../util.js';

export const rule: LineRule = {
  meta: {
    id: 'modifier-unknown',
    title: 'Modifier not a HCPCS or CPT modifier, or not in force on the date',
    category: 'modifiers',
    severity: 'error',
    denial: DENIALS.modifier,
    appliesTo: ['*'],
    scope: 'line',
    owner: 'coding',
    dollarCategory: 'returned',
    needs: ['modifiers'],
    messages: {
      unknown: '{modifier} is not a HCPCS or CPT modifier',
      notYet: '{modifier} takes effect on {added}; the service date {date} is before it',
      ended: '{modifier} ended on {terminated}; the service date {date} is after it',
    },
    remediations: { fix: 'remove {modifier} or replace it with the modifier meant (check the HCPCS modifier list)' },
  },
  check({ line, reference, date }) {
    const reports: Report[] = [];
    for (const modifier of line.modifiers) {
      const status = modifierOn(reference.pack, modifier, date ?? '9999-12-31');
      const fix = { remediationKey: 'fix', remediationData: { modifier }, evidence: { modifier } };
      if (status.kind === 'unknown') reports.push({ messageKey: 'unknown', data: { modifier }, ...fix });
      else if (date && status.kind === 'before-added') reports.push({ messageKey: 'notYet', data: { modifier, added: status.added, date }, ...fix });
      else if (date && status.kind === 'after-terminated') reports.push({ messageKey: 'ended', data: { modifier, terminated: status.terminated, date }, ...fix });
    }
    return reports;
  },
};
