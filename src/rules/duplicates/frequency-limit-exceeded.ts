import type { LineFacts } from '../../model/index.js';
import { compareText } from '../../model/order.js';
import type { Reference } from '../../reference/index.js';
import type { CrossClaimRule, Report } from '../types.js';

/** The limit's period a date falls in. */
function periodOf(date: string, period: string): string {
  switch (period) {
    case 'lifetime':
      return '';
    case 'year':
      return date.slice(0, 4);
    case 'month':
      return date.slice(0, 7);
    case 'week':
      return String(Math.floor(Date.parse(`${date}T00:00:00Z`) / (7 * 86_400_000)));
    default:
      return date;
  }
}

/** The code's frequency limits that hold for the line's payer class. */
const limitsFor = (line: LineFacts, reference: Reference) => (reference.pack.codes[line.code ?? '']?.frequencyLimits ?? []).filter((limit) => limit.payerClass === '*' || limit.payerClass === line.payerClass);

export const rule: CrossClaimRule = {
  meta: {
    id: 'frequency-limit-exceeded',
    title: 'More administrations than the frequency limit',
    category: 'duplicates',
    severity: 'warning',
    denial: { group: 'CO', carc: '119', rarc: null, verified: true },
    appliesTo: ['*'],
    scope: 'cross-claim',
    owner: 'authorization',
    dollarCategory: 'denial',
    needs: ['memberId'],
    messages: { exceeded: 'administration {count} of {code} for this member ({period} limit {max}; earlier: {earlier})' },
    remediations: { review: 'confirm this administration; the payer allows {max} per {period} for {code}' },
  },
  // The member's administrations of a code with a frequency limit; a void (8) claim is none.
  groupBy(line, reference) {
    if (!line.code || !line.date || line.memberKey === null || line.frequencyCode === '8') return null;
    return (reference.pack.codes[line.code]?.frequencyLimits.length ?? 0) === 0 ? null : `${line.memberKey}|${line.code}`;
  },
  check(group, reference) {
    const reports: Report[] = [];
    // Each limit's periods: one administration a day counts.
    const periods = new Map<string, { max: number; period: string; seen: Array<{ date: string; index: number }> }>();
    group.forEach((line, index) => {
      for (const limit of limitsFor(line, reference)) {
        const key = `${limit.period}|${limit.max}|${periodOf(line.date!, limit.period)}`;
        let period = periods.get(key);
        if (!period) periods.set(key, (period = { max: limit.max, period: limit.period, seen: [] }));
        if (!period.seen.some((s) => s.date === line.date)) period.seen.push({ date: line.date!, index });
      }
    });
    const reported = new Set<number>();
    for (const period of periods.values()) {
      const ordered = [...period.seen].sort((a, b) => compareText(a.date, b.date) || a.index - b.index);
      ordered.slice(period.max).forEach(({ index }, i) => {
        if (reported.has(index)) return;
        reported.add(index);
        const line = group[index]!;
        reports.push({
          lineIndex: index,
          messageKey: 'exceeded',
          data: { count: period.max + i + 1, code: line.code, period: period.period, max: period.max, earlier: ordered.slice(0, period.max + i).map((s) => `${s.date} (claim ${group[s.index]!.claimId})`).join(', ') },
          remediationKey: 'review',
          remediationData: { max: period.max, period: period.period, code: line.code },
          evidence: { dates: ordered.map((s) => s.date) },
        });
      });
    }
    return { reports, notChecked: [] };
  },
};
