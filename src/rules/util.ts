// Small helpers shared by rules.
import type { DrugLine } from './types.js';

export const hasModifier = (subject: { line: { modifiers: string[] } }, modifier: string) => subject.line.modifiers.includes(modifier);

/** Not-otherwise-classified drug codes: Medicare requires the NDC on these from every payer class. */
export const NOC_CODES = new Set(['J3490', 'J3590', 'J9999', 'J7599', 'J7699', 'J7799', 'J7999', 'J8499', 'J8999', 'C9399']);

/** JW/JZ reporting starts here (JZ required from 2023-07-01; DOMAIN.md section 3). */
export const JW_JZ_REQUIRED_FROM = '2023-07-01';

/** Groups a claim's drug lines by code and service date, in line order. */
export function byCodeAndDate(lines: DrugLine[]): DrugLine[][] {
  const groups = new Map<string, DrugLine[]>();
  for (const subject of lines) {
    const key = `${subject.line.hcpcs}|${subject.date ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), subject]);
  }
  return [...groups.values()];
}

export const describeUnit = (subject: DrugLine) => (subject.code?.billingUnit ? `${subject.code.billingUnit.amount} ${subject.code.billingUnit.unit}` : 'unknown');
