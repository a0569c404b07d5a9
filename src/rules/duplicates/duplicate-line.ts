import { notChecked, type Report, type CrossClaimRule } from '../types.js';
import { providerOf } from '../util.js';

export const rule: CrossClaimRule = {
  meta: {
    id: 'duplicate-line',
    title: 'Duplicate drug line',
    category: 'duplicates',
    severity: 'error',
    denial: { group: 'OA', carc: '18', rarc: null, verified: true },
    appliesTo: ['*'],
    scope: 'cross-claim',
    owner: 'front-end',
    dollarCategory: 'denial',
    needs: ['units', 'modifiers'],
    messages: {
      duplicate: 'same member, {code}, {date}, modifiers ({modifiers}) and {units:unit} as claim {firstClaim} line {firstLine}',
      resent: 'same member, {code}, {date}, modifiers ({modifiers}) and {units:unit} as an earlier copy of this claim line: claim {firstClaim} line {firstLine} was sent twice',
    },
    remediations: { resolve: 'remove the duplicate, or send it as a replacement claim (frequency 7) if it corrects the first' },
    notChecked: {
      noProvider: { message: 'neither a billing nor a rendering NPI on the claim: no provider whose claims to compare', fact: 'input', loadable: false },
    },
  },
  // A line with no provider to compare: a blank billing NPI is not one provider (DOMAIN.md section 13).
  checkLine(line) {
    if (line.frequencyCode === '7' || line.frequencyCode === '8' || !line.code || !line.date || line.memberKey === null) return [];
    return providerOf(line) === null ? notChecked('noProvider') : [];
  },
  // Lines of one provider (the billing NPI, else the rendering NPI), member, code, day,
  // modifiers, units and drug (NDC as normalised, else as sent: two lines of one NOC code with
  // different NDCs are different drugs); claims of two providers are adjudicated apart. A
  // replacement (7) or void (8) claim stands in for the claim it replaces: not a duplicate.
  groupBy(line) {
    const provider = providerOf(line);
    if (line.frequencyCode === '7' || line.frequencyCode === '8' || !line.code || !line.date || line.memberKey === null || provider === null) return null;
    return [provider, line.memberKey, line.code, line.date, [...line.modifiers].sort().join(':'), line.units, line.ndc ?? line.ndcAsSent ?? ''].join('|');
  },
  // The first line of the group stands; each later one duplicates it, so a line alone is no duplicate.
  minGroup: 2,
  check(group) {
    const first = group[0]!;
    const reports: Report[] = group.slice(1).map((line, i) => {
      // The same claim id and line number again (a claim sent twice): "as claim C line 1" would
      // name the line itself.
      const resent = first.claimId === line.claimId && first.lineNumber === line.lineNumber;
      return {
        lineIndex: i + 1,
        messageKey: resent ? 'resent' : 'duplicate',
        data: { code: line.code, date: line.date, modifiers: line.modifiers.join(', ') || 'none', units: line.units, firstClaim: first.claimId, firstLine: first.lineNumber },
        remediationKey: 'resolve',
        evidence: { firstClaim: first.claimId, firstLine: first.lineNumber },
      };
    });
    return { reports, notChecked: [] };
  },
};
