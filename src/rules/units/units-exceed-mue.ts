import type { LineFacts } from '../../model/index.js';
import { mueTableFor, type Reference } from '../../reference/index.js';
import { notChecked, type CrossClaimRule, type Report } from '../types.js';

/** The line's MUE: the pack's, else the loaded table's for the claim's setting; or why there is none. */
function mueFor(line: LineFacts, reference: Reference): { value: number; mai: 1 | 2 | 3 } | { missing: string } {
  const code = line.code ?? '';
  const fromPack = reference.pack.codes[code]?.mue;
  if (fromPack) return { value: fromPack.value, mai: fromPack.mai };
  const table = mueTableFor(reference, line.setting);
  const fromTable = table?.entries.get(code);
  if (fromTable) return { value: fromTable.value, mai: fromTable.mai };
  if (table) return { missing: `the MUE table ${table.file} has no ${code}` };
  const setting = line.setting === 'professional' ? 'practitioner' : 'outpatient hospital';
  return { missing: reference.mue.length > 0 ? `no ${setting} MUE table loaded (--mue)` : 'no MUE table loaded (--mue)' };
}

/** Lines with units to count against an MUE. */
const counted = (line: LineFacts) => line.units !== null && line.units > 0 && line.code !== null;

export const rule: CrossClaimRule = {
  meta: {
    id: 'units-exceed-mue',
    title: 'Units over the Medically Unlikely Edit',
    category: 'units',
    severity: 'error',
    denial: { group: 'CO', carc: '151', rarc: 'N362', verified: true },
    appliesTo: ['*'],
    scope: 'cross-claim',
    // MUEs edit the office (practitioner table), the hospital outpatient and the CAH (outpatient table).
    settings: ['professional', 'outpatient-hospital', 'cah'],
    owner: 'coding',
    dollarCategory: 'denial',
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
  // MAI 1 is an edit per line; MAI 2 and 3 sum the day's units (DOMAIN.md, MUE).
  checkLine(line, reference) {
    if (!counted(line)) return [];
    const mue = mueFor(line, reference);
    if ('missing' in mue) return notChecked(mue.missing);
    if (line.frequencyCode === '8') return [];
    if (mue.mai === 1) {
      if (line.units! <= mue.value) return [];
      return [{ messageKey: 'line', data: { units: line.units, code: line.code, mue: mue.value }, remediationKey: 'line', remediationData: { mue: mue.value }, evidence: { units: line.units, mue: mue.value, mai: 1 } }];
    }
    if (!line.date) return notChecked('no service date to sum units per day');
    return [];
  },
  // MAI 2 and 3: one billing provider's units of the code for the member on the day (the
  // claim's, without a member id): an MUE is per provider, beneficiary and date of service.
  groupBy(line, reference) {
    if (!counted(line) || line.frequencyCode === '8' || !line.date) return null;
    const mue = mueFor(line, reference);
    if ('missing' in mue || mue.mai === 1) return null;
    return `${line.billingNpi ?? ''}|${line.memberKey ?? `claim:${line.claimId}`}|${line.code}|${line.date}`;
  },
  check(group, reference) {
    const first = group[0]!;
    const mue = mueFor(first, reference);
    if ('missing' in mue) return { reports: [], notChecked: [] };
    const total = group.reduce((sum, l) => sum + (l.units ?? 0), 0);
    if (total <= mue.value) return { reports: [], notChecked: [] };
    const report: Report = {
      lineIndex: group.length - 1,
      messageKey: 'day',
      data: { total, code: first.code, date: first.date, lines: group.length, mue: mue.value, mai: mue.mai },
      remediationKey: 'day',
      remediationData: { date: first.date, mue: mue.value, appeal: mue.mai === 3 ? ' (MAI 3: appealable with clinical documentation)' : '' },
      severity: mue.mai === 3 ? 'warning' : 'error',
      evidence: { total, mue: mue.value, mai: mue.mai, lines: group.map((l) => `${l.claimId}#${l.lineNumber}`) },
    };
    return { reports: [report], notChecked: [] };
  },
};
