// Which service lines are drug lines to audit (--codes).
import { HCPCS_CODE, type ServiceLine } from '../model/index.js';

export type CodeSelection =
  | { kind: 'covered'; codes: ReadonlySet<string> }
  | { kind: 'all'; covered?: ReadonlySet<string> }
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
  if (keyword === 'all') return { kind: 'all', covered };
  if (keyword === 'articles') return { kind: 'list', codes: articles };
  const codes = trimmed.split(',').map((c) => c.trim().toUpperCase()).filter((c) => c !== '');
  const bad = codes.filter((c) => !HCPCS_CODE.test(c));
  if (bad.length > 0 || codes.length === 0) {
    throw new Error(`--codes expects covered, articles, all, or HCPCS codes like J1459,Q0138; got ${JSON.stringify(bad[0] ?? value)}`);
  }
  return { kind: 'list', codes: new Set(codes) };
}

/**
 * Codes that name a drug, vaccine or biological when a line carries its NDC: HCPCS Level II
 * drug ranges (J, Q; C9000–C9999 pass-through drugs; S0000–S0199 and S5000–S5199 drugs and
 * infusion solutions; A9500–A9699
 * radiopharmaceuticals and contrast) and the CPT products (90281–90399 immune globulins,
 * 90476–90759 vaccines, 91300–91399 COVID-19 vaccines). An E/M visit, an administration or a
 * supply that carries an NDC is not a drug line.
 */
export function isDrugCode(code: string): boolean {
  if (J_OR_Q_CODE.test(code)) return true;
  const level2 = /^([ACS])(\d{4})$/.exec(code);
  if (level2) {
    const n = Number(level2[2]);
    return level2[1] === 'C' ? n >= 9000 : level2[1] === 'S' ? n <= 199 || (n >= 5000 && n <= 5199) : n >= 9500 && n <= 9699;
  }
  if (!/^\d{5}$/.test(code)) return false;
  const n = Number(code);
  return (n >= 90281 && n <= 90399) || (n >= 90476 && n <= 90759) || (n >= 91300 && n <= 91399);
}

/** `all`: every J/Q-code line, every code the pack covers, and a line with an NDC whose code names a drug (or that has no code: a pharmacy revenue line). */
export function isDrugLine(line: ServiceLine, selection: CodeSelection): boolean {
  const code = line.hcpcs;
  switch (selection.kind) {
    case 'all':
      if (code === null) return line.drug !== null;
      return J_OR_Q_CODE.test(code) || selection.covered?.has(code) === true || (line.drug !== null && isDrugCode(code));
    case 'covered':
    case 'list':
      return code !== null && selection.codes.has(code);
  }
}
