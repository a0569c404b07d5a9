// Why a run audited no claim at all (such a run writes nothing).
import type { IngestIssue } from '../model/index.js';
import type { FileIngestStats } from './index.js';

/** Issues that say a whole file was not read as claims. */
const FILE_LEVEL = new Set(['format-unknown', 'empty-input', 'missing-isa', 'isa-invalid', 'csv-layout-unknown', 'csv-layout-refused', 'csv-no-header', 'csv-encoding-unsupported', 'file-missing', 'file-unreadable', 'gzip-invalid']);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Why a run audited no claim, or null when it audited some. */
export function nothingAudited(inputIssues: readonly IngestIssue[], files: readonly FileIngestStats[]): string | null {
  const claims = { read: 0, audited: 0, skipped: 0, unparseable: 0 };
  for (const stats of files) for (const key of ['read', 'audited', 'skipped', 'unparseable'] as const) claims[key] += stats.claims[key];
  if (claims.audited > 0) return null;
  if (files.length === 0) {
    return inputIssues.length > 0 ? `no input found (${inputIssues.length === 1 ? inputIssues[0]!.message : `${inputIssues.length} inputs not found`})` : 'no input file found (the folders named hold no files, or --include/--exclude left none)';
  }
  const readable = files.filter((stats) => !stats.readFailed && stats.format !== 'unknown' && !stats.issues.some((i) => FILE_LEVEL.has(i.code)));
  if (readable.length === 0) return `no file could be read as an 837 or a claim export (${plural(files.length, 'file')} tried)`;
  if (claims.read === 0) return `no claim found in ${plural(files.length, 'file')}`;
  return `none of the ${plural(claims.read, 'claim')} read could be audited (${claims.skipped} skipped, ${claims.unparseable} unparseable)`;
}
