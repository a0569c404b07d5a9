import { defineConfig } from 'vitest/config';

// The heavy tier (npm run test:heavy): tens of MB of generated claims through every executor and
// shard count, worker threads racing, and the report opened in Chromium. .ci/run runs it after
// npm test.
export default defineConfig({
  test: {
    globalSetup: ['test/support/build.ts'],
    include: ['test/heavy/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
