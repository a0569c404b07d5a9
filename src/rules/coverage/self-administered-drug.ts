import type { SadEntry, SadList } from '../../reference/schema.js';
import { fill } from '../template.js';
import { notChecked, type DrugLine, type FindingConfidence, type LineRule, type NotCheckedReasonDecl, type Outcome } from '../types.js';

/** Whether a SAD entry excludes this line: intravenous use (JA) of a drug listed for both routes is covered; subcutaneous use (JB), or neither said, is excluded. */
function excludes(entry: SadEntry, modifiers: readonly string[]): { excluded: boolean; why: string } {
  if (entry.route === 'IV_OR_SC') {
    if (modifiers.includes('JA')) return { excluded: false, why: 'JA: intravenous use, not excluded' };
    if (modifiers.includes('JB')) return { excluded: true, why: 'JB: subcutaneous use, which the list excludes' };
    return { excluded: true, why: 'listed for subcutaneous use; without JA (intravenous) the line is taken as excluded' };
  }
  return { excluded: true, why: entry.route === 'SC' ? 'listed for subcutaneous use' : 'listed' };
}

/** Why the loaded SAD lists do not settle a line (the rule's not-checked reasons, by key). */
const NO_LIST: Record<string, NotCheckedReasonDecl> = {
  noState: { message: "the billing provider's state is not known, so not which MAC's self-administered drug list applies: give --mac or a state column", fact: 'sad-list', loadable: true },
  noList: { message: 'no self-administered drug list loaded for {contractor} ({jurisdiction})', fact: 'sad-list', loadable: true, summary: "no self-administered drug list loaded for the provider's MAC" },
  partialList: { message: 'the self-administered drug list loaded for {contractor} ({articles}) is a partial slice that does not list {code}: load the full list to check it', fact: 'sad-list', loadable: true, summary: "the self-administered drug list loaded for the provider's MAC is a partial slice that does not list the code: load the full list to check it" },
};

/**
 * By the curated label fact, for a code the loaded lists do not cover (`key`: why they do not):
 * IV drugs are not self-administered; a label-known self-injected drug is; else not checked.
 */
function byLabel(subject: DrugLine, key: keyof typeof NO_LIST & string, data: Record<string, string | number | null> = {}): Outcome {
  const why = fill('self-administered-drug', 'not-checked reason', key, NO_LIST[key]!.message, data);
  const { line, code } = subject;
  const self = code!.selfAdministered;
  if (self.value === false) return [];
  if (self.value === true) {
    return [{ messageKey: 'selfAdministered', data: { code: line.hcpcs }, remediationKey: 'route', confidence: self.confidence === 'inferred' ? 'low' : 'medium', evidence: { selfAdministered: true, source: self.source, basis: `label; ${why}` } }];
  }
  return notChecked(key, data);
}

export const rule: LineRule = {
  meta: {
    id: 'self-administered-drug',
    title: 'Self-administered drug billed to Medicare Part B',
    category: 'coverage',
    severity: 'warning',
    // A benefit exclusion: CO-96 is usual (DOMAIN.md section 13; verify per MAC).
    denial: { group: 'CO', carc: '96', rarc: null, verified: true },
    appliesTo: ['medicare'],
    scope: 'line',
    owner: 'coding',
    dollarCategory: 'denial',
    messages: {
      onList: '{code} is on {mac}\'s self-administered drug exclusion list (article {article}, effective {effective}): {why}; Medicare Part B does not pay for it in this MAC\'s states',
      selfAdministered: '{code} is usually self-administered: Medicare Part B excludes self-administered drugs',
    },
    remediations: {
      route: 'bill the drug to the patient\'s Part D plan (or document why it was given by clinical staff)',
      list: 'bill the drug to the patient\'s Part D plan; if it was given intravenously, bill it with JA; bill it with GY when the denial is wanted',
    },
    notChecked: {
      notInPack: { message: '{code} is not in the reference pack', fact: 'code', loadable: false },
      ...NO_LIST,
    },
  },
  check(subject) {
    const { line, code, reference, jurisdiction } = subject;
    // GY (statutorily excluded): the provider bills the excluded drug for the denial on purpose,
    // which is the correct way to bill it (DOMAIN.md, section 10).
    if (line.modifiers.includes('GY')) return [];
    if (!code) return notChecked('notInPack', { code: line.hcpcs ?? 'the code' });
    if (!jurisdiction) return byLabel(subject, 'noState');
    const mac = jurisdiction.mac;
    const lists = Object.values(reference.pack.sadLists).filter((l) => l.jurisdictions.includes(mac.jurisdiction));
    if (lists.length === 0) return byLabel(subject, 'noList', { contractor: mac.contractor, jurisdiction: mac.jurisdiction });
    const listed = (reference.pack.sad[code.hcpcs] ?? [])
      // A not-otherwise-classified code stands for many drugs: the list's entry names one of them, which the line does not show.
      .filter((e) => e.route !== 'NOC')
      .flatMap((entry) => {
        const list = lists.find((l) => l.article === entry.article);
        return list ? [{ entry, list }] : [];
      });
    if (listed.length === 0) {
      if (lists.every((l) => l.complete)) return [];
      return byLabel(subject, 'partialList', { contractor: mac.contractor, articles: lists.map((l) => l.article).join(', '), code: line.hcpcs });
    }
    const judged = listed.map(({ entry, list }) => ({ entry, list, ...excludes(entry, line.modifiers) }));
    const hit = judged.find((j) => j.excluded);
    if (!hit) return [];
    return [report(subject, hit.entry, hit.list, hit.why)];
  },
};

function report(subject: DrugLine, entry: SadEntry, list: SadList, why: string) {
  const { line, date } = subject;
  // A list dated after the service: the exclusion stood then too, as far as known (lists change slowly), at lower confidence.
  const confidence: FindingConfidence = list.effective !== null && date !== null && date < list.effective ? 'medium' : 'high';
  return {
    messageKey: 'onList',
    data: { code: line.hcpcs, mac: list.mac, article: list.article, effective: list.effective ?? 'undated', why },
    remediationKey: 'list',
    confidence,
    evidence: { article: list.article, mac: list.mac, effective: list.effective, route: entry.route, drug: entry.description, modifiers: line.modifiers, listComplete: list.complete, jurisdiction: subject.jurisdiction?.mac.jurisdiction ?? null },
  };
}
