import type { LineFacts } from '../../model/index.js';
import { mueTableFor, type Reference } from '../../reference/index.js';
import { MUE_SETTING, mueOn } from '../../reference/pack.js';
import type { MueSetting } from '../../reference/schema.js';
import { notChecked, type CrossClaimRule, type FindingConfidence, type Report } from '../types.js';
import { providerOf } from '../util.js';

const TABLE_NAMES: Record<MueSetting, string> = { practitioner: 'practitioner', 'outpatient-hospital': 'outpatient hospital', dme: 'DME supplier' };

interface LineMue {
  value: number;
  mai: 1 | 2 | 3;
  rationale: string;
  /** The table: practitioner or outpatient hospital, and its effective date (null: undated, or the user's --mue). */
  table: string;
  from: string | null;
  /** The service date is before the table's effective date and no older table is known. */
  early: boolean;
  source: string;
}

/** The line's MUE: the user's --mue table for the setting, else the pack's table in force on the date; or why there is none. */
function mueFor(line: LineFacts, reference: Reference): LineMue | { none: true } | { missing: string } {
  // missing: the name of the setting's table, none of whose editions is at hand.
  const code = line.code ?? '';
  const setting = MUE_SETTING[line.setting];
  if (setting === null) return { none: true };
  const table = mueTableFor(reference, line.setting);
  if (table) {
    const row = table.entries.get(code);
    // A code the table does not list has no MUE: nothing to check.
    return row ? { value: row.value, mai: row.mai, rationale: row.rationale, table: TABLE_NAMES[setting], from: row.from, early: row.from !== null && line.date !== null && line.date < row.from, source: table.file } : { none: true };
  }
  const packed = reference.pack.codes[code];
  const found = packed ? mueOn(packed, setting, line.date) : null;
  if (found) return { value: found.mue.value, mai: found.mue.mai, rationale: found.mue.rationale, table: TABLE_NAMES[setting], from: found.mue.from, early: found.early, source: found.mue.source };
  // The pack's tables cover every code with an MUE: a code they do not list has none.
  return settingsLoaded(reference).has(setting) ? { none: true } : { missing: TABLE_NAMES[setting] };
}

/** The settings the pack has an MUE table for, once a reference (it was looked for over every code, on every line without an MUE: a seventh of a run). */
const LOADED = new WeakMap<Reference, ReadonlySet<MueSetting>>();
function settingsLoaded(reference: Reference): ReadonlySet<MueSetting> {
  let loaded = LOADED.get(reference);
  if (!loaded) {
    const settings = new Set<MueSetting>();
    for (const c of Object.values(reference.pack.codes)) for (const m of c.mue) settings.add(m.setting);
    LOADED.set(reference, (loaded = settings));
  }
  return loaded;
}

/** Lines with units to count against an MUE. */
const counted = (line: LineFacts) => line.units !== null && line.units > 0 && line.code !== null;

const quarterOfDate = (date: string) => `${date.slice(0, 4)}Q${Math.ceil(Number(date.slice(5, 7)) / 3)}`;

/** "2026-10-01 table" or "table", and what the finding says of a date before the table. */
function tableText(mue: LineMue): { table: string; early: string } {
  const table = mue.from ? `${mue.table} MUE (table effective ${mue.from})` : `${mue.table} MUE`;
  return { table, early: mue.early && mue.from ? `; no table in force on the service date is known, so the ${quarterOfDate(mue.from)} value was used` : '' };
}

const confidenceOf = (mue: LineMue): FindingConfidence => (mue.early ? 'medium' : 'high');

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
      line: '{units:unit} on one line; the {table} for {code} is {mue} per line (MAI 1, {rationale}): the line is denied{early}',
      day: '{total:unit} of {code} for this member on {date} across {lines:line} of this provider; the {table} is {mue} a day (MAI {mai}, {rationale}): every line of {code} on claim {claim} is denied{early}',
    },
    remediations: {
      line: 'check the dose; bill at most {mue:unit} on a line, or document medical necessity',
      day: 'check the doses billed on {date}; units over {mue} a day need documentation{appeal}',
    },
    notChecked: {
      noTable: { message: 'no {table} MUE table in the pack or given with --mue', fact: 'mue', loadable: true },
      noDate: { message: 'no service date to sum units per day', fact: 'service-date', loadable: false },
    },
  },
  // MAI 1 is an edit per line; MAI 2 and 3 sum the day's units (CMS MUE FAQ; DOMAIN.md section 13).
  checkLine(line, reference) {
    if (!counted(line)) return [];
    const mue = mueFor(line, reference);
    if ('none' in mue) return [];
    if ('missing' in mue) return notChecked('noTable', { table: mue.missing });
    if (line.frequencyCode === '8') return [];
    if (mue.mai === 1) {
      if (line.units! <= mue.value) return [];
      const { table, early } = tableText(mue);
      return [
        {
          messageKey: 'line',
          data: { units: line.units, code: line.code, mue: mue.value, table, rationale: mue.rationale || 'no rationale given', early },
          remediationKey: 'line',
          remediationData: { mue: mue.value },
          confidence: confidenceOf(mue),
          evidence: { units: line.units, mue: mue.value, mai: 1, rationale: mue.rationale, table: mue.table, effective: mue.from, early: mue.early, source: mue.source },
        },
      ];
    }
    if (!line.date) return notChecked('noDate');
    return [];
  },
  // MAI 2 and 3: one provider's units of the code for the member on the day: an MUE is per
  // provider, beneficiary and date of service. The provider is the billing NPI, else the
  // rendering NPI; without either, or without a member id, the claim's own lines only.
  groupBy(line, reference) {
    if (!counted(line) || line.frequencyCode === '8' || !line.date) return null;
    const mue = mueFor(line, reference);
    if ('none' in mue || 'missing' in mue || mue.mai === 1) return null;
    const provider = providerOf(line);
    const whose = provider !== null && line.memberKey !== null ? `${provider}|${line.memberKey}` : `claim:${line.billingNpi ?? ''}|${line.claimId}`;
    return `${whose}|${line.code}|${line.date}`;
  },
  // The group's claims in input order (a superseded original is gone already: a replacement's
  // units replace its original's). Claims adjudicated before stay paid and count toward the
  // limit; the claim whose units cross it has every line of the code on the date denied; a
  // denied claim's units are not paid, so they do not count toward later claims.
  check(group, reference) {
    const first = group[0]!;
    const mue = mueFor(first, reference);
    if ('none' in mue || 'missing' in mue) return { reports: [], notChecked: [] };
    const claims = new Map<string, number[]>();
    group.forEach((line, i) => {
      const key = `${line.claimId}\u0000${line.frequencyCode ?? ''}`;
      claims.set(key, [...(claims.get(key) ?? []), i]);
    });
    const { table, early } = tableText(mue);
    const reports: Report[] = [];
    let paid = 0;
    let paidLines = 0;
    for (const members of claims.values()) {
      const units = members.reduce((sum, i) => sum + (group[i]!.units ?? 0), 0);
      if (paid + units <= mue.value) {
        paid += units;
        paidLines += members.length;
        continue;
      }
      const total = paid + units;
      for (const i of members) {
        reports.push({
          lineIndex: i,
          messageKey: 'day',
          data: { total, code: first.code, date: first.date, lines: paidLines + members.length, mue: mue.value, mai: mue.mai, table, rationale: mue.rationale || 'no rationale given', claim: group[i]!.claimId, early },
          remediationKey: 'day',
          remediationData: { date: first.date, mue: mue.value, appeal: mue.mai === 3 ? ' (MAI 3: appealable with clinical documentation)' : '' },
          severity: mue.mai === 3 ? 'warning' : 'error',
          confidence: confidenceOf(mue),
          evidence: { total, paidBefore: paid, claimUnits: units, mue: mue.value, mai: mue.mai, rationale: mue.rationale, table: mue.table, effective: mue.from, early: mue.early, source: mue.source, lines: group.map((l) => `${l.claimId}#${l.lineNumber}`) },
        });
      }
    }
    return { reports, notChecked: [] };
  },
};
