// Physical lines past a limit are cut before the CSV parser sees them: a line of garbage can
// neither grow memory nor derail the parser.

/** A physical line longer than this is cut (csv-parse does not recover from its own limit). */
export const MAX_LINE_BYTES = 1024 * 1024;

/**
 * Cuts physical lines longer than MAX_LINE_BYTES, so a line of garbage cannot grow memory or
 * derail the parser; each cut is reported once with its line and byte position.
 */
export async function* cutLongLines(chunks: AsyncIterable<Buffer>, onCut: (line: number, byteOffset: number) => void): AsyncGenerator<Buffer> {
  let lineLength = 0;
  let line = 1;
  let offset = 0;
  let cutting = false;
  for await (const chunk of chunks) {
    let start = 0;
    const parts: Buffer[] = [];
    for (;;) {
      const lf = chunk.indexOf(0x0a, start);
      const end = lf === -1 ? chunk.length : lf + 1;
      const piece = end - start;
      if (!cutting && lineLength + piece > MAX_LINE_BYTES && (lf === -1 || lineLength + piece - 1 > MAX_LINE_BYTES)) {
        const keep = MAX_LINE_BYTES - lineLength;
        parts.push(chunk.subarray(start, start + keep));
        onCut(line, offset + start + keep);
        cutting = true;
      } else if (!cutting) parts.push(chunk.subarray(start, end));
      if (lf === -1) {
        lineLength += piece;
        break;
      }
      if (cutting) parts.push(Buffer.from('\n'));
      cutting = false;
      lineLength = 0;
      line++;
      start = end;
      if (start >= chunk.length) break;
    }
    offset += chunk.length;
    yield parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }
}
