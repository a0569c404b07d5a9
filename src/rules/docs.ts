// The rules' pages (the Markdown file beside each rule) for the HTML report's appendix. The
// build copies them next to the compiled rules, so the same relative path works from src/
// (tests) and dist/ (the binary).
import { readFileSync } from 'node:fs';
import { RULE_CRASHED, RULES } from './index.js';
import type { RuleMeta } from './types.js';

export interface RuleDoc {
  id: string;
  title: string;
  category: RuleMeta['category'];
  severity: RuleMeta['severity'];
  denial: RuleMeta['denial'] | null;
  /** The page's Markdown, or null where the rule has none (the engine's own rule). */
  markdown: string | null;
}

let cached: RuleDoc[] | null = null;

let titles: Map<string, string> | null = null;

/** A rule's title (its id when there is no such rule): the worklist's words for a finding. */
export function ruleTitle(id: string): string {
  titles ??= new Map(ruleDocs().map((r) => [r.id, r.title]));
  return titles.get(id) ?? id;
}

/** Every rule of the catalogue with its page, sorted by id; the engine's own rule last. */
export function ruleDocs(): RuleDoc[] {
  cached ??= [
    ...RULES.map(({ meta }) => ({
      id: meta.id,
      title: meta.title,
      category: meta.category,
      severity: meta.severity,
      denial: meta.denial,
      markdown: readFileSync(new URL(`./${meta.category}/${meta.id}.md`, import.meta.url), 'utf8'),
    })),
    {
      id: RULE_CRASHED.id,
      title: RULE_CRASHED.title,
      category: RULE_CRASHED.category,
      severity: RULE_CRASHED.severity,
      denial: null,
      markdown:
        '**What it checks.** Nothing of the claim: the engine reports a rule that threw on a line, so the run goes on and no line is silently passed.\n\n**How to fix.** Report it to the claim-audit project with the message; the line was not checked by that rule.',
    },
  ];
  return cached;
}
