import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Fixtures are applications with suites of their own, run by waggle, not by this suite.
    exclude: ['**/node_modules/**', 'test/fixtures/**'],
    // Integration tests run the reference app's real installs, builds and suites.
    testTimeout: 30_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
