import { notChecked, type RunLine, type RunReport, type RunRule } from '../types.js';

export const rule: RunRule = {
  meta: {
    id: 'units-exceed-mue',
    title: 'Units over the Medically Unlikely Edit',
    category: 'units',
    severity: 'error',
    denial: { group: 'CO', carc: '151', rarc: 'N362', verified: true },
    appliesTo: ['*'],
    scope: 'run',
    needs: ['units'],
    messages: {
      line: '{units:unit} on one line; the MUE for {code} is {mue} per line (MAI 1)',
      day: '{total:unit} of {code} for this member on {date} across {lines:line}; the MUE is {mue} per day (MAI {mai})',
    },
    remediations: {
      line: 'check the dose; bill at most {mue:unit} on a line, or document medical necessity',
      day: 'check the doses billed on {date}; units over {mue} per day need documentation{appeal}',
    },
  },
  local(line) {
    if (line.units === null || line.units <= 0 || !line.hcpcs) return [];
    if (!line.mue) return notChecked(line.mueMissingReason ?? `no MUE for ${line.hcpcs}`);
    if (line.frequencyCode === '8') return [];
    if (line.mue.mai === 1) {
      if (line.units <= line.mue.value) return [];
      return [{ messageKey: 'line', data: { units: line.units, code: line.hcpcs, mue: line.mue.value }, remediationKey: 'line', remediationData: { mue: line.mue.value }, evidence: { units: line.units, mue: line.mue.value, mai: 1 } }];
    }
    if (!line.date) return notChecked('no service date to sum units per day');
    return null;
  },
  // The lines local() left: MAI 2 and 3, summed per member, code and day.
  check(lines: readonly RunLine[]) {
    const reports: RunReport[] = [];
    const days = new Map<string, RunLine[]>();
    for (const line of lines) {
      const key = `${line.memberKey ?? `claim:${line.claimId}`}|${line.hcpcs}|${line.date}`;
      const day = days.get(key);
      if (day) day.push(line);
      else days.set(key, [line]);
    }
    for (const group of days.values()) {
      const first = group[0]!;
      const mue = first.mue!;
      const total = group.reduce((sum, l) => sum + (l.units ?? 0), 0);
      if (total <= mue.value) continue;
      const last = group[group.length - 1]!;
      reports.push({
        seq: last.seq,
        messageKey: 'day',
        data: { total, code: first.hcpcs, date: first.date, lines: group.length, mue: mue.value, mai: mue.mai },
        remediationKey: 'day',
        remediationData: { date: first.date, mue: mue.value, appeal: mue.mai === 3 ? ' (MAI 3: appealable with clinical documentation)' : '' },
        severity: mue.mai === 3 ? 'warning' : 'error',
        evidence: { total, mue: mue.value, mai: mue.mai, lines: group.map((l) => `${l.claimId}#${l.lineNumber}`) },
      });
    }
    return { reports, notChecked: [] };
  },
};
