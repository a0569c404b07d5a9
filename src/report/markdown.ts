// The small Markdown subset the rules' pages use, rendered to HTML for the report's appendix:
// headings, paragraphs, "- " lists, **bold** and `code`. Text is escaped before any markup is
// added, so a page can never inject HTML; anything else stays literal text.
import { escapeHtml } from './escape.js';

function inline(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

/** Renders a page; headings start at `headingLevel` (the page's `#`). */
export function markdownToHtml(markdown: string, headingLevel = 3): string {
  const out: string[] = [];
  const blocks = markdown.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  for (const block of blocks) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) continue;
    const heading = /^(#{1,6})\s+(.*)$/.exec(lines[0]!);
    if (heading && lines.length === 1) {
      const level = Math.min(6, headingLevel + heading[1]!.length - 1);
      out.push(`<h${level}>${inline(heading[2]!)}</h${level}>`);
    } else if (lines.every((l) => /^\s*[-*]\s+/.test(l))) {
      out.push(`<ul>${lines.map((l) => `<li>${inline(l.replace(/^\s*[-*]\s+/, ''))}</li>`).join('')}</ul>`);
    } else {
      out.push(`<p>${lines.map(inline).join(' ')}</p>`);
    }
  }
  return out.join('\n');
}
