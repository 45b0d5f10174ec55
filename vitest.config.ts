import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration tests run the reference app's real installs, builds and suites.
    testTimeout: 30_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
