// Escaping for HTML text and attribute values: every value from a claim file passes here.

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Control characters (but tab, LF, CR) are not allowed in HTML text: shown as U+FFFD. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Safe in element content and in quoted attribute values. */
export function escapeHtml(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value)
    .replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!)
    .replace(CONTROL, '\uFFFD');
}
