// CMS reference files as CMS publishes them, each recognised by its title lines and header row,
// never by its file name, by the descriptors of reference/cms/ (CMS_KINDS): the ASP pricing
// file, the ASP NDC–HCPCS crosswalk, OPPS Addendum B (CMS's web CSV, the Level II extracts, and
// the project's history extract), the HCPCS Level II file (ANWEB), the MUE tables, CMS's JW/JZ
// list, the Medicare Coverage Database's billing articles, the MACs' SAD lists and the A/B MAC
// jurisdictions. Each reading says what the file is, its quarter and how that was known, and
// how many rows were used and why the others were not.
import { createHash } from 'node:crypto';
import { FileReadError, readBoundedFile } from '../model/files.js';
import { parse } from 'csv-parse/sync';
import { CMS_KINDS, KIND_NAMES } from './cms/index.js';
import type { AddendumRow, CmsFile, CmsFileKind, FileReport } from './cms/types.js';
import { clean } from './cms/table.js';

export type * from './cms/types.js';
export { quarterFromTitle } from './cms/table.js';

/** UTF-8 when it is valid, else Windows-1252 (CMS's CSVs are). */
function decode(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

function report(file: string, sha256: string, kind: CmsFileKind, fields: Partial<FileReport> = {}): FileReport {
  return { file, sha256, kind, quarter: null, quarterBasis: null, note: null, rowsRead: 0, rowsUsed: 0, rowsRejected: 0, rejected: {}, ...fields };
}

/** Reads one file and says what it is. Never throws for content: an unknown file says why. */
export function readCmsFile(path: string, display = path): CmsFile {
  let bytes: Buffer;
  try {
    // A regular file of at most CONFIG_MAX_BYTES (the crosswalks are a few MB): a FIFO or a device is not read.
    bytes = readBoundedFile(path, 'reference file');
  } catch (error) {
    if (!(error instanceof FileReadError)) throw error;
    return { kind: 'unknown', report: report(display, '', 'unknown', { note: `not read: ${error.message.slice(`reference file ${path}: `.length)}` }) };
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let rows: string[][];
  try {
    rows = parse(decode(bytes), { relax_column_count: true, relax_quotes: true, bom: true, skip_empty_lines: false }) as string[][];
  } catch (error) {
    return { kind: 'unknown', report: report(display, sha256, 'unknown', { note: `not a CSV file (${(error as Error).message.split('\n')[0]})` }) };
  }
  const title = rows
    .slice(0, 12)
    .map((r) => r.map(clean).filter((c) => c !== '').join(' '))
    .join(' ');
  for (const table of CMS_KINDS) {
    const at = table.detect(rows, title);
    if (at !== -1) return table.parse(rows, at, title, report(display, sha256, table.kinds[0]!));
  }
  const first = rows.find((r) => r.some((c) => clean(c) !== ''))?.map(clean).filter((c) => c !== '').slice(0, 4).join(', ') ?? '';
  return { kind: 'unknown', report: report(display, sha256, 'unknown', { note: `no header of a CMS file this builder knows (${KIND_NAMES.join(', ')}) in its first 40 rows${first ? `; it starts "${first.slice(0, 80)}"` : ''}` }) };
}

/**
 * An Addendum B without a stated quarter (the Level II extracts): OPPS pays separately payable
 * drugs (status K and G) at ASP + 6%, the same figure as that quarter's ASP payment limit, so
 * the quarter is the ASP file's whose limits its K/G rates match, when at least 90% of the
 * codes both list match and no other quarter comes close. Returns null when none does.
 */
export function inferAddendumQuarter(rows: readonly AddendumRow[], asp: ReadonlyMap<string, ReadonlyMap<string, number>>): { quarter: string; note: string } | null {
  const rates = rows.filter((r) => (r.statusIndicator === 'K' || r.statusIndicator === 'G') && r.paymentPerUnit !== null);
  const scored = [...asp.entries()]
    .map(([quarter, limits]) => {
      let both = 0;
      let same = 0;
      for (const r of rates) {
        const limit = limits.get(r.hcpcs);
        if (limit === undefined) continue;
        both++;
        if (Math.abs(limit - r.paymentPerUnit!) < 0.006) same++;
      }
      return { quarter, both, same };
    })
    .filter((s) => s.both > 0)
    .sort((a, b) => b.same / b.both - a.same / a.both || (a.quarter < b.quarter ? -1 : 1));
  const best = scored[0];
  if (!best || best.same / best.both < 0.9 || (scored[1] && scored[1].same / scored[1].both > 0.5)) return null;
  return { quarter: best.quarter, note: `no quarter in the file: its status K/G payment rates equal the ${best.quarter} ASP payment limits for ${best.same} of the ${best.both} codes both list` };
}
