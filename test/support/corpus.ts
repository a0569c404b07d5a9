import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CORPUS_DIR = process.env.CLAIM_AUDIT_CORPUS ?? resolve(repoRoot, '..', 'shared', 'corpus');
export const X12_DIR = resolve(CORPUS_DIR, 'x12');
export const corpusFile = (name: string) => resolve(X12_DIR, name);
export const REFERENCE_DIR = process.env.CLAIM_AUDIT_REFERENCE ?? resolve(CORPUS_DIR, '..', 'reference-data');

/** Every X12 corpus file (837s, 835/ and derived/), as paths relative to X12_DIR, sorted. */
export function x12CorpusFiles(): string[] {
  const list = (sub: string) =>
    readdirSync(resolve(X12_DIR, sub), { withFileTypes: true })
      .filter((d) => d.isFile() && !/\.(md|tsv)$/.test(d.name))
      .map((d) => (sub === '.' ? d.name : `${sub}/${d.name}`));
  return [...list('.'), ...list('835'), ...list('derived')].sort();
}

export const CSV_DIR = resolve(CORPUS_DIR, 'csv');

/** Every CSV corpus file (PROVENANCE.tsv aside), sorted. */
export function csvCorpusFiles(): string[] {
  return readdirSync(CSV_DIR, { withFileTypes: true })
    .filter((d) => d.isFile() && d.name !== 'PROVENANCE.tsv')
    .map((d) => d.name)
    .sort();
}
