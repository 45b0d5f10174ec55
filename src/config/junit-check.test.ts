import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  angularProject,
  commandInvocation,
  configJUnitWarnings,
  fileReader,
  type Invocation,
  junitOutput,
  junitWarnings,
  type ReadFile,
  type SuiteUnderCheck,
  scriptInvocations,
  shellSegments,
} from './junit-check.js';
import { parseConfig } from './load.js';

/** A repository as a map of path -> text. */
const files =
  (map: Record<string, string | object>): ReadFile =>
  (path) => {
    const value = map[path];
    return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
  };

const invocation = (words: string[], extra: Partial<Invocation> = {}): Invocation => ({
  runner: 'jest',
  words,
  wrappers: [],
  env: {},
  cwd: '.',
  last: false,
  ...extra,
});

describe('shellSegments', () => {
  it('splits commands, groups quotes and drops redirections', () => {
    expect(shellSegments(`cross-env NODE_ENV=test jest --watch && echo "all done" > out.txt 2>&1`)).toEqual([
      ['cross-env', 'NODE_ENV=test', 'jest', '--watch'],
      ['echo', 'all done'],
    ]);
    expect(shellSegments("mocha 'server/**/*.spec.js' --exit; cd client || true")).toEqual([
      ['mocha', 'server/**/*.spec.js', '--exit'],
      ['cd', 'client'],
      ['true'],
    ]);
  });
});

describe('scriptInvocations', () => {
  const scripts = {
    test: 'npm run test:client && npm run test:server',
    'test:client': 'cd client && ng test',
    'test:server': 'NODE_ENV=test nyc mocha server --exit',
    'test:all': 'run-s test:*',
    both: 'concurrently -n a,b "npm:test:server" "vitest --watch"',
    lint: 'eslint .',
  };

  it('follows npm run into each script, with the folder a script moves to', () => {
    const found = scriptInvocations(scripts, 'test');
    expect(found.map((item) => [item.runner, item.cwd, item.script, item.last])).toEqual([
      ['ng', 'client', 'test:client', true],
      ['mocha', '.', 'test:server', true],
    ]);
    expect(found[1]?.wrappers).toEqual(['nyc']);
    expect(found[1]?.env).toEqual({ NODE_ENV: 'test' });
  });

  it('expands run-s globs and reads concurrently commands', () => {
    expect(scriptInvocations(scripts, 'test:all').map((item) => item.runner)).toEqual(['ng', 'mocha']);
    expect(scriptInvocations(scripts, 'both').map((item) => item.runner)).toEqual(['mocha', 'vitest']);
    expect(scriptInvocations(scripts, 'lint')).toEqual([]);
  });

  it('passes arguments after -- to the last command of the script', () => {
    const [found] = commandInvocation(['npm', 'run', 'test:client', '--', '--watch=false'], scripts);
    expect(found?.words).toEqual(['ng', 'test', '--watch=false']);
    expect(commandInvocation(['npx', 'jest', '--ci'], {})[0]?.words).toEqual(['jest', '--ci']);
    expect(commandInvocation(['ng', 'build'], {})).toEqual([]);
    for (const argv of [
      ['yarn', 'jest'],
      ['npm', 'exec', '--', 'jest'],
      ['pnpm', 'exec', 'jest'],
    ])
      expect(commandInvocation(argv, {})[0]).toMatchObject({ runner: 'jest', words: ['jest'], wrappers: [] });
    expect(commandInvocation(['nyc', '--reporter=lcov', 'mocha'], {})[0]?.wrappers).toEqual([
      'nyc',
      '--reporter=lcov',
    ]);
  });
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

describe('junitWarnings', () => {
  const suite = (fields: Partial<SuiteUnderCheck>): SuiteUnderCheck => ({
    at: 'packages.app.test',
    pkg: '.',
    run: 'npx jest --ci',
    junit: 'reports/junit.xml',
    env: {},
    ...fields,
  });
  const repo = files({
    'package.json': {
      scripts: { 'test:client': 'cd client && ng test' },
      devDependencies: { jest: '30', 'jest-junit': '16' },
    },
    'jest.config.js':
      "module.exports = { reporters: ['default', ['jest-junit', { outputDirectory: 'reports/server' }]] };",
    'client/angular.json': {
      projects: { web: { root: '', architect: { test: { builder: '@angular/build:karma', options: {} } } } },
    },
  });

  it('warns where the runner writes elsewhere or nothing, and where the reporter is not installed', () => {
    expect(junitWarnings(suite({}), repo)).toEqual([
      {
        path: 'packages.app.test.junit',
        message:
          'jest writes its JUnit file to reports/server/junit.xml (relative to the package), not reports/junit.xml',
      },
    ]);
    expect(junitWarnings(suite({ junit: 'reports/server/junit.xml' }), repo)).toEqual([]);
    const [client] = junitWarnings(
      suite({ run: ['npm', 'run', 'test:client', '--', '--watch=false'], junit: 'reports/client/junit.xml' }),
      repo,
    );
    expect(client?.message).toMatch(
      /^reports\/client\/junit.xml will not be written: Karma runs with Angular's/,
    );
    const bare = files({ 'jest.config.js': "module.exports = { reporters: ['jest-junit'] };" });
    expect(junitWarnings(suite({ junit: 'junit.xml' }), bare)[0]?.message).toMatch(
      /jest-junit is not in the devDependencies of package.json/,
    );
  });

  it('is silent when the suite writes no JUnit or the runner cannot be told', () => {
    expect(junitWarnings(suite({ junit: 'none', run: 'npx jest --reporters=default' }), repo)).toEqual([]);
    expect(junitWarnings(suite({ run: 'node test.mjs' }), repo)).toEqual([]);
    expect(
      junitWarnings(suite({ run: 'npx jest', env: { JEST_JUNIT_OUTPUT_DIR: '${{ vars.DIR }}' } }), repo),
    ).toEqual([]);
  });

  it('checks every suite of a config with the env of its package and services', () => {
    const config = parseConfig(`
name: shop
packages:
  shop:
    path: .
    env: { JEST_JUNIT_OUTPUT_DIR: reports/api }
    test:
      - { name: api, run: npx jest --ci, junit: reports/api/junit.xml }
      - { name: other, run: npx jest --ci, junit: reports/other.xml, services: [db] }
services:
  db: { run: mongod, ready: { tcp: 27017 }, env: { JEST_JUNIT_OUTPUT_NAME: other.xml } }
`);
    expect(configJUnitWarnings(config, repo).map((issue) => [issue.path, issue.message])).toEqual([
      [
        'packages.shop.test[1].junit',
        'jest writes its JUnit file to reports/api/other.xml (relative to the package), not reports/other.xml',
      ],
    ]);
  });
});

describe('fileReader', () => {
  it('reads inside the repository only, symbolic links included', () => {
    const outside = mkdtempSync(join(tmpdir(), 'waggle-outside-'));
    writeFileSync(join(outside, 'secret.js'), 'secret');
    const root = mkdtempSync(join(tmpdir(), 'waggle-reader-'));
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src', 'a.js'), 'a');
    symlinkSync(join(outside, 'secret.js'), join(root, 'link.js'));
    const read = fileReader(root);
    expect(read('src/a.js')).toBe('a');
    expect(read('src/../src/a.js')).toBe('a');
    expect(read(`../${join(outside, 'secret.js')}`)).toBeUndefined();
    expect(read('link.js')).toBeUndefined();
    expect(read('src')).toBeUndefined();
    expect(read('missing.js')).toBeUndefined();
  });
});
