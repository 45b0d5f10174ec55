import { defineConfig, devices } from '@playwright/test';

/**
 * End-to-end tests of an environment that is already deployed: nothing is started here, the
 * tests only talk to BASE_URL (the router in front of the web page and the /api services).
 */
export default defineConfig({
  testDir: './tests',
  outputDir: 'reports/artifacts',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  // A retry shows up as "flaky" in the reports instead of hiding a real failure.
  retries: process.env.CI ? 1 : 0,
  reporter: [
    ['list'],
    ['junit', { outputFile: 'reports/junit.xml' }],
    ['json', { outputFile: 'reports/results.json' }],
  ],
  use: {
    baseURL: process.env.BASE_URL || 'http://127.0.0.1:8080',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        // The system's Chromium: Playwright's own browser download is not available everywhere.
        launchOptions: { executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium' },
      },
    },
  ],
});
