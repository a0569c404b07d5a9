// Suppressions: findings the team decided to live with, for a while. One JSON object per line of
// a reviewable file, kept sorted so two branches adding entries rarely conflict. Each entry names
// one finding id, or a rule with at least one selector (code, payer, billing provider, claim),
// and must say why, who decided, when, and until when (inclusive). An entry that is malformed,
// incomplete or past its date suppresses nothing, and the run says so; entries that matched
// nothing are reported, and `claim-audit suppressions prune` removes them. Plain data: the
// entries cross to worker threads.
import { existsSync } from 'node:fs';
import { readBoundedText } from '../model/files.js';
import type { Finding } from '../model/index.js';

/** The selectors an entry may name, in the order an entry's keys are written. */
const SELECTORS = ['rule', 'code', 'payer', 'provider', 'claim'] as const;
/** Every key an entry may have, in the order they are written. */
export const ENTRY_KEYS = ['finding', ...SELECTORS, 'reason', 'owner', 'created', 'expires'] as const;
const REQUIRED = ['reason', 'owner', 'created', 'expires'] as const;

export type EntryField = (typeof ENTRY_KEYS)[number];
export type SuppressionEntry = Partial<Record<EntryField, string>>;

/** An entry that suppresses: what it matches and what the report says of it. */
export interface ActiveEntry {
  /** The entry as written (its canonical line): its identity in reports and for prune. */
  key: string;
  /** 1-based line in the file. */
  line: number;
  finding: string | null;
  rule: string | null;
  code: string | null;
  payer: string | null;
  provider: string | null;
  claim: string | null;
  reason: string;
  owner: string;
  expires: string;
}

/** An entry that does not suppress, and why. */
export interface SuppressionProblem {
  line: number;
  /** The entry's canonical line (or the first 200 characters of the text that is not one). */
  entry: string;
  kind: 'malformed' | 'incomplete' | 'bad-date' | 'no-selector' | 'expired' | 'duplicate';
  message: string;
}

export interface Suppressions {
  file: string | null;
  /** The date the entries' expiry is compared with (the run's local date). */
  today: string;
  entries: ActiveEntry[];
  problems: SuppressionProblem[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (text: string) => DATE.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);

/** The local calendar date of a moment (cron runs on the machine's clock). */
export function localDate(moment: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}`;
}

/** An entry as one line: its keys in a fixed order, values as strings. */
export function canonicalEntry(entry: SuppressionEntry): string {
  const ordered: SuppressionEntry = {};
  for (const key of ENTRY_KEYS) if (entry[key] !== undefined) ordered[key] = entry[key];
  return JSON.stringify(ordered);
}

/** Lines sorted the file's way: by what they match, then the whole line, so additions land apart. */
export function sortLines(lines: readonly string[]): string[] {
  const sortKey = (line: string) => {
    try {
      const e = JSON.parse(line) as SuppressionEntry;
      return `${e.finding ?? ''}\u0000${SELECTORS.map((s) => e[s] ?? '').join('\u0000')}\u0000${line}`;
    } catch {
      return `\uffff${line}`;
    }
  };
  return [...lines].sort((a, b) => {
    const ka = sortKey(a);
    const kb = sortKey(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

/** Checks one entry; the problem, or null when it is well formed (expiry aside). */
export function entryProblem(value: unknown): Pick<SuppressionProblem, 'kind' | 'message'> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'malformed', message: 'not a JSON object' };
  const entry = value as Record<string, unknown>;
  const unknown = Object.keys(entry).filter((k) => !(ENTRY_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) return { kind: 'malformed', message: `unknown key ${JSON.stringify(unknown[0])} (keys: ${ENTRY_KEYS.join(', ')})` };
  const notText = Object.entries(entry).find(([, v]) => typeof v !== 'string');
  if (notText) return { kind: 'malformed', message: `${notText[0]} must be a string` };
  const missing = REQUIRED.filter((k) => typeof entry[k] !== 'string' || (entry[k] as string).trim() === '');
  if (missing.length > 0) return { kind: 'incomplete', message: `missing ${missing.join(', ')}: every entry says why, who decided, when, and until when` };
  for (const k of ['created', 'expires'] as const) if (!validDate(entry[k] as string)) return { kind: 'bad-date', message: `${k} ${JSON.stringify(entry[k])} is not a date (YYYY-MM-DD)` };
  if (entry.finding !== undefined) {
    if (!/^[0-9a-f]{16}$/.test(entry.finding as string)) return { kind: 'malformed', message: `finding ${JSON.stringify(entry.finding)} is not a finding id (16 hex digits)` };
    if (SELECTORS.some((s) => entry[s] !== undefined)) return { kind: 'malformed', message: 'an entry names one finding id, or a rule with selectors, not both' };
    return null;
  }
  if (entry.rule === undefined) return { kind: 'no-selector', message: 'names neither a finding id nor a rule' };
  if (!SELECTORS.slice(1).some((s) => entry[s] !== undefined)) return { kind: 'no-selector', message: 'a rule needs at least one selector (code, payer, provider, claim); to turn a rule off, use --profile' };
  return null;
}

/** Reads a suppressions file (none: no entries); entries past `today` or not valid are problems, not entries. */
export function loadSuppressions(file: string | null, today: string): Suppressions {
  const result: Suppressions = { file, today, entries: [], problems: [] };
  if (file === null || !existsSync(file)) return result;
  const seen = new Set<string>();
  readBoundedText(file, '--suppressions')
    .split(/\r?\n/)
    .forEach((text, i) => {
      const line = i + 1;
      if (text.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        result.problems.push({ line, entry: text.slice(0, 200), kind: 'malformed', message: 'not valid JSON' });
        return;
      }
      const problem = entryProblem(value);
      const entry = value as SuppressionEntry;
      const key = problem?.kind === 'malformed' ? text.slice(0, 200) : canonicalEntry(entry);
      if (problem) {
        result.problems.push({ line, entry: key, ...problem });
        return;
      }
      if (entry.expires! < today) {
        result.problems.push({ line, entry: key, kind: 'expired', message: `expired on ${entry.expires} (${entry.owner}): it no longer suppresses` });
        return;
      }
      if (seen.has(key)) {
        result.problems.push({ line, entry: key, kind: 'duplicate', message: 'the same entry twice' });
        return;
      }
      seen.add(key);
      result.entries.push({
        key,
        line,
        finding: entry.finding ?? null,
        rule: entry.rule ?? null,
        code: entry.code ?? null,
        payer: entry.payer ?? null,
        provider: entry.provider ?? null,
        claim: entry.claim ?? null,
        reason: entry.reason!,
        owner: entry.owner!,
        expires: entry.expires!,
      });
    });
  return result;
}

type Matchable = Pick<Finding, 'id' | 'ruleId' | 'code' | 'payerClass' | 'payerName' | 'billingNpi' | 'claimId'>;

/** The first entry (in file order) that matches the finding, or null. */
export function matchSuppression(entries: readonly ActiveEntry[], f: Matchable): ActiveEntry | null {
  for (const e of entries) {
    if (e.finding !== null) {
      if (e.finding === f.id) return e;
      continue;
    }
    if (e.rule !== f.ruleId) continue;
    if (e.code !== null && e.code.toUpperCase() !== (f.code ?? '').toUpperCase()) continue;
    if (e.payer !== null && e.payer.toLowerCase() !== f.payerClass && e.payer.toLowerCase() !== (f.payerName ?? '').toLowerCase()) continue;
    if (e.provider !== null && e.provider !== f.billingNpi) continue;
    if (e.claim !== null && e.claim !== f.claimId) continue;
    return e;
  }
  return null;
}

/** The entries indexed by finding id and by rule, for millions of findings. */
export class Suppressor {
  private readonly byFinding = new Map<string, ActiveEntry>();
  private readonly byRule = new Map<string, ActiveEntry[]>();

  constructor(entries: readonly ActiveEntry[]) {
    for (const e of entries) {
      if (e.finding !== null) {
        if (!this.byFinding.has(e.finding)) this.byFinding.set(e.finding, e);
      } else {
        const list = this.byRule.get(e.rule!);
        if (list) list.push(e);
        else this.byRule.set(e.rule!, [e]);
      }
    }
  }

  /** The entry that suppresses the finding: an entry for its id first, then the first rule entry that selects it. */
  match(f: Matchable): ActiveEntry | null {
    const exact = this.byFinding.get(f.id);
    if (exact) return exact;
    const list = this.byRule.get(f.ruleId);
    return list ? matchSuppression(list, f) : null;
  }
}

export interface SuppressionView {
  file: string | null;
  /** The date entries' expiry was compared with. */
  today: string;
  /** Entries in force. */
  entries: number;
  /** Findings taken out of the totals and the worklist, and their dollars. */
  findings: number;
  dollars: number;
  /** Entries that suppress nothing, and why (malformed, incomplete, bad date, expired…). */
  problems: SuppressionProblem[];
  /** Entries in force that matched no finding tonight (`claim-audit suppressions prune` removes them). */
  unused: Array<{ line: number; entry: string }>;
  /** The suppressed findings (the first SUPPRESSED_KEPT), ranked, with the entry that matched each. */
  suppressed: Finding[];
}

/** The report's account of the suppressions: what they took out, their problems, the entries that matched nothing. */
export function suppressionView(suppressions: Suppressions, taken: { findings: number; dollars: number; byEntry: ReadonlyMap<string, number> }, suppressed: Finding[], carried: ReadonlyMap<string, number> = new Map()): SuppressionView {
  return {
    file: suppressions.file,
    today: suppressions.today,
    entries: suppressions.entries.length,
    findings: taken.findings,
    dollars: taken.dollars,
    problems: suppressions.problems,
    unused: suppressions.entries.filter((e) => !taken.byEntry.has(e.key) && !carried.has(e.key)).map((e) => ({ line: e.line, entry: e.key })),
    suppressed,
  };
}
