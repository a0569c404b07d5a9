// Which diagnoses of a billing-and-coding article support which of its drugs. The MCD tables
// number HCPCS groups and ICD-10 groups independently; how they pair, and which groups must be
// reported together, is said only in the paragraphs that head the groups. This reads the
// phrasings the 88 drug articles of reference-data/mcd use (test/unit/pairing.test.ts holds one
// row per phrasing, from the articles' own text); where nothing is said, a code is supported by
// any of the article's covered groups (the union, at lower confidence).

/** A group's own requirement: how many of its diagnoses, and which ones, a line must carry. */
export interface GroupRequirement {
  group: number;
  /** Diagnoses of the group the line must carry at least (2 for "dual diagnosis"). */
  atLeast: number;
  /** Codes the paragraph names as required (dotless): "must include D63.1 and one other listed diagnosis". */
  mustInclude: string[];
}

/** How an article's covered groups support one set of its drugs. */
export interface CodePairing {
  codes: string[];
  /** The covered groups that apply to these codes. */
  groups: number[];
  /**
   * stated: a paragraph names the codes with their groups; single-group: the article has one covered
   * group; union: nothing said, any covered group (lower confidence).
   */
  basis: 'stated' | 'single-group' | 'union';
}

export interface ArticlePairing {
  pairings: CodePairing[];
  /** Groups that support a code only together with the others of the set ("one from Group 4 and one from Group 5"). */
  together: number[][];
  /** Groups that support nothing alone (they take part in a set of `together`, or are secondary). */
  notAlone: number[];
  /** Groups that need more than one diagnosis, or a named one. */
  requirements: GroupRequirement[];
  /** The phrasings read, for the finding's evidence: "A from Group 4 and one from Group 5" (group → phrasing names). */
  phrasings: Array<{ group: number; phrasing: PhrasingName }>;
}

export type PhrasingName = 'two-groups' | 'secondary-needs-primary' | 'and-one-of-the-following' | 'dual-diagnosis' | 'three-diagnoses' | 'must-include-code' | 'codes-named' | 'hcpcs-group-names-icd-group';

const CODE = /\b([A-V]\d{4})\b/g;

/** Text as read: HTML tags and entities out, spaces folded. */
export function plainText(text: string): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;|&#160;/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/&(?:rsquo|lsquo);/gi, "'")
    .replace(/&(?:ndash|mdash);/gi, '-')
    .replace(/&ge;/gi, '>=')
    .replace(/&[a-z]+;/gi, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The phrasings of a covered group's paragraph that pair groups or set a group's requirement. */
export const PHRASINGS: ReadonlyArray<{ name: PhrasingName; pattern: RegExp; read(match: RegExpExecArray, group: number, primaryBefore: number | null): { together?: number[]; requirement?: Partial<GroupRequirement>; notAlone?: number[] } }> = [
  {
    // "A diagnosis from Group 4 and one from Group 5 must be reported"; "One ICD-10-CM code from Group 4 and one from Group 5 must be billed".
    name: 'two-groups',
    pattern: /\b(?:a|one|at least one)\s+(?:ICD-10(?:-CM)?\s+)?(?:diagnosis|diagnoses|code|codes)?\s*from\s+group\s+(\d+)\s+and\s+(?:(?:one|a|at least one)\s+(?:(?:ICD-10(?:-CM)?\s+)?(?:diagnosis|code)\s+)?from\s+)?group\s+(\d+)\s+must\s+be\s+(?:reported|billed|coded|submitted)/i,
    read: (m) => ({ together: [Number(m[1]), Number(m[2])], notAlone: [Number(m[1]), Number(m[2])] }),
  },
  {
    // "The ICD-10-CM codes listed below are considered secondary codes. When these codes are reported for J3315, the claim must also include a diagnosis from the primary diagnosis list above."
    name: 'secondary-needs-primary',
    pattern: /secondary codes?\b.*\bmust also include a diagnosis from the primary/i,
    read: (_m, group, primary) => ({ together: [primary ?? group - 1, group], notAlone: [group] }),
  },
  {
    // "And at least one of the following:"; "AND one of the following:" (a group that completes the one before it).
    name: 'and-one-of-the-following',
    pattern: /^and (?:at least )?one of the following\b/i,
    read: (_m, group) => ({ together: [group - 1, group], notAlone: [group - 1, group] }),
  },
  {
    // "must include D63.1 and one other listed diagnosis"; "claims must be reported with ICD-10-CM code D64.81 … plus the non-myeloid malignancy".
    name: 'must-include-code',
    pattern: /must (?:include|be reported with(?: ICD-10(?:-CM)? code)?)\s+([A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?)\b(?:[^.]*?\b(and one other|plus)\b)?/i,
    read: (m) => ({ requirement: { mustInclude: [m[1]!.replace('.', '').toUpperCase()], atLeast: m[2] ? 2 : 1 } }),
  },
  {
    // "Must have one of the following D61.1 and either B20 or B97.35 on the claim."
    name: 'must-include-code',
    pattern: /must have (?:one of the following\s+)?([A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?)\s+and (?:either|one|an?)\b/i,
    read: (m) => ({ requirement: { mustInclude: [m[1]!.replace('.', '').toUpperCase()], atLeast: 2 } }),
  },
  {
    // "Must have an anemia diagnosis (Note: D63.8 or D64.9) and other specified prophylactic measure diagnosis."
    name: 'dual-diagnosis',
    pattern: /\bmust have an? [a-z ]*diagnosis\b.{0,80}?\band (?:an?|one|other)\b.{0,80}?\bdiagnosis/i,
    read: () => ({ requirement: { atLeast: 2 } }),
  },
  {
    // "Three diagnoses are expected".
    name: 'three-diagnoses',
    pattern: /\bthree diagnoses are (?:expected|required)\b/i,
    read: () => ({ requirement: { atLeast: 3 } }),
  },
  {
    // "Both ICD-10 diagnoses must be on the claim"; "Dual diagnoses are expected"; "DUAL DIAGNOSIS NECESSARY"; "Requires both diagnoses"; "a dual diagnosis of D80.1 and the ICD-10 code below".
    name: 'dual-diagnosis',
    pattern: /\b(?:both (?:icd-10(?:-cm)? )?diagnoses|dual diagnos[ei]s|two diagnoses|requires both)\b/i,
    read: () => ({ requirement: { atLeast: 2 } }),
  },
];

/** A "Group N" an HCPCS group's paragraph names for its diagnoses: "(For ICD-10-CM Codes that Support Medical Necessity Group 3: …)". */
const HCPCS_NAMES_ICD_GROUP = /(?:ICD-10(?:-CM)?[^.;()]*?|diagnos[ie]s[^.;()]*?)group\s+(\d+)/gi;

/**
 * The pairing of an article: its HCPCS codes by group, its covered ICD-10 groups, and the
 * paragraphs heading each (codes: HCPCS groups; covered: ICD-10 groups).
 */
export function pairArticle(hcpcs: ReadonlyMap<number, readonly string[]>, covered: readonly number[], paragraphs: { codes: ReadonlyMap<number, string>; covered: ReadonlyMap<number, string> }): ArticlePairing {
  const allCodes = new Set([...hcpcs.values()].flat());
  const groups = [...covered].sort((a, b) => a - b);
  const together: number[][] = [];
  const notAlone = new Set<number>();
  const requirements = new Map<number, GroupRequirement>();
  /** Groups whose requirement is a bare "dual diagnosis": met across groups when the next group completes them. */
  const dualOnly = new Set<number>();
  const phrasings: ArticlePairing['phrasings'] = [];
  const named = new Map<string, Set<number>>();
  const name = (code: string, group: number) => {
    if (!groups.includes(group)) return;
    let set = named.get(code);
    if (!set) named.set(code, (set = new Set()));
    set.add(group);
  };

  let primaryBefore: number | null = null;
  for (const group of groups) {
    const text = plainText(paragraphs.covered.get(group) ?? '');
    if (text === '') continue;
    if (/\bprimary\b/i.test(text) && !/\bsecondary codes?\b.*\bmust also include/i.test(text)) primaryBefore = group;
    // Drugs named in the group's paragraph: the group applies to them.
    const codes = [...text.matchAll(CODE)].map((m) => m[1]!).filter((c) => allCodes.has(c));
    for (const code of codes) name(code, group);
    if (codes.length > 0) phrasings.push({ group, phrasing: 'codes-named' });
    for (const phrasing of PHRASINGS) {
      const match = phrasing.pattern.exec(text);
      if (!match) continue;
      const read = phrasing.read(match, group, primaryBefore);
      phrasings.push({ group, phrasing: phrasing.name });
      if (read.together && read.together.every((g) => groups.includes(g)) && new Set(read.together).size > 1) {
        const set = [...new Set(read.together)].sort((a, b) => a - b);
        if (!together.some((t) => t.join() === set.join())) together.push(set);
        for (const g of read.notAlone ?? []) notAlone.add(g);
      }
      if (read.requirement) {
        if (phrasing.name === 'dual-diagnosis' && !requirements.has(group)) dualOnly.add(group);
        else dualOnly.delete(group);
        const current = requirements.get(group) ?? { group, atLeast: 1, mustInclude: [] };
        current.atLeast = Math.max(current.atLeast, read.requirement.atLeast ?? 1);
        for (const code of read.requirement.mustInclude ?? []) if (!current.mustInclude.includes(code)) current.mustInclude.push(code);
        requirements.set(group, current);
      }
      // One requirement phrasing a paragraph (the most specific first): a "must include" names
      // the dual diagnosis it is part of.
      if (read.requirement) break;
    }
  }
  // "DUAL DIAGNOSIS NECESSARY … Requires:" then "AND one of the following:": the two diagnoses are
  // one from each group (the pairing), not two from the first.
  for (const { group, phrasing } of phrasings) {
    if (phrasing === 'and-one-of-the-following' && dualOnly.has(group - 1)) requirements.delete(group - 1);
  }
  // HCPCS groups whose paragraph names an ICD-10 group.
  for (const [hcpcsGroup, codes] of hcpcs) {
    const text = plainText(paragraphs.codes.get(hcpcsGroup) ?? '');
    for (const match of text.matchAll(HCPCS_NAMES_ICD_GROUP)) {
      const group = Number(match[1]);
      if (!groups.includes(group)) continue;
      phrasings.push({ group, phrasing: 'hcpcs-group-names-icd-group' });
      for (const code of codes) name(code, group);
    }
  }

  // Partners of a named group come with it (a secondary group with its primary).
  const withPartners = (set: Set<number>) => {
    for (const t of together) if (t.some((g) => set.has(g))) for (const g of t) set.add(g);
    return [...set].sort((a, b) => a - b);
  };
  const pairings: CodePairing[] = [];
  const byGroups = new Map<string, CodePairing>();
  const add = (code: string, of: number[], basis: CodePairing['basis']) => {
    const key = `${basis}|${of.join(',')}`;
    let pairing = byGroups.get(key);
    if (!pairing) {
      byGroups.set(key, (pairing = { codes: [], groups: of, basis }));
      pairings.push(pairing);
    }
    pairing.codes.push(code);
  };
  for (const code of [...allCodes].sort()) {
    const own = named.get(code);
    if (own) add(code, withPartners(new Set(own)), 'stated');
    else if (groups.length === 1) add(code, groups, 'single-group');
    else if (groups.length > 0) add(code, groups, 'union');
  }
  return {
    pairings,
    together,
    notAlone: [...notAlone].sort((a, b) => a - b),
    requirements: [...requirements.values()].sort((a, b) => a.group - b.group),
    phrasings: phrasings.sort((a, b) => a.group - b.group || (a.phrasing < b.phrasing ? -1 : 1)).filter((p, i, all) => i === 0 || all[i - 1]!.group !== p.group || all[i - 1]!.phrasing !== p.phrasing),
  };
}

/** An ICD-10 code on a claim (dotless) against a listed one: the same, or more specific (the list names a category). */
export const icdMatches = (claimed: string, listed: string) => claimed.startsWith(listed);
