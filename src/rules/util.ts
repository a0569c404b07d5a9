// Small helpers shared by rules.
import type { LineFacts } from '../model/index.js';
import type { Denial, DrugLine, NotCheckedReasonDecl } from './types.js';

/** Denial codes shared by families of rules (DOMAIN.md section 6). */
export const DENIALS = {
  /** CO-16 with M119: NDC missing or invalid. */
  ndc: { group: 'CO', carc: '16', rarc: 'M119', verified: true },
  /** CO-16 with M53: units missing or invalid. */
  units: { group: 'CO', carc: '16', rarc: 'M53', verified: true },
  /** A denial no verified code is claimed for (contractors use their own): the finding says none. */
  unclaimed: { group: 'CO', carc: null, rarc: null, verified: false },
  /** CO-4 with N823: modifier inconsistent or invalid. */
  modifier: { group: 'CO', carc: '4', rarc: 'N823', verified: true },
} as const satisfies Record<string, Denial>;

export const hasModifier = (subject: { line: { modifiers: string[] } }, modifier: string) => subject.line.modifiers.includes(modifier);

/** Not-otherwise-classified drug codes: Medicare requires the NDC on these from every payer class. */
export { NOC_CODES } from '../reference/curated.js';

/** JW/JZ reporting starts here (JZ required from 2023-07-01; DOMAIN.md section 3). */
export const JW_JZ_REQUIRED_FROM = '2023-07-01';

/** How a line's single-dose container is known, in words, for a finding: its label, or CMS's JW/JZ list and its date. */
export function containerBasis(subject: Pick<DrugLine, 'containerFact'>): string {
  const fact = subject.containerFact;
  if (fact?.basis === 'jwjz-list') return `on CMS's JW/JZ policy list${fact.listDate ? ` (updated ${fact.listDate})` : ''}`;
  if (fact?.basis === 'package') return 'from a single-dose vial (the FDA label of its NDC)';
  return 'from a single-dose container (FDA label)';
}

/** The not-checked reasons of the rules that need a line's container (declared in their meta.notChecked). */
export const CONTAINER_UNKNOWN: Record<'containerUnknown' | 'codeNotInPack', NotCheckedReasonDecl> = {
  containerUnknown: { message: "container of {code} unknown: not on CMS's JW/JZ list {lists} and no label fact", fact: 'container', loadable: true, summary: "container of the code unknown: not on CMS's JW/JZ list and no label fact" },
  codeNotInPack: { message: 'container of {code} unknown: not in the reference pack', fact: 'code', loadable: false },
};

/** Why a line's container is not known: a key of CONTAINER_UNKNOWN and its data. */
export function containerUnknown(subject: Pick<DrugLine, 'line' | 'code' | 'reference'>): { key: keyof typeof CONTAINER_UNKNOWN; data: Record<string, string> } {
  const code = subject.line.hcpcs ?? 'the code';
  if (!subject.code) return { key: 'codeNotInPack', data: { code } };
  const lists = subject.reference.pack.sources.filter((s) => s.id.startsWith('cms-jwjz-')).map((s) => s.id.slice('cms-jwjz-'.length));
  return { key: 'containerUnknown', data: { code, lists: lists.length > 0 ? `(${lists.join(', ')})` : '(none loaded)' } };
}

/** Groups a claim's drug lines by code and service date, in line order. */
export function byCodeAndDate(lines: DrugLine[]): DrugLine[][] {
  const groups = new Map<string, DrugLine[]>();
  for (const subject of lines) {
    const key = `${subject.line.hcpcs}|${subject.date ?? ''}`;
    const group = groups.get(key);
    if (group) group.push(subject);
    else groups.set(key, [subject]);
  }
  return [...groups.values()];
}

/**
 * The provider a line's claim stands for, in the rules that compare one provider's claims: the
 * billing NPI, else the rendering NPI (a blank billing NPI is not a provider: DOMAIN.md section
 * 13); null with neither.
 */
export const providerOf = (line: Pick<LineFacts, 'billingNpi' | 'renderingNpi'>): string | null => line.billingNpi || line.renderingNpi || null;
