/** What to tell someone whose suite wrote no JUnit: how each common runner is made to write it. */
export const JUNIT_HELP = (path: string): string =>
  [
    `waggle counts tests from the JUnit XML file the suite writes (${path}, relative to the package).`,
    'Make the runner write it there, for example:',
    '  Jest:   npm i -D jest-junit; jest --ci --reporters=default --reporters=jest-junit',
    '          with JEST_JUNIT_OUTPUT_FILE in the package env (or "reporters" in jest.config)',
    '  Karma:  npm i -D karma-junit-reporter; reporters: ["progress", "junit"],',
    '          junitReporter: { outputDir: "reports", outputFile: "junit.xml", useBrowserName: false }',
    '  Mocha:  npm i -D mocha-junit-reporter; mocha --reporter mocha-junit-reporter',
    '          --reporter-options mochaFile=reports/junit.xml',
    '  Vitest: vitest run --reporter=default --reporter=junit --outputFile.junit=reports/junit.xml',
    'A suite that writes no JUnit at all can say junit: none (it then passes on its exit code alone).',
  ].join('\n');
