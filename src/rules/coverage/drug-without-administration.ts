import type { Claim } from '../../model/index.js';
import { DENIALS, NOC_CODES, providerOf } from '../util.js';
import type { CrossClaimRule, DrugLine, Report } from '../types.js';

/**
 * Drug codes given by injection or infusion (HCPCS Level II: J0120–J7199 injections and
 * solutions, J7321–J7329 hyaluronan, J9000–J9998 chemotherapy, Q0138–Q0139 ferumoxytol,
 * Q5101–Q5199 biosimilars). Clotting factors (J7170–J7212), mostly infused at home by the
 * patient, and unclassified codes (route unknown) are left out.
 */
export function isAdministeredDrug(hcpcs: string): boolean {
  if (NOC_CODES.has(hcpcs)) return false;
  const letter = hcpcs[0];
  const n = Number(hcpcs.slice(1));
  if (!Number.isInteger(n)) return false;
  if (letter === 'J') return (n >= 120 && n <= 7199 && !(n >= 7170 && n <= 7212)) || (n >= 7321 && n <= 7329) || (n >= 9000 && n <= 9998);
  if (letter === 'Q') return n === 138 || n === 139 || (n >= 5101 && n <= 5199);
  return false;
}

/**
 * Services that administer a drug: CPT 96360–96379 (hydration, therapeutic injections and
 * infusions) and 96401–96549 (chemotherapy administration), and the codes they replaced in 2006
 * and 2009 (90760–90799); HCPCS G0498; home infusion services (per diems S9325–S9379 and
 * S9490–S9590, visits 99601–99602, G0068–G0070 and G0088–G0090). And the procedures that carry
 * the drug they inject, inferred by CPT section: surgery 10004–69990 (joint 20610 for
 * hyaluronan, intravitreal 67028, nerve blocks, implants, IUDs), imaging 70010–79999 (contrast,
 * radiopharmaceuticals), cardiac stress tests 93015–93018 and moderate sedation 99151–99157.
 */
export function isAdministration(code: string): boolean {
  if (code === 'G0498') return true;
  const hcpcs = /^([GS])(\d{4})$/.exec(code);
  if (hcpcs) {
    const n = Number(hcpcs[2]);
    return hcpcs[1] === 'S' ? (n >= 9325 && n <= 9379) || (n >= 9490 && n <= 9590) : (n >= 68 && n <= 70) || (n >= 88 && n <= 90);
  }
  if (!/^\d{5}$/.test(code)) return false;
  const n = Number(code);
  return (
    (n >= 96360 && n <= 96379) ||
    (n >= 96401 && n <= 96549) ||
    (n >= 90760 && n <= 90799) ||
    (n >= 99601 && n <= 99602) ||
    (n >= 10004 && n <= 69990) ||
    (n >= 70010 && n <= 79999) ||
    (n >= 93015 && n <= 93018) ||
    (n >= 99151 && n <= 99157)
  );
}

/** The claim's administrations on the drug line's date (a line without a date takes the claim's). */
function administeredOn(claim: Claim, date: string): string[] {
  return claim.lines.filter((l) => l.hcpcs !== null && isAdministration(l.hcpcs) && (l.serviceDate ?? claim.statementFrom) === date).map((l) => l.hcpcs!);
}

/** Whether the line is a drug the practice gives, so an administration is expected on its date. */
function needsAdministration(subject: DrugLine): boolean {
  const { line, date } = subject;
  if (!line.hcpcs || !isAdministeredDrug(line.hcpcs) || !date) return false;
  // At home (POS 12) the drug comes from a pharmacy and the nursing is billed by the home health
  // agency or under a home infusion benefit: a drug line alone is the norm there.
  if (line.placeOfService === '12') return false;
  // A self-administered drug (Part D territory) is not given by the practice.
  return subject.code?.selfAdministered.value !== true;
}

/** One provider's services for one member on one day: the billing NPI, else the rendering NPI; without a member id, the claim alone. */
const dayKey = (provider: string | null, member: string | null, claimId: string, date: string) => (provider !== null && member !== null ? `${provider}|${member}|${date}` : `claim:${provider ?? ''}|${claimId}|${date}`);

export const rule: CrossClaimRule = {
  meta: {
    id: 'drug-without-administration',
    title: 'Injected or infused drug with no administration billed',
    category: 'coverage',
    severity: 'warning',
    // The drug is still paid: the administration the provider did not bill is the money lost.
    denial: DENIALS.unclaimed,
    appliesTo: ['*'],
    scope: 'cross-claim',
    settings: ['professional'],
    owner: 'coding',
    dollarCategory: 'underbilling',
    messages: { noAdministration: '{code} is given by injection or infusion, but no claim of this provider for this member bills an administration service on {date}: the administration\'s payment is lost (not priced: the reference pack holds no fee-schedule rate for it)' },
    remediations: { administration: 'bill the administration service (CPT 96365–96379 injection or infusion, 96401–96549 chemotherapy, or the procedure that gave the drug), or check that another provider billed it' },
  },
  // An administration on the drug's own claim settles it here; otherwise the drug line waits for the provider's other claims of the day.
  groupBy(facts, _reference, subject) {
    if (!needsAdministration(subject)) return null;
    if (administeredOn(subject.claim, subject.date!).length > 0) return null;
    return dayKey(providerOf(facts), facts.memberKey, facts.claimId, subject.date!);
  },
  // Every professional claim with an administration marks its provider, member and day.
  marks(claim, _reference, memberKey) {
    if (claim.claimType !== 'professional') return [];
    const provider = claim.billingProviderNpi || claim.renderingProviderNpi || null;
    const seen = new Set<string>();
    const marks: Array<{ lineIndex: number; key: string }> = [];
    claim.lines.forEach((l, lineIndex) => {
      const date = l.serviceDate ?? claim.statementFrom;
      if (l.hcpcs === null || date === null || !isAdministration(l.hcpcs)) return;
      const key = dayKey(provider || l.renderingNpi || null, memberKey(), claim.claimId, date);
      if (seen.has(key)) return;
      seen.add(key);
      marks.push({ lineIndex, key });
    });
    return marks;
  },
  check(group) {
    if (group.some((member) => member.marker === 'administration')) return { reports: [], notChecked: [] };
    const reports: Report[] = group.map((line, lineIndex) => ({
      lineIndex,
      messageKey: 'noAdministration',
      data: { code: line.code, date: line.date },
      remediationKey: 'administration',
      confidence: 'medium',
      dollars: { amount: 0, basis: 'expected-payment' },
      evidence: { administration: 'none on any claim of this provider for this member on the date', dollars: 'the administration is not priced: no fee-schedule rate in the reference pack' },
    }));
    return { reports, notChecked: [] };
  },
};
