import type { ClaimRule, LineNotChecked, Report } from '../types.js';
import { byCodeAndDate, containerBasis, CONTAINER_UNKNOWN, containerUnknown, hasModifier, JW_JZ_REQUIRED_FROM } from '../util.js';

export const rule: ClaimRule = {
  meta: {
    id: 'jw-jz-missing',
    title: 'Single-dose drug without JW or JZ',
    category: 'modifiers',
    severity: 'error',
    // CMS returns these claims as unprocessable; the exact CARC/RARC contractors emit is not verified.
    denial: { group: 'CO', carc: '16', rarc: 'N822', verified: false },
    appliesTo: ['*'],
    scope: 'claim',
    // JW/JZ: separately payable drugs in the office, the outpatient hospital and the CAH; not inpatient, RHC, FQHC or ESRD (DOMAIN.md, section 10).
    settings: ['professional', 'outpatient-hospital', 'cah'],
    owner: 'pharmacy',
    dollarCategory: 'returned',
    needs: ['modifiers'],
    messages: { missing: '{code} is {container}, and the payer requires JW or JZ from 2023-07-01; no line for {date} carries either' },
    remediations: { add: 'add JZ if nothing was discarded, or bill the discarded amount on its own line with JW' },
    notChecked: { ...CONTAINER_UNKNOWN },
  },
  check(lines) {
    const reports: Report[] = [];
    const notChecked: LineNotChecked[] = [];
    for (const group of byCodeAndDate(lines)) {
      // Only separately payable drugs: not one OPPS packages.
      const required = group.filter((s) => s.policy.jwJzRequired && s.date !== null && s.date >= JW_JZ_REQUIRED_FROM && !s.packaged);
      if (required.length === 0 || group.some((s) => hasModifier(s, 'JW') || hasModifier(s, 'JZ'))) continue;
      const first = required[0]!;
      const single = required.find((s) => s.container === 'single-dose');
      if (single) {
        const fact = single.containerFact;
        reports.push({
          lineIndex: first.index,
          messageKey: 'missing',
          data: { code: first.line.hcpcs, date: first.date, container: containerBasis(single) },
          remediationKey: 'add',
          confidence: 'medium',
          evidence: { modifiers: first.line.modifiers, container: 'single-dose', containerBasis: fact?.basis ?? null, containerSource: fact?.source ?? null, jwJzListDate: fact?.listDate ?? null, requiredFrom: JW_JZ_REQUIRED_FROM },
        });
      } else if (required.some((s) => s.container === 'unknown' || s.container === null)) {
        for (const s of required) notChecked.push({ lineIndex: s.index, ...containerUnknown(s) });
      }
    }
    return { reports, notChecked };
  },
};
