import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { CORPUS_DIR } from './test/support/corpus.js';

// Conformance over the public files in ../shared/corpus (never copied into this repo).
// In CI that folder always exists, so its absence is a failure, not a skip.
if (!existsSync(CORPUS_DIR)) {
  throw new Error(`corpus folder not found: ${CORPUS_DIR} (set CLAIM_AUDIT_CORPUS to its path)`);
}

export default defineConfig({
  test: {
    globalSetup: ['test/support/build.ts'],
    include: ['test/corpus/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
