// Ordering that does not depend on the machine: String#localeCompare follows the ICU locale
// of the process (LANG), so two machines could rank the same findings differently.
/** Compares by UTF-16 code units, the same on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
