import type { RunLine, RunReport, RunRule } from '../types.js';
import { compareText } from '../../model/order.js';

function bucket(date: string, period: string): string {
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

export const rule: RunRule = {
  meta: {
    id: 'frequency-limit-exceeded',
    title: 'More administrations than the frequency limit',
    category: 'duplicates',
    severity: 'warning',
    denial: { group: 'CO', carc: '119', rarc: null, verified: true },
    appliesTo: ['*'],
    scope: 'run',
    needs: ['memberId'],
    messages: { exceeded: 'administration {count} of {code} for this member ({period} limit {max}; earlier: {earlier})' },
    remediations: { review: 'confirm this administration; the payer allows {max} per {period} for {code}' },
  },
  // A code without a frequency limit cannot exceed one.
  local: (line) => (line.frequencyLimits.length === 0 ? [] : null),
  check(lines: readonly RunLine[]) {
    const reports: RunReport[] = [];
    const groups = new Map<string, { max: number; period: string; seen: Array<{ date: string; line: RunLine }> }>();
    for (const line of lines) {
      if (!line.hcpcs || !line.date || line.memberKey === null || line.frequencyCode === '8') continue;
      for (const limit of line.frequencyLimits) {
        if (limit.payerClass !== '*' && limit.payerClass !== line.payerClass) continue;
        const key = `${line.memberKey}|${line.hcpcs}|${limit.period}|${limit.max}|${bucket(line.date, limit.period)}`;
        const group = groups.get(key) ?? { max: limit.max, period: limit.period, seen: [] };
        groups.set(key, group);
        if (group.seen.some((s) => s.date === line.date)) continue;
        group.seen.push({ date: line.date, line });
      }
    }
    const reported = new Set<number>();
    for (const group of groups.values()) {
      const ordered = [...group.seen].sort((a, b) => compareText(a.date, b.date) || a.line.seq - b.line.seq);
      ordered.slice(group.max).forEach(({ line }, i) => {
        if (reported.has(line.seq)) return;
        reported.add(line.seq);
        reports.push({
          seq: line.seq,
          messageKey: 'exceeded',
          data: { count: group.max + i + 1, code: line.hcpcs, period: group.period, max: group.max, earlier: ordered.slice(0, group.max + i).map((s) => `${s.date} (claim ${s.line.claimId})`).join(', ') },
          remediationKey: 'review',
          remediationData: { max: group.max, period: group.period, code: line.hcpcs },
          evidence: { dates: ordered.map((s) => s.date) },
        });
      });
    }
    return { reports, notChecked: [] };
  },
};
