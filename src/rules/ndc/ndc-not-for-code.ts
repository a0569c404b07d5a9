import { ndcOn, productListings } from '../../reference/pack.js';
import { notChecked, type LineRule, type Report } from '../types.js';
import { DENIALS, NOC_CODES } from '../util.js';

/** How far (in quarters) the nearest crosswalk may be for an NDC's absence to count. */
const NEAR_QUARTERS = 4;

export const rule: LineRule = {
  meta: {
    id: 'ndc-not-for-code',
    title: 'NDC not listed for the HCPCS code',
    category: 'ndc',
    severity: 'error',
    denial: DENIALS.ndc,
    appliesTo: ['*'],
    scope: 'line',
    owner: 'pharmacy',
    dollarCategory: 'denial',
    needs: ['ndc'],
    messages: {
      otherCode: 'NDC {ndc} is assigned to {others} in the CMS NDC–HCPCS crosswalk for {quarter}, not to {code}',
      otherProduct: 'NDC {ndc} is a package of {drug} (labeler and product {product}), whose NDCs the CMS NDC–HCPCS crosswalk assigns to {others}, not to {code}',
      notListed: 'NDC {ndc} is not in the CMS NDC–HCPCS crosswalk for {quarter}, which lists {count} NDCs for {code}; CMS lists only NDCs reported for pricing, so it may be right',
      notInFile: 'NDC {ndc} is not listed for {code} in the NDC-HCPCS crosswalk given ({count} NDCs are)',
    },
    remediations: {
      check: 'check the NDC of the product given and the HCPCS code billed: one of them is wrong for the other',
      confirm: 'confirm the NDC from the package given and that {code} is its code; a new or rarely reported NDC may be missing from the CMS list',
    },
    notChecked: {
      noCrosswalk: { message: 'no NDC-HCPCS crosswalk in the reference pack', fact: 'ndc-crosswalk', loadable: true },
      noDate: { message: 'no service date, so no crosswalk quarter', fact: 'service-date', loadable: false },
      noNdcsForCode: { message: 'the CMS crosswalk for {quarter} lists no NDC for {code}', fact: 'ndc-crosswalk', loadable: true },
      crosswalkFar: { message: 'no CMS crosswalk within a year of the service date (the nearest is {quarter})', fact: 'ndc-crosswalk', loadable: true },
    },
  },
  check({ line, ndc, date, reference }) {
    if (!ndc || !line.hcpcs) return [];
    // An unclassified code takes any NDC; one that has a code of its own is noc-code-with-specific-code's finding.
    if (NOC_CODES.has(line.hcpcs)) return [];
    // A crosswalk the user gave (--ndc-crosswalk) says yes for any date.
    const file = reference.crosswalk?.byCode.get(line.hcpcs);
    if (file?.has(ndc)) return [];
    // A package the pack knows from the product's label.
    if (reference.pack.codes[line.hcpcs]?.packages.some((p) => p.ndc === ndc)) return [];
    const found = date ? ndcOn(reference.pack, ndc, line.hcpcs, date) : null;
    if (!found) {
      if (file) return [{ messageKey: 'notInFile', data: { ndc, code: line.hcpcs, count: file.size }, remediationKey: 'check', evidence: { ndc, crosswalk: reference.crosswalk!.file } }];
      return notChecked(date ? 'noCrosswalk' : 'noDate');
    }
    const { quarter, exact, listings, listedForCode } = found;
    const confidence = exact ? 'high' : 'medium';
    const evidence = { ndc, quarter, exactQuarter: exact };
    // Listed for the code in the quarter, or in another quarter (stock of an NDC since dropped).
    if (listings.some((l) => l.hcpcs === line.hcpcs)) return [];
    if ((reference.pack.ndcs[ndc] ?? []).some((l) => l.hcpcs === line.hcpcs)) return [];
    if (listings.length > 0) {
      const others = [...new Set(listings.map((l) => l.hcpcs))].sort().join(', ');
      return [{ messageKey: 'otherCode', data: { ndc, others, quarter, code: line.hcpcs }, remediationKey: 'check', confidence, evidence: { ...evidence, listedFor: others, drugName: listings[0]!.drugName } } satisfies Report];
    }
    if (listedForCode === 0) return notChecked('noNdcsForCode', { quarter, code: line.hcpcs });
    // Not listed itself, for a code the crosswalk lists NDCs for: another package of the same
    // product (labeler and product code) names the drug.
    const product = productListings(reference.pack, ndc);
    if (product.length > 0 && !product.some((p) => p.listing.hcpcs === line.hcpcs)) {
      const others = [...new Set(product.map((p) => p.listing.hcpcs))].sort().join(', ');
      const drug = product[0]!.listing.drugName ?? 'another drug';
      const listed = [...new Set(product.map((p) => p.ndc))].sort();
      return [{ messageKey: 'otherProduct', data: { ndc, drug, product: `${ndc.slice(0, 5)}-${ndc.slice(5, 9)}`, others, code: line.hcpcs }, remediationKey: 'check', confidence: 'high', evidence: { ...evidence, listedFor: others, drugName: drug, productNdcs: listed.slice(0, 10) } } satisfies Report];
    }
    // Absence says little years away from the lists at hand: products come and go.
    if (found.distance > NEAR_QUARTERS) return notChecked('crosswalkFar', { quarter });
    return [{ messageKey: 'notListed', data: { ndc, quarter, count: listedForCode, code: line.hcpcs }, remediationKey: 'confirm', remediationData: { code: line.hcpcs }, severity: 'warning', confidence: 'low', evidence }];
  },
};
