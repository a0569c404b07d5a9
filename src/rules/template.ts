// Message templates, filled: the rules' messages, remediations and not-checked reasons.
// {name} is data.name, {units:unit} the number with its noun ("1 unit", "240 units"); a
// placeholder the data does not fill is the rule's error, never an empty gap in a message.

/** {name}, or {name:noun} for a count with its noun. */
const PLACEHOLDER = /\{(\w+)(?::(\w+))?\}/g;

/** Templates already found well formed (the rules' own strings: a few hundred at most). */
const wellFormed = new Set<string>();

/** What reasonSummary puts for a placeholder: a line's particulars, in general words. */
const GENERAL: Record<string, string> = { code: 'the code', ndc: 'the NDC', quarter: 'the quarter', date: 'the date', earliest: 'the earliest', table: "the setting's" };

/** A not-checked reason as the coverage tables count it: its summary, else its message in general words (a placeholder without one is the rule's error). */
export function reasonSummary(ruleId: string, key: string, decl: { message: string; summary?: string }): string {
  if (decl.summary !== undefined) return decl.summary;
  return decl.message.replace(PLACEHOLDER, (_, name: string) => {
    const word = GENERAL[name];
    if (word === undefined) throw new RuleContractError(`${ruleId}'s not-checked reason "${key}" needs a summary: {${name}} has no general word`);
    return word;
  });
}

/** A rule reported what its metadata does not declare: a rule-crashed finding, at test time and at run time. */
export class RuleContractError extends Error {}

/** A template filled with data; `ruleId`, `what` and `key` name it in a contract error. */
export function fill(ruleId: string, what: string, key: string, template: string, data: Record<string, string | number | null>): string {
  if (!wellFormed.has(template)) {
    if (/[{}]/.test(template.replace(PLACEHOLDER, ''))) throw new RuleContractError(`${ruleId} has a malformed placeholder in its ${what} "${key}"`);
    wellFormed.add(template);
  }
  // A template without placeholders is its own text: the common case, answered at once.
  if (!template.includes('{')) return template;
  return template.replace(PLACEHOLDER, (_, name: string, noun: string | undefined) => {
    if (!Object.hasOwn(data, name)) throw new RuleContractError(`${ruleId} left {${name}} of its ${what} "${key}" unfilled`);
    const value = data[name] ?? '';
    return noun === undefined ? String(value) : `${value} ${value === 1 ? noun : `${noun}s`}`;
  });
}

