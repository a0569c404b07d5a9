import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CORPUS_DIR = process.env.CLAIM_AUDIT_CORPUS ?? resolve(repoRoot, '..', 'shared', 'corpus');
export const X12_DIR = resolve(CORPUS_DIR, 'x12');
export const corpusFile = (name: string) => resolve(X12_DIR, name);
export const REFERENCE_DIR = process.env.CLAIM_AUDIT_REFERENCE ?? resolve(CORPUS_DIR, '..', 'reference-data');
