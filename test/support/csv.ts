// Runs the file-level ingest over CSV text written by a test, and collects what it yields.
import type { PhiMode } from '../../src/model/phi.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFile } from '../../src/ingest/index.js';
import type { CsvProfile } from '../../src/ingest/csv/mapping.js';
import type { Claim } from '../../src/model/index.js';

export async function ingestCsvText(name: string, content: string | Buffer, csvProfile: CsvProfile | null = null, phi: PhiMode = 'masked') {
  const path = join(mkdtempSync(join(tmpdir(), 'claim-audit-csv-')), name);
  writeFileSync(path, content);
  const claims: Claim[] = [];
  const stats = await ingestFile(path, name, { phi, onClaim: (claim) => claims.push(claim), csvProfile });
  return { claims, stats, path };
}

/** Rows joined with CRLF (or the given line end), cells as written. */
export const csvText = (rows: string[], eol = '\r\n') => rows.join(eol) + eol;
