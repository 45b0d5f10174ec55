import { describe, expect, it } from 'vitest';
import { files } from '../../../test/helpers/file-map.js';
import { angularProject } from './angular.js';
import { junitOutput } from './junit-output.js';
import type { Invocation } from './types.js';

const invocation = (words: string[], extra: Partial<Invocation> = {}): Invocation => ({
  runner: 'jest',
  words,
  wrappers: [],
  env: {},
  cwd: '.',
  last: false,
  ...extra,
});

describe('junitOutput: jest', () => {
  it('reads jest-junit options from a preset, with <rootDir> as the package', () => {
    const read = files({
      'back-end/admin/jest.config.cjs': "module.exports = { preset: '../../jest.preset.cjs' };",
      'jest.preset.cjs': `module.exports = {
        coverageReporters: ['text'],
        reporters: ['default', ['jest-junit', { outputDirectory: '<rootDir>/reports', outputName: 'junit.xml' }]],
      };`,
    });
    expect(junitOutput(invocation(['jest']), 'back-end/admin', {}, read)).toEqual({
      kind: 'file',
      path: 'back-end/admin/reports/junit.xml',
      reporter: 'jest-junit',
    });
  });

  it('takes the environment over reporter options, and --reporters over the config', () => {
    const read = files({
      'jest.config.js': "module.exports = { reporters: [['jest-junit', { outputDirectory: 'out' }]] };",
    });
    expect(junitOutput(invocation(['jest']), '.', {}, read)).toMatchObject({ path: 'out/junit.xml' });
    expect(
      junitOutput(invocation(['jest']), '.', { JEST_JUNIT_OUTPUT_FILE: 'reports/server/junit.xml' }, read),
    ).toMatchObject({ path: 'reports/server/junit.xml' });
    expect(junitOutput(invocation(['jest', '--reporters=default']), '.', {}, read).kind).toBe('missing');
    expect(junitOutput(invocation(['jest', '--reporters=jest-junit']), '.', {}, read)).toMatchObject({
      path: 'junit.xml',
    });
  });

  it('reads package.json: its jest key and its jest-junit key', () => {
    const read = files({
      'api/package.json': {
        jest: { reporters: ['jest-junit'] },
        'jest-junit': { outputDirectory: 'reports' },
      },
    });
    expect(junitOutput(invocation(['jest']), 'api', {}, read)).toMatchObject({
      path: 'api/reports/junit.xml',
    });
    expect(junitOutput(invocation(['jest']), '.', {}, files({ 'package.json': {} }))).toMatchObject({
      kind: 'missing',
    });
  });

  it('cannot tell when the config computes its reporters', () => {
    const read = files({ 'jest.config.js': 'module.exports = { reporters: process.env.CI ? ci : local };' });
    expect(junitOutput(invocation(['jest']), '.', {}, read)).toEqual({ kind: 'unknown' });
  });
});

describe('junitOutput: karma and ng test', () => {
  const karma = (junit: string) => `
    const path = require('node:path');
    module.exports = (config) => {
      config.set({
        basePath: '',
        plugins: [require('karma-jasmine'), require('karma-junit-reporter')],
        reporters: ['progress', 'junit'],
        junitReporter: { ${junit} },
        coverageReporter: { reporters: [{ type: 'html' }] },
      });
    };`;
  const angular = (test: object) => ({
    projects: { web: { projectType: 'application', root: 'client', architect: { test } } },
  });

  it('follows angular.json to karma.conf.js and its junitReporter folder', () => {
    const read = files({
      'angular.json': angular({
        builder: '@angular/build:karma',
        options: { karmaConfig: 'client/karma.conf.js' },
      }),
      'client/karma.conf.js': karma(
        "outputDir: path.join(__dirname, '..', 'reports', 'client'), outputFile: 'junit.xml', useBrowserName: false",
      ),
    });
    expect(junitOutput(invocation(['ng', 'test'], { runner: 'ng' }), '.', {}, read)).toEqual({
      kind: 'file',
      path: 'reports/client/junit.xml',
      reporter: 'karma-junit-reporter',
    });
  });

  it('finds karma.conf.js in the project root for the unit-test builder with runnerConfig: true', () => {
    const read = files({
      'angular.json': angular({
        builder: '@angular/build:unit-test',
        options: { runner: 'karma', runnerConfig: true },
      }),
      'client/karma.conf.js': karma("outputDir: 'reports', outputFile: 'junit.xml', useBrowserName: false"),
    });
    expect(angularProject(read, '.')?.test).toEqual({ runner: 'karma', config: 'client/karma.conf.js' });
    expect(junitOutput(invocation(['ng', 'test'], { runner: 'ng' }), '.', {}, read)).toMatchObject({
      path: 'client/reports/junit.xml',
    });
  });

  it('says why no file will be there: no junit reporter, a browser-named folder, a missing plugin', () => {
    const ng = invocation(['ng', 'test'], { runner: 'ng' });
    const withConfig = (text: string) =>
      files({
        'angular.json': angular({
          builder: '@angular/build:karma',
          options: { karmaConfig: 'karma.conf.js' },
        }),
        'karma.conf.js': text,
      });
    const noJunit = withConfig("module.exports = (config) => config.set({ reporters: ['progress'] });");
    expect(junitOutput(ng, '.', {}, noJunit)).toMatchObject({
      kind: 'missing',
      problem: /no junit reporter/,
    });
    const browserNamed = withConfig(karma("outputDir: 'reports'"));
    expect(junitOutput(ng, '.', {}, browserNamed)).toMatchObject({ problem: /useBrowserName: false/ });
    const noPlugin = withConfig(
      "module.exports = (c) => c.set({ plugins: [require('karma-jasmine')], reporters: ['junit'] });",
    );
    expect(junitOutput(ng, '.', {}, noPlugin)).toMatchObject({ problem: /without karma-junit-reporter/ });
    const builtIn = files({ 'angular.json': angular({ builder: '@angular/build:karma' }) });
    expect(junitOutput(ng, '.', {}, builtIn)).toMatchObject({ problem: /built-in config/ });
  });

  it('reads the Vitest runner of ng test from its flags', () => {
    const read = files({ 'angular.json': angular({ builder: '@angular/build:unit-test' }) });
    const ng = (words: string[]) => junitOutput(invocation(words, { runner: 'ng' }), '.', {}, read);
    expect(ng(['ng', 'test']).kind).toBe('missing');
    expect(ng(['ng', 'test', '--reporters=junit', '--output-file=reports/junit.xml'])).toEqual({
      kind: 'file',
      path: 'reports/junit.xml',
    });
  });
});

describe('junitOutput: mocha and vitest', () => {
  it('mocha: flags, .mocharc and the default file name', () => {
    const mocha = (words: string[], map: Record<string, string> = {}) =>
      junitOutput(invocation(words, { runner: 'mocha' }), '.', {}, files(map));
    expect(
      mocha(['mocha', '--reporter', 'mocha-junit-reporter', '--reporter-options', 'mochaFile=reports/j.xml']),
    ).toMatchObject({ path: 'reports/j.xml', reporter: 'mocha-junit-reporter' });
    expect(mocha(['mocha'], { '.mocharc.yml': 'reporter: mocha-junit-reporter\n' })).toMatchObject({
      path: 'test-results.xml',
    });
    expect(
      mocha(['mocha'], {
        '.mocharc.json':
          '{ "reporter": "mocha-junit-reporter", "reporter-option": ["mochaFile=out/junit.xml"] }',
      }),
    ).toMatchObject({ path: 'out/junit.xml' });
    expect(mocha(['mocha', 'server/test'])).toMatchObject({ kind: 'missing', problem: /reporter is spec/ });
  });

  it('vitest: the junit reporter and its outputFile, from flags or the config', () => {
    const vitest = (words: string[], map: Record<string, string> = {}) =>
      junitOutput(invocation(words, { runner: 'vitest' }), 'api', {}, files(map));
    expect(
      vitest(['vitest', 'run', '--reporter=junit', '--outputFile.junit=reports/junit.xml']),
    ).toMatchObject({ path: 'api/reports/junit.xml' });
    const config = `export default defineConfig({ test: { reporters: ['default', 'junit'], outputFile: { junit: './out/junit.xml' } } });`;
    expect(vitest(['vitest', 'run'], { 'api/vitest.config.ts': config })).toMatchObject({
      path: 'api/out/junit.xml',
    });
    expect(vitest(['vitest', 'run', '--reporter=junit']).kind).toBe('missing');
    expect(vitest(['vitest', 'run']).kind).toBe('missing');
  });
});
