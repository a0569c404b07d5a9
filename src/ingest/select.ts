// Which service lines are drug lines to audit (--codes).
import { HCPCS_CODE, type ServiceLine } from '../model/index.js';

export type CodeSelection =
  | { kind: 'covered'; codes: ReadonlySet<string> }
  | { kind: 'all' }
  | { kind: 'list'; codes: ReadonlySet<string> };

const J_OR_Q_CODE = /^[JQ]\d{4}$/;
export { HCPCS_CODE };

/**
 * Parses the --codes value; throws a usage message for an invalid code. `covered` is every drug
 * code the pack prices, `articles` the codes the web articles named (default: the same set).
 */
export function parseCodeSelection(value: string, covered: ReadonlySet<string>, articles: ReadonlySet<string> = covered): CodeSelection {
  const trimmed = value.trim();
  const keyword = trimmed.toLowerCase();
  if (keyword === '' || keyword === 'covered') return { kind: 'covered', codes: covered };
  if (keyword === 'all') return { kind: 'all' };
  if (keyword === 'articles') return { kind: 'list', codes: articles };
  const codes = trimmed.split(',').map((c) => c.trim().toUpperCase()).filter((c) => c !== '');
  const bad = codes.filter((c) => !HCPCS_CODE.test(c));
  if (bad.length > 0 || codes.length === 0) {
    throw new Error(`--codes expects covered, articles, all, or HCPCS codes like J1459,Q0138; got ${JSON.stringify(bad[0] ?? value)}`);
  }
  return { kind: 'list', codes: new Set(codes) };
}

/** `all`: every J/Q-code line and every line that carries an NDC. */
export function isDrugLine(line: ServiceLine, selection: CodeSelection): boolean {
  const code = line.hcpcs;
  switch (selection.kind) {
    case 'all':
      return line.drug !== null || (code !== null && J_OR_Q_CODE.test(code));
    case 'covered':
    case 'list':
      return code !== null && selection.codes.has(code);
  }
}
