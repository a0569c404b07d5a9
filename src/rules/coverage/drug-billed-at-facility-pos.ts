import type { LineRule } from '../types.js';
import { DENIALS } from '../util.js';

/**
 * Places of service where the facility supplies the drug and bills it on its own claim: 19 and
 * 22 outpatient hospital (off and on campus), 21 inpatient hospital, 23 emergency room (CMS
 * Place of Service code set; Medicare Claims Processing Manual ch. 12 section 20.4.2).
 */
export const FACILITY_POS: Readonly<Record<string, string>> = {
  '19': 'off-campus outpatient hospital',
  '21': 'inpatient hospital',
  '22': 'on-campus outpatient hospital',
  '23': 'emergency room',
};

export const rule: LineRule = {
  meta: {
    id: 'drug-billed-at-facility-pos',
    title: "Drug on a physician's claim at a hospital place of service",
    category: 'coverage',
    severity: 'warning',
    // Payers deny it, but the adjustment code varies by contractor: none is claimed.
    denial: DENIALS.unclaimed,
    appliesTo: ['*'],
    scope: 'line',
    settings: ['professional'],
    owner: 'coding',
    dollarCategory: 'denial',
    messages: { facility: '{code} billed on a professional claim at place of service {pos} ({place}): the hospital supplies the drug and bills it' },
    remediations: { remove: 'remove the drug line: bill the administration only; the hospital bills the drug on its claim (or correct the place of service if the drug was given in the office)' },
  },
  check({ line, code }) {
    // A line that is no drug of the pack (an administration, an E/M) is not this rule's.
    if (!code) return [];
    const pos = line.placeOfService;
    const place = pos ? FACILITY_POS[pos] : undefined;
    if (!pos || place === undefined) return [];
    return [{ messageKey: 'facility', data: { code: line.hcpcs, pos, place }, remediationKey: 'remove', confidence: 'medium', evidence: { placeOfService: pos } }];
  },
};
