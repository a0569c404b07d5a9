import { defineConfig } from 'vitest/config';

// Unit, end-to-end and sample tests: everything that needs only this repository.
export default defineConfig({
  test: {
    globalSetup: ['test/support/build.ts'],
    include: ['test/unit/**/*.test.ts', 'test/rules/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/browser/**/*.test.ts', 'test/fuzz/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
