import { notChecked, type FindingConfidence, type LineRule } from '../types.js';

export const rule: LineRule = {
  meta: {
    id: 'diagnosis-not-covered',
    title: 'No diagnosis on the line supports the drug',
    category: 'coverage',
    severity: 'warning',
    denial: { group: 'CO', carc: '50', rarc: null, verified: true },
    appliesTo: ['*'],
    scope: 'line',
    owner: 'coding',
    dollarCategory: 'denial',
    needs: ['diagnoses'],
    messages: {
      notCovered: 'none of the diagnoses ({diagnoses}) is among those covered for {code} ({covered})',
      noDiagnosis: 'the claim has no diagnosis to support {code}',
    },
    remediations: { point: 'point the line at the diagnosis that supports {code} (e.g. {example}), or check coverage before billing' },
  },
  check({ claim, line, code }) {
    if (!code) return notChecked(`${line.hcpcs ?? 'the code'} is not in the reference pack`);
    const covered = code.coveredDiagnoses;
    if (covered.length === 0) return notChecked(`no covered-diagnosis list for ${line.hcpcs} in the pack`);
    const pointed = line.diagnosisPointers.map((p) => claim.diagnoses[p - 1]).filter((d) => d !== undefined);
    const diagnoses = (claim.claimType === 'professional' && pointed.length > 0 ? pointed : claim.diagnoses).map((d) => d.code.toUpperCase());
    const confidence: FindingConfidence = covered.some((d) => d.confidence === 'policy') ? 'high' : covered.some((d) => d.confidence === 'label') ? 'medium' : 'low';
    const remediation = { remediationKey: 'point', remediationData: { code: line.hcpcs, example: covered[0]!.prefix } };
    // GA: an ABN is on file, so a medical-necessity denial is expected and the patient may owe
    // the payment (DOMAIN.md, section 10): worth knowing, not a billing error.
    const abn = line.modifiers.includes('GA') ? { severity: 'info' as const } : {};
    if (diagnoses.length === 0) return [{ messageKey: 'noDiagnosis', data: { code: line.hcpcs }, ...remediation, confidence, ...abn }];
    if (diagnoses.some((dx) => covered.some((c) => dx.startsWith(c.prefix)))) return [];
    return [{ messageKey: 'notCovered', data: { diagnoses: diagnoses.join(', '), code: line.hcpcs, covered: covered.map((c) => c.prefix).join(', ') }, ...remediation, confidence, ...abn, evidence: { diagnoses, covered: covered.map((c) => `${c.prefix} (${c.confidence})`), abnOnFile: abn.severity !== undefined } }];
  },
};
