import type { ClaimRule, Report } from '../types.js';
import { DENIALS, byCodeAndDate, hasModifier } from '../util.js';

export const rule: ClaimRule = {
  meta: {
    id: 'jw-without-administered-line',
    title: 'JW line without the administered line',
    category: 'modifiers',
    severity: 'error',
    denial: DENIALS.modifier,
    appliesTo: ['*'],
    scope: 'claim',
    // JW/JZ: separately payable drugs in the office, the outpatient hospital and the CAH; not inpatient, RHC, FQHC or ESRD (DOMAIN.md, section 10).
    settings: ['professional', 'outpatient-hospital', 'cah'],
    owner: 'pharmacy',
    dollarCategory: 'denial',
    needs: ['modifiers'],
    messages: { alone: 'a JW (discarded) line for {code} on {date} with no line for the administered amount' },
    remediations: { add: 'bill the administered amount of {code} on its own line (without JW), and only the discarded amount with JW' },
  },
  check(lines) {
    const reports: Report[] = [];
    for (const group of byCodeAndDate(lines)) {
      // A line with both JW and JZ is jw-jz-conflict's finding, not this one's.
      if (group.some((s) => !hasModifier(s, 'JW') || hasModifier(s, 'JZ'))) continue;
      for (const s of group) reports.push({ lineIndex: s.index, messageKey: 'alone', data: { code: s.line.hcpcs, date: s.date }, remediationKey: 'add', remediationData: { code: s.line.hcpcs }, evidence: { modifiers: s.line.modifiers } });
    }
    return { reports, notChecked: [] };
  },
};
