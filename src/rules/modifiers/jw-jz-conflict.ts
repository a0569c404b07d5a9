import type { ClaimRule, Report } from '../types.js';
import { DENIALS, byCodeAndDate, hasModifier } from '../util.js';

export const rule: ClaimRule = {
  meta: {
    id: 'jw-jz-conflict',
    title: 'JW and JZ together',
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
    messages: {
      sameLine: 'JW (amount discarded) and JZ (nothing discarded) on the same line',
      sameDrug: 'a JZ line ({jzLine}) and a JW line for {code} on {date}: JZ says nothing was discarded',
    },
    remediations: { choose: 'keep JZ if nothing was discarded; otherwise remove JZ and keep the discarded amount on the JW line' },
  },
  check(lines) {
    const reports: Report[] = [];
    for (const s of lines) {
      if (hasModifier(s, 'JW') && hasModifier(s, 'JZ')) reports.push({ lineIndex: s.index, messageKey: 'sameLine', remediationKey: 'choose', evidence: { modifiers: s.line.modifiers } });
    }
    for (const group of byCodeAndDate(lines)) {
      const jz = group.find((s) => hasModifier(s, 'JZ') && !hasModifier(s, 'JW'));
      const jw = group.find((s) => hasModifier(s, 'JW') && !hasModifier(s, 'JZ'));
      if (jz && jw) {
        reports.push({ lineIndex: jw.index, messageKey: 'sameDrug', data: { jzLine: jz.line.lineNumber, code: jw.line.hcpcs, date: jw.date }, remediationKey: 'choose', evidence: { jzLine: jz.line.lineNumber, jwLine: jw.line.lineNumber } });
      }
    }
    return { reports, notChecked: [] };
  },
};
