import { ndcOn } from '../../reference/pack.js';
import { notChecked, type DrugLine, type LineRule } from '../types.js';
import { DENIALS, hasModifier } from '../util.js';

/** Whether jw-jz-conflict already reports the JW line: JZ on it, or on a line of the same code and date on the claim. */
function inConflict({ claim, line }: DrugLine): boolean {
  if (line.modifiers.includes('JZ')) return true;
  return claim.lines.some((other) => other !== line && other.hcpcs === line.hcpcs && (other.serviceDate ?? claim.statementFrom) === (line.serviceDate ?? claim.statementFrom) && other.modifiers.includes('JZ'));
}

export const rule: LineRule = {
  meta: {
    id: 'jw-waste-exceeds-package',
    title: 'JW waste of a whole vial or more',
    category: 'modifiers',
    severity: 'error',
    // Contractors reject or recoup it under their own codes: none is claimed.
    denial: DENIALS.unclaimed,
    appliesTo: ['*'],
    scope: 'line',
    settings: ['professional', 'outpatient-hospital', 'cah'],
    owner: 'pharmacy',
    dollarCategory: 'overpayment',
    needs: ['modifiers', 'units', 'ndc'],
    messages: { wholePackage: '{units:unit} billed as waste (JW) of {code}, but one whole vial of NDC {ndc} is {itemUnits:unit} by the CMS crosswalk for {quarter}: waste from a single-dose vial is less than the vial' },
    remediations: { bill: 'bill as waste only what was discarded from the opened vial (less than {itemUnits} units); an unopened vial is returned to stock, not billed' },
    notChecked: {
      noNdc: { message: 'no NDC on the JW line, so no vial size', fact: 'input', loadable: false },
      noDate: { message: 'no service date, so no crosswalk quarter', fact: 'service-date', loadable: false },
      noCrosswalk: { message: 'no NDC-HCPCS crosswalk in the reference pack', fact: 'ndc-crosswalk', loadable: true },
      noVialFigures: { message: 'NDC {ndc} has no vial figures for {code} in the CMS crosswalk', fact: 'ndc-crosswalk', loadable: true },
    },
  },
  check(subject) {
    const { line, ndc, date, reference } = subject;
    if (!hasModifier({ line }, 'JW')) return [];
    if (line.units === null || line.units <= 0 || !line.hcpcs) return [];
    // The waste of a line in conflict (JW with JZ) is reported there, and not counted twice.
    if (inConflict(subject)) return [];
    if (!ndc) return notChecked('noNdc');
    if (!date) return notChecked('noDate');
    const found = ndcOn(reference.pack, ndc, line.hcpcs, date);
    if (!found) return notChecked('noCrosswalk');
    const listing = found.listings.find((l) => l.hcpcs === line.hcpcs) ?? (reference.pack.ndcs[ndc] ?? []).find((l) => l.hcpcs === line.hcpcs);
    // One vial's billing units: the crosswalk's BILLUNITS an item, else its package's over the items in it (DOMAIN.md section 13).
    const perItem = listing?.billingUnitsPerItem ?? null;
    const byPackage = listing && listing.billingUnitsPerPackage !== null && listing.packageQuantity !== null && listing.packageQuantity > 0 ? listing.billingUnitsPerPackage / listing.packageQuantity : null;
    const itemUnits = perItem !== null && perItem > 0 ? perItem : byPackage;
    if (!listing || itemUnits === null || itemUnits <= 0) return notChecked('noVialFigures', { ndc, code: line.hcpcs });
    if (line.units < itemUnits) return [];
    return [
      {
        messageKey: 'wholePackage',
        data: { units: line.units, code: line.hcpcs, ndc, itemUnits: Math.round(itemUnits * 1000) / 1000, quarter: found.quarter },
        remediationKey: 'bill',
        confidence: found.exact ? 'high' : 'medium',
        evidence: { jwUnits: line.units, billingUnitsPerItem: itemUnits, billingUnitsPerPackage: listing.billingUnitsPerPackage, packageQuantity: listing.packageQuantity, quarter: found.quarter, exactQuarter: found.exact },
      },
    ];
  },
};
