import { defineConfig } from 'vitest/config';

// The fast tier a newcomer runs (npm test): every module, rule, output and executor on small
// inputs. The large-input differential, sharded, worker-pool and browser suites are in
// test/heavy (npm run test:heavy, vitest.heavy.config.ts); .ci/run runs both.
export default defineConfig({
  test: {
    globalSetup: ['test/support/build.ts'],
    include: ['test/unit/**/*.test.ts', 'test/rules/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/fuzz/**/*.test.ts'],
    testTimeout: 30_000,
    // Two files at once on a 2-core machine: most of the e2e time is child processes and I/O.
    maxWorkers: 2,
  },
});
