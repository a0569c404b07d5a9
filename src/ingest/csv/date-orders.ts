// Each date column's day/month order, decided from a sample of the first records: a value like
// 13/04/2025 says day-first; one that allows both (03/04/2025) says nothing.
import type { CsvIssue } from './types.js';
import { dateOrderEvidence, type DateOrder } from './normalise.js';

/** Records read before deciding each date column's day/month order… */
export const DATE_SAMPLE = 1000;
/** …or fewer, when they hold this many cells (the records are held whole until then). */
export const DATE_SAMPLE_CELLS = 500_000;

export interface DateOrders {
  /** By column index. */
  orders: Map<number, DateOrder>;
  /** By header, for the columns whose values could be read either way: what was decided. */
  reported: Record<string, DateOrder>;
  issues: CsvIssue[];
}

/** `forced`: a mapping file's dateOrder. */
export function decideDateOrders(columns: readonly number[], headers: readonly string[], sample: ReadonlyArray<{ record: readonly string[] }>, forced: DateOrder | undefined): DateOrders {
  const decided: DateOrders = { orders: new Map(), reported: {}, issues: [] };
  for (const column of columns) {
    let evidence: DateOrder | null = null;
    let conflict = false;
    let ambiguous = false;
    for (const { record } of sample) {
      const value = record[column] ?? '';
      const says = dateOrderEvidence(value);
      if (says !== null) {
        if (evidence !== null && evidence !== says) conflict = true;
        evidence ??= says;
      } else if (/^\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}/.test(value)) ambiguous = true;
    }
    const order = forced ?? evidence ?? 'MDY';
    decided.orders.set(column, order);
    const name = headers[column]!;
    if (evidence !== null || ambiguous) decided.reported[name] = order;
    if (conflict) decided.issues.push({ severity: 'warning', code: 'csv-date-order-mixed', message: `${name}: some dates are day-first and some month-first; read as ${order === 'MDY' ? 'month-first' : 'day-first'} where a value allows both`, column: name });
    else if (!forced && evidence === null && ambiguous) {
      decided.issues.push({ severity: 'warning', code: 'csv-date-order-assumed', message: `${name}: no date in the first ${sample.length.toLocaleString('en-US')} rows tells day from month; read month-first (US), e.g. 03/04/2025 is March 4 (a mapping file's dateOrder changes it)`, column: name });
    }
  }
  return decided;
}
