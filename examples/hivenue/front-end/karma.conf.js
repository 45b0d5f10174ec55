// Karma configuration for `ng test` (the angular.json test target sets runnerConfig: true).
// It runs once in a headless Chromium so the same command works on a laptop and in CI.

const path = require('path');

// CI machines carry Debian's chromium rather than Google Chrome; a CHROME_BIN set by the caller wins.
process.env.CHROME_BIN ||= '/usr/bin/chromium';

module.exports = function (config) {
  config.set({
    basePath: '',
    frameworks: ['jasmine'],
    plugins: [
      require('karma-jasmine'),
      require('karma-chrome-launcher'),
      require('karma-junit-reporter'),
      require('karma-coverage'),
    ],
    client: {
      // Keep the browser console quiet in CI logs; failures still carry their stack traces.
      captureConsole: false,
    },
    reporters: ['progress', 'junit'],
    junitReporter: {
      // reports/junit.xml, relative to this folder, for the pipeline to collect.
      outputDir: 'reports',
      outputFile: 'junit.xml',
      useBrowserName: false,
    },
    coverageReporter: {
      // Only used with `ng test --code-coverage`.
      dir: path.join(__dirname, 'coverage'),
      subdir: '.',
      reporters: [{ type: 'lcovonly' }, { type: 'text-summary' }],
    },
    customLaunchers: {
      // Chromium inside containers runs as root and with a small /dev/shm; these flags make it
      // start there and stop it from reaching out to the network on its own.
      ChromeHeadlessCI: {
        base: 'ChromeHeadless',
        flags: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      },
    },
    browsers: ['ChromeHeadlessCI'],
    singleRun: true,
    autoWatch: false,
    restartOnFileChange: false,
  });
};
