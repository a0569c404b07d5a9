import { ndcOn } from '../../reference/pack.js';
import { notChecked, type LineRule } from '../types.js';
import { DENIALS, hasModifier } from '../util.js';

export const rule: LineRule = {
  meta: {
    id: 'jw-waste-exceeds-package',
    title: 'JW waste of a whole package or more',
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
    messages: { wholePackage: '{units:unit} billed as waste (JW) of {code}, but one whole package of NDC {ndc} is {packageUnits:unit} by the CMS crosswalk for {quarter}: an unopened package is not waste' },
    remediations: { bill: 'bill as waste only what was discarded from the opened vial (less than {packageUnits} units); a whole package left over is returned to stock, not billed' },
  },
  check({ line, ndc, date, reference }) {
    if (!hasModifier({ line }, 'JW')) return [];
    if (line.units === null || line.units <= 0 || !line.hcpcs) return [];
    if (!ndc) return notChecked('no NDC on the JW line, so no package size', 'input');
    if (!date) return notChecked('no service date, so no crosswalk quarter', 'service-date');
    const found = ndcOn(reference.pack, ndc, line.hcpcs, date);
    if (!found) return notChecked('no NDC-HCPCS crosswalk in the reference pack', 'ndc-crosswalk');
    const listing = found.listings.find((l) => l.hcpcs === line.hcpcs) ?? (reference.pack.ndcs[ndc] ?? []).find((l) => l.hcpcs === line.hcpcs);
    const packageUnits = listing?.billingUnitsPerPackage ?? null;
    if (!listing || packageUnits === null || packageUnits <= 0) return notChecked(`NDC ${ndc} has no package figures for ${line.hcpcs} in the CMS crosswalk`, 'ndc-crosswalk');
    if (line.units < packageUnits) return [];
    return [
      {
        messageKey: 'wholePackage',
        data: { units: line.units, code: line.hcpcs, ndc, packageUnits, quarter: found.quarter },
        remediationKey: 'bill',
        confidence: found.exact ? 'high' : 'medium',
        evidence: { jwUnits: line.units, billingUnitsPerPackage: packageUnits, packageQuantity: listing.packageQuantity, quarter: found.quarter, exactQuarter: found.exact },
      },
    ];
  },
};
