import type { RunLine, RunReport, RunRule } from '../types.js';

export const rule: RunRule = {
  meta: {
    id: 'duplicate-line',
    title: 'Duplicate drug line',
    category: 'duplicates',
    severity: 'error',
    denial: { group: 'OA', carc: '18', rarc: null, verified: true },
    appliesTo: ['*'],
    scope: 'run',
    needs: ['units', 'modifiers'],
    messages: {
      duplicate: 'same member, {code}, {date}, modifiers ({modifiers}) and {units:unit} as claim {firstClaim} line {firstLine}',
      resent: 'same member, {code}, {date}, modifiers ({modifiers}) and {units:unit} as an earlier copy of this claim line: claim {firstClaim} line {firstLine} was sent twice',
    },
    remediations: { resolve: 'remove the duplicate, or send it as a replacement claim (frequency 7) if it corrects the first' },
  },
  // A replacement (7) or void (8) claim stands in for the claim it replaces: not a duplicate.
  local: (line) => (line.frequencyCode === '7' || line.frequencyCode === '8' || !line.hcpcs || !line.date || line.memberKey === null ? [] : null),
  check(lines: readonly RunLine[]) {
    const reports: RunReport[] = [];
    const seen = new Map<string, RunLine>();
    for (const line of lines) {
      const key = [line.memberKey, line.hcpcs, line.date, [...line.modifiers].sort().join(':'), line.units, line.ndc ?? ''].join('|');
      const first = seen.get(key);
      if (!first) {
        seen.set(key, line);
        continue;
      }
      // The same claim id and line number again (a claim sent twice): "as claim C line 1" would
      // name the line itself.
      const resent = first.claimId === line.claimId && first.lineNumber === line.lineNumber;
      reports.push({ seq: line.seq, messageKey: resent ? 'resent' : 'duplicate', data: { code: line.hcpcs, date: line.date, modifiers: line.modifiers.join(', ') || 'none', units: line.units, firstClaim: first.claimId, firstLine: first.lineNumber }, remediationKey: 'resolve', evidence: { firstClaim: first.claimId, firstLine: first.lineNumber } });
    }
    return { reports, notChecked: [] };
  },
};
