import type { LineRule } from '../types.js';

/** From this date a 340B covered entity marks its Part B drug lines with TB (JG still accepted through 2025). */
export const TB_REQUIRED_FROM = '2025-01-01';
/** From this date JG is no longer accepted: TB only (CY 2025 OPPS final rule; marked for verification). */
export const JG_RETIRED_FROM = '2026-01-01';

export const rule: LineRule = {
  meta: {
    id: 'tb-modifier-missing',
    title: '340B drug line without TB (or JG)',
    category: 'modifiers',
    severity: 'warning',
    // The modifier is informational for payment: no denial code is claimed.
    denial: { group: null, carc: null, rarc: null, verified: false },
    appliesTo: ['medicare'],
    scope: 'line',
    // Separately payable Part B drugs: the office, the outpatient hospital, the CAH.
    settings: ['professional', 'outpatient-hospital', 'cah'],
    owner: 'pharmacy',
    dollarCategory: 'overpayment',
    needs: ['modifiers'],
    messages: {
      missing: '{code} billed to Medicare Part B by {npi}, which the profile names a 340B covered entity, with neither TB nor JG',
      jgRetired: '{code} billed with JG on {date}: from 2026 a 340B covered entity reports TB (JG was accepted through 2025)',
    },
    remediations: {
      addTb: 'add TB to the line if the drug was acquired under 340B (JG is accepted through 2025); if it was not, the line needs no 340B modifier',
      replaceJg: 'replace JG with TB',
    },
  },
  check({ claim, line, date, packaged, reference }) {
    // Off unless the profile names the provider a 340B covered entity: the claim cannot say so.
    const npi = claim.billingProviderNpi;
    if (!npi || !reference.entities340B.includes(npi)) return [];
    if (!date || date < TB_REQUIRED_FROM || !line.hcpcs) return [];
    // A packaged drug is not separately payable: the modifier is optional there.
    if (packaged) return [];
    const tb = line.modifiers.includes('TB');
    const jg = line.modifiers.includes('JG');
    const evidence = { billingNpi: npi, entity340B: 'named in the profile' };
    if (!tb && !jg) return [{ messageKey: 'missing', data: { code: line.hcpcs, npi }, remediationKey: 'addTb', confidence: 'medium', evidence }];
    if (!tb && jg && date >= JG_RETIRED_FROM) return [{ messageKey: 'jgRetired', data: { code: line.hcpcs, date }, remediationKey: 'replaceJg', confidence: 'low', evidence }];
    return [];
  },
};
