import { notChecked, type LineRule } from '../types.js';
import { DENIALS } from '../util.js';

export const rule: LineRule = {
  meta: {
    id: 'ndc-not-for-code',
    title: 'NDC not listed for the HCPCS code',
    category: 'ndc',
    severity: 'error',
    denial: DENIALS.ndc,
    appliesTo: ['*'],
    scope: 'line',
    needs: ['ndc'],
    messages: { notListed: 'NDC {ndc} is not listed for {code} in the NDC-HCPCS crosswalk ({count} NDCs are)' },
    remediations: { check: 'check the NDC of the product given and the HCPCS code billed: one of them is wrong for the other' },
  },
  check({ line, ndc, reference }) {
    if (!ndc || !line.hcpcs) return [];
    const crosswalk = reference.crosswalk;
    if (!crosswalk) return notChecked('no NDC-HCPCS crosswalk loaded (--ndc-crosswalk)');
    const listed = crosswalk.byCode.get(line.hcpcs);
    if (!listed) return notChecked(`the crosswalk lists no NDC for ${line.hcpcs}`);
    if (listed.has(ndc)) return [];
    return [{ messageKey: 'notListed', data: { ndc, code: line.hcpcs, count: listed.size }, remediationKey: 'check', evidence: { ndc, crosswalk: crosswalk.file } }];
  },
};
