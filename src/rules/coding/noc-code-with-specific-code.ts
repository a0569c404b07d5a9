import { ndcOn } from '../../reference/pack.js';
import { quarterOf } from '../../reference/quarters.js';
import { notChecked, type LineRule } from '../types.js';

/** Unclassified drug codes a specific code replaces once it exists (HCPCS Level II). */
export const UNCLASSIFIED_DRUG_CODES: ReadonlySet<string> = new Set(['J3490', 'J3590', 'J9999', 'J7999', 'C9399']);

export const rule: LineRule = {
  meta: {
    id: 'noc-code-with-specific-code',
    title: 'Unclassified code for a drug that has its own code',
    category: 'coding',
    severity: 'error',
    // DOMAIN basis: CO-16 with M119, or CO-4: which one a payer uses is not verified.
    denial: { group: 'CO', carc: '16', rarc: 'M119', verified: false },
    appliesTo: ['*'],
    scope: 'line',
    owner: 'coding',
    dollarCategory: 'denial',
    needs: ['ndc'],
    messages: { specific: '{code} (not otherwise classified) billed for NDC {ndc} ({drug}), which the CMS NDC–HCPCS crosswalk for {quarter} assigns to {specific}' },
    remediations: { recode: 'bill {specific} in its own billing units instead of {code}' },
    notChecked: {
      noNdc: { message: 'no valid NDC on the unclassified code, so no crosswalk to look it up in', fact: 'input', loadable: false },
      noDate: { message: 'no service date, so no crosswalk quarter', fact: 'service-date', loadable: false },
      noCrosswalk: { message: 'no NDC-HCPCS crosswalk in the reference pack', fact: 'ndc-crosswalk', loadable: true },
      beforeCrosswalks: { message: 'no CMS crosswalk for the quarter of {date} (the earliest is {earliest})', fact: 'ndc-crosswalk', loadable: true },
    },
  },
  check({ line, ndc, date, reference }) {
    if (!line.hcpcs || !UNCLASSIFIED_DRUG_CODES.has(line.hcpcs)) return [];
    if (!ndc) return notChecked('noNdc');
    if (!date) return notChecked('noDate');
    const found = ndcOn(reference.pack, ndc, line.hcpcs, date);
    if (!found) return notChecked('noCrosswalk');
    // Before the first crosswalk the pack holds, a code CMS assigned later may not have existed yet.
    if (!found.exact && quarterOf(date) < found.quarter) return notChecked('beforeCrosswalks', { date, earliest: found.quarter });
    const specific = [...new Set(found.listings.map((l) => l.hcpcs).filter((c) => !UNCLASSIFIED_DRUG_CODES.has(c)))].sort();
    if (specific.length === 0) return [];
    return [
      {
        messageKey: 'specific',
        data: { code: line.hcpcs, ndc, drug: found.listings.find((l) => l.hcpcs === specific[0])!.drugName, quarter: found.quarter, specific: specific.join(' or ') },
        remediationKey: 'recode',
        // A crosswalk of a later quarter than the service date's says less.
        confidence: found.exact ? 'high' : 'medium',
        evidence: { ndc, quarter: found.quarter, exactQuarter: found.exact, specificCodes: specific },
      },
    ];
  },
};
