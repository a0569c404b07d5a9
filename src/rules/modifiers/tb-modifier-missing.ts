import type { LineRule } from '../types.js';

/**
 * From this date every 340B covered entity marks its separately payable Part B drug lines with
 * a 340B modifier: TB (critical access, rural sole community, children's and PPS-exempt cancer
 * hospitals, non-excepted off-campus departments) or JG (the others: DSH hospitals, grantees).
 */
export const MODIFIER_340B_REQUIRED_FROM = '2024-01-01';

export const rule: LineRule = {
  meta: {
    id: 'tb-modifier-missing',
    title: '340B drug line without TB or JG',
    category: 'modifiers',
    severity: 'warning',
    // The modifier does not change the payment: no denial code is claimed.
    denial: { group: null, carc: null, rarc: null, verified: false },
    appliesTo: ['medicare'],
    scope: 'line',
    // Separately payable Part B drugs: the office, the outpatient hospital, the CAH.
    settings: ['professional', 'outpatient-hospital', 'cah'],
    owner: 'pharmacy',
    // Medicare pays a 340B drug the same with or without the modifier (ASP + 6% since the
    // 2022-09-28 court order and the CY2023 OPPS rule): the risk is the rebate data and an audit.
    dollarCategory: 'compliance',
    needs: ['modifiers'],
    messages: {
      missing: '{code} billed to Medicare Part B on {date} by {npi}, which the profile names a 340B covered entity, with neither TB nor JG: the line is paid the same, but its units count toward the manufacturer\'s inflation rebate',
    },
    remediations: {
      addModifier: 'add the entity\'s 340B modifier (TB or JG, as its type requires) if the drug was acquired under 340B; a drug not acquired under 340B needs none',
    },
  },
  check({ claim, line, date, packaged, reference }) {
    // Off unless the profile names the provider a 340B covered entity: the claim cannot say so.
    const npi = claim.billingProviderNpi;
    if (!npi || !reference.entities340B.includes(npi)) return [];
    if (!date || date < MODIFIER_340B_REQUIRED_FROM || !line.hcpcs) return [];
    // A packaged drug is not separately payable: the modifier is optional there.
    if (packaged) return [];
    // Either modifier: a move of every entity to TB, and the end of JG, are not confirmed by a primary source.
    if (line.modifiers.includes('TB') || line.modifiers.includes('JG')) return [];
    return [
      {
        messageKey: 'missing',
        data: { code: line.hcpcs, date, npi },
        remediationKey: 'addModifier',
        confidence: 'medium',
        // No payment is at risk; the line's payment is its exposure (shown apart from the dollars).
        dollars: { amount: 0, basis: 'expected-payment' },
        evidence: { billingNpi: npi, entity340B: 'named in the profile', requiredFrom: MODIFIER_340B_REQUIRED_FROM },
      },
    ];
  },
};
