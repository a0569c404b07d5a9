// The first chunk of a CSV export: its encoding and its delimiter.

export type Encoding = 'utf8' | 'latin1' | 'utf16le';

export function sniffEncoding(head: Buffer): { encoding: Encoding; label: string; problem?: string } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf8', label: 'UTF-8 (with BOM)' };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', label: 'UTF-16LE' };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf8', label: 'UTF-16BE', problem: 'UTF-16BE is not supported: save the export as UTF-8' };
  // A multi-byte character may be cut at the end of the chunk: check all but the last 3 bytes.
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 3)));
    return { encoding: 'utf8', label: 'UTF-8' };
  } catch {
    return { encoding: 'latin1', label: 'Latin-1 (not UTF-8)' };
  }
}

const DELIMITERS = [',', ';', '\t', '|'] as const;

/** Fields per line for a delimiter, quotes respected, over the first lines of the text. */
function fieldCounts(text: string, delimiter: string, maxLines = 25): number[] {
  const counts: number[] = [];
  let fields = 1;
  let quoted = false;
  for (let i = 0; i < text.length && counts.length < maxLines; i++) {
    const c = text[i];
    if (c === '"') {
      if (quoted && text[i + 1] === '"') i++;
      else quoted = !quoted;
    } else if (!quoted && c === delimiter) fields++;
    else if (!quoted && (c === '\n' || c === '\r')) {
      if (c === '\r' && text[i + 1] === '\n') i++;
      counts.push(fields);
      fields = 1;
    }
  }
  if (counts.length < maxLines && fields > 1) counts.push(fields);
  return counts;
}

/** The delimiter whose field count is largest and most consistent over the first lines. */
export function sniffDelimiter(text: string): string {
  let best: { delimiter: string; score: number } = { delimiter: ',', score: -1 };
  for (const delimiter of DELIMITERS) {
    const counts = fieldCounts(text, delimiter);
    const header = counts[0] ?? 1;
    if (header < 2) continue;
    const rest = counts.slice(1);
    // A trailing delimiter gives one more field than the header: still consistent.
    const consistent = rest.length === 0 ? 1 : rest.filter((n) => n === header || n === header + 1).length / rest.length;
    const score = consistent * 1000 + Math.min(header, 999);
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

export const describeDelimiter = (d: string) => (d === '\t' ? 'tab' : d === ',' ? 'comma' : d === ';' ? 'semicolon' : d === '|' ? 'pipe' : d);
