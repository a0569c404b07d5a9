import { articlesListing } from '../../reference/pack.js';
import type { Article } from '../../reference/schema.js';
import { icdMatches } from '../../reference/cms/pairing.js';
import { notChecked, type DrugLine, type FindingConfidence, type LineRule, type Report } from '../types.js';

/** How an article's pairing for a code judged a line's diagnoses. */
type Judgement =
  | { supported: true }
  | { supported: false; kind: 'none'; groups: number[]; example: string | null }
  | { supported: false; kind: 'together'; groups: number[] }
  | { supported: false; kind: 'requirement'; group: number; atLeast: number; mustInclude: string[] };

/** Whether the article supports `code` with these diagnoses (dotless, upper case). */
export function judge(article: Article, code: string, diagnoses: readonly string[]): Judgement {
  const pairing = article.pairings.find((p) => p.codes.includes(code));
  if (!pairing) return { supported: true };
  const matches = (group: number) => diagnoses.filter((dx) => (article.covered[String(group)] ?? []).some((listed) => icdMatches(dx, listed)));
  const requirementOf = (group: number) => article.requirements.find((r) => r.group === group);
  // A group is satisfied when the line carries as many of its diagnoses as it needs, the named ones among them.
  const satisfied = (group: number) => {
    const found = matches(group);
    const need = requirementOf(group);
    if (!need) return found.length >= 1;
    return found.length >= need.atLeast && need.mustInclude.every((code) => diagnoses.some((dx) => icdMatches(dx, code)));
  };
  const groups = pairing.groups;
  if (groups.some((g) => !article.notAlone.includes(g) && satisfied(g))) return { supported: true };
  const sets = article.together.filter((t) => t.every((g) => groups.includes(g)));
  if (sets.some((t) => t.every((g) => matches(g).length > 0))) return { supported: true };
  // Why not: a set half met, a group's requirement half met, or nothing of the code's groups.
  const half = sets.find((t) => t.some((g) => matches(g).length > 0));
  if (half) return { supported: false, kind: 'together', groups: half };
  const partial = groups.find((g) => matches(g).length > 0 && requirementOf(g) !== undefined);
  if (partial !== undefined) {
    const need = requirementOf(partial)!;
    return { supported: false, kind: 'requirement', group: partial, atLeast: need.atLeast, mustInclude: need.mustInclude };
  }
  const example = groups.map((g) => article.covered[String(g)]?.[0]).find((c) => c !== undefined) ?? null;
  return { supported: false, kind: 'none', groups, example };
}

const dotted = (code: string) => (code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code);

/** The diagnoses the line points to (837P SV107), else every claim diagnosis (837I, and layouts without pointers). */
function diagnosesOf({ claim, line }: DrugLine): string[] {
  const pointed = line.diagnosisPointers.map((p) => claim.diagnoses[p - 1]).filter((d) => d !== undefined);
  return (claim.claimType === 'professional' && pointed.length > 0 ? pointed : claim.diagnoses).map((d) => d.code.toUpperCase().replace(/\./g, ''));
}

function articleText(article: Article): string {
  return `${article.id} "${article.title}" (${article.contractor}${article.version !== null ? `, version ${article.version}` : ''}${article.effective ? `, effective ${article.effective}` : ''})`;
}

/** The confidence of an article's verdict: the pairing said (high), the union of its groups (medium); one lower for Medicare Advantage. */
function confidenceOf(article: Article, code: string, payerClass: DrugLine['payerClass']): FindingConfidence {
  const basis = article.pairings.find((p) => p.codes.includes(code))?.basis ?? 'union';
  const base: FindingConfidence = basis === 'union' ? 'medium' : 'high';
  // Whether billing articles (as distinct from LCDs) bind MA plans is not settled by a source here.
  if (payerClass === 'medicare-advantage') return base === 'high' ? 'medium' : 'low';
  return base;
}

/** The hand-written list (only for codes no billing article lists): label indications and policy at prefix level. */
function byCuratedList(subject: DrugLine, diagnoses: string[]): Report[] | ReturnType<typeof notChecked> {
  const { line, code } = subject;
  const covered = code!.coveredDiagnoses;
  if (covered.length === 0) return notChecked('noList', { code: line.hcpcs });
  const confidence: FindingConfidence = covered.some((d) => d.confidence === 'policy') ? 'high' : covered.some((d) => d.confidence === 'label') ? 'medium' : 'low';
  const remediation = { remediationKey: 'point', remediationData: { code: line.hcpcs, example: covered[0]!.prefix } };
  const abn = line.modifiers.includes('GA') ? { severity: 'info' as const } : {};
  if (diagnoses.length === 0) return [{ messageKey: 'noDiagnosis', data: { code: line.hcpcs }, ...remediation, confidence, ...abn }];
  if (diagnoses.some((dx) => covered.some((c) => dx.startsWith(c.prefix)))) return [];
  return [
    {
      messageKey: 'notCovered',
      data: { diagnoses: diagnoses.join(', '), code: line.hcpcs, covered: covered.map((c) => c.prefix).join(', ') },
      ...remediation,
      confidence,
      ...abn,
      evidence: { diagnoses, covered: covered.map((c) => `${c.prefix} (${c.confidence})`), basis: 'project list (no billing article lists the code)', abnOnFile: abn.severity !== undefined },
    },
  ];
}

export const rule: LineRule = {
  meta: {
    id: 'diagnosis-not-covered',
    title: 'No diagnosis on the line supports the drug',
    category: 'coverage',
    severity: 'warning',
    // CO-50 (not medically necessary) with N115 (decision based on a local coverage determination): Noridian's published example; verify per MAC.
    denial: { group: 'CO', carc: '50', rarc: 'N115', verified: true },
    appliesTo: ['*'],
    scope: 'line',
    owner: 'coding',
    dollarCategory: 'denial',
    needs: ['diagnoses'],
    messages: {
      notSupported: 'none of the diagnoses ({diagnoses}) supports {code} under billing article {article}: its covered ICD-10-CM codes for {code} are in {groups}{basis}',
      needsTogether: '{code} with {diagnoses}: billing article {article} requires a diagnosis from each of {groups}, and the line has one from only some of them',
      needsMore: '{code} with {diagnoses}: billing article {article} requires {need} from Group {group}',
      noDiagnosisArticle: 'the claim has no diagnosis to support {code}, which billing article {article} limits to listed diagnoses',
      notCovered: 'none of the diagnoses ({diagnoses}) is among those covered for {code} ({covered})',
      noDiagnosis: 'the claim has no diagnosis to support {code}',
    },
    remediations: {
      point: 'point the line at the diagnosis that supports {code} (e.g. {example}), or check coverage before billing',
      article: 'point the line at a diagnosis the article lists for {code} (e.g. {example}), documented in the record; without one, an ABN (GA) before the service',
      together: 'report a diagnosis from each of {groups} of the article, as it requires',
    },
    notChecked: {
      notInPack: { message: '{code} is not in the reference pack', fact: 'code', loadable: false },
      noList: { message: 'no covered-diagnosis list for {code}: no billing article lists it and the project has none', fact: 'diagnosis-article', loadable: false },
      articlesNotApplied: { message: "the MACs' billing articles that list {code} bind Medicare claims; the profile does not apply them to {payerClass} claims (coverageArticles)", fact: 'diagnosis-article', loadable: false, summary: "the MACs' billing articles that list the code bind Medicare claims; the profile does not apply them to the claim's payer class (coverageArticles)" },
      noState: { message: "the billing provider's state is not known, so not which MAC's billing article applies to {code} (listed by {listedBy}): give --mac or a state column", fact: 'mac', loadable: true, summary: "the billing provider's state is not known, so not which MAC's billing article applies to the code: give --mac or a state column" },
      noArticleOfMac: { message: 'no billing article of {contractor} ({jurisdiction}) lists {code}', fact: 'diagnosis-article', loadable: false, summary: "no billing article of the provider's MAC lists the code" },
    },
  },
  check(subject) {
    const { line, code, reference, policy, jurisdiction } = subject;
    if (!code) return notChecked('notInPack', { code: line.hcpcs ?? 'the code' });
    const diagnoses = diagnosesOf(subject);
    const listing = articlesListing(reference.pack, code.hcpcs);
    if (listing.length === 0) return byCuratedList(subject, diagnoses);
    // Payer classes the MACs' articles do not bind (a profile may apply them).
    if (!policy.coverageArticles) return notChecked('articlesNotApplied', { code: line.hcpcs, payerClass: subject.payerClass });
    if (!jurisdiction) {
      const named = listing.slice(0, 3).map((a) => `${a.id} of ${a.jurisdictions.join(', ') || a.contractor}`).join('; ');
      return notChecked('noState', { code: line.hcpcs, listedBy: `${named}${listing.length > 3 ? ` and ${listing.length - 3} more` : ''}` });
    }
    const mac = jurisdiction.mac;
    const articles = listing.filter((a) => a.jurisdictions.includes(mac.jurisdiction));
    if (articles.length === 0) return notChecked('noArticleOfMac', { contractor: mac.contractor, jurisdiction: mac.jurisdiction, code: line.hcpcs });
    const abn = line.modifiers.includes('GA') ? { severity: 'info' as const } : {};
    const judged = articles.map((article) => ({ article, judgement: judge(article, code.hcpcs, diagnoses) }));
    // Any article of the MAC that supports the line: it passes.
    if (judged.some((j) => j.judgement.supported)) return [];
    const { article, judgement } = judged[0]!;
    if (judgement.supported) return [];
    const confidence = confidenceOf(article, code.hcpcs, subject.payerClass);
    const text = articleText(article);
    const groupsText = (groups: number[]) => (groups.length === 1 ? `Group ${groups[0]}` : `Groups ${groups.slice(0, -1).join(', ')} and ${groups.at(-1)}`);
    const noncovered = diagnoses.filter((dx) => Object.values(article.noncovered).some((codes) => codes.some((c) => icdMatches(dx, c))));
    const evidence = {
      article: article.id,
      articleVersion: article.version,
      contractor: article.contractor,
      jurisdiction: mac.jurisdiction,
      jurisdictionBasis: jurisdiction.basis,
      diagnoses,
      noncoveredListed: noncovered,
      pairing: article.pairings.find((p) => p.codes.includes(code.hcpcs))?.basis ?? 'union',
      phrasings: article.phrasings.map((p) => `Group ${p.group}: ${p.phrasing}`),
      abnOnFile: abn.severity !== undefined,
    };
    if (diagnoses.length === 0) {
      const example = judgement.kind === 'none' && judgement.example ? dotted(judgement.example) : '';
      return [{ messageKey: 'noDiagnosisArticle', data: { code: line.hcpcs, article: text }, remediationKey: 'article', remediationData: { code: line.hcpcs, example }, confidence, ...abn, evidence }];
    }
    const shown = diagnoses.map(dotted).join(', ');
    if (judgement.kind === 'together') {
      return [{ messageKey: 'needsTogether', data: { code: line.hcpcs, diagnoses: shown, article: text, groups: groupsText(judgement.groups) }, remediationKey: 'together', remediationData: { groups: groupsText(judgement.groups) }, confidence, ...abn, evidence }];
    }
    if (judgement.kind === 'requirement') {
      const need = `${judgement.atLeast > 1 ? `${judgement.atLeast} diagnoses` : 'a diagnosis'}${judgement.mustInclude.length > 0 ? `, ${judgement.mustInclude.map(dotted).join(' and ')} among them,` : ''}`;
      return [{ messageKey: 'needsMore', data: { code: line.hcpcs, diagnoses: shown, article: text, need, group: judgement.group }, remediationKey: 'together', remediationData: { groups: `Group ${judgement.group}` }, confidence, ...abn, evidence }];
    }
    const basis = article.pairings.find((p) => p.codes.includes(code.hcpcs))?.basis === 'union' ? ' (the article does not say which of its groups goes with which drug: any of them)' : '';
    return [
      {
        messageKey: 'notSupported',
        data: { diagnoses: shown, code: line.hcpcs, article: text, groups: groupsText(judgement.groups), basis },
        remediationKey: 'article',
        remediationData: { code: line.hcpcs, example: judgement.example ? dotted(judgement.example) : '' },
        confidence,
        ...abn,
        evidence,
      },
    ];
  },
};
