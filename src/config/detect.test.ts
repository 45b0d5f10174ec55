import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type DetectedSuite,
  detectPackages,
  detectRepository,
  initialConfig,
  NoRootPackageError,
} from './detect.js';
import { loadConfig, parseConfig } from './load.js';

const REFERENCE_APP = new URL('../../examples/hivenue', import.meta.url).pathname;
const FIXTURES = new URL('../../test/fixtures/', import.meta.url).pathname;

/** The YAML init writes for a copy of `source`, loaded as `waggle validate` loads it. */
function writtenConfig(source: string) {
  const root = mkdtempSync(join(tmpdir(), 'waggle-init-'));
  cpSync(source, root, { recursive: true, filter: (path) => !/\/(node_modules|dist|\.angular)$/.test(path) });
  const text = initialConfig(root, 'main');
  writeFileSync(join(root, 'waggle.yml'), text);
  return { text, config: loadConfig(join(root, 'waggle.yml')).config };
}

/** A one-package repository holding `manifest` and `files`. */
function repo(manifest: object, files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'waggle-detect-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify(manifest));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('init on the MEAN layout: one package.json, Angular in client/, Express in server/', () => {
  it('finds both halves, their runners, the site, the build and the database', () => {
    const detection = detectRepository(join(FIXTURES, 'detect-mean'));
    expect(detection.packages).toEqual({
      'mean-shop': {
        path: '.',
        build: ['npm', 'run', 'build'],
        site: { dist: 'dist/client/browser' },
        test: [
          {
            name: 'client',
            run: ['npx', 'ng', 'test', '--watch=false', '--browsers=ChromeHeadlessCI'],
            junit: 'reports/client/junit.xml',
            inputs: ['client'],
          },
          {
            name: 'server',
            run: ['npx', 'jest', '--runInBand', '--ci', '--reporters=default', '--reporters=jest-junit'],
            junit: 'reports/server/junit.xml',
            services: ['mongodb'],
            inputs: ['server'],
          },
        ],
        env: { CHROME_BIN: '/usr/bin/chromium', JEST_JUNIT_OUTPUT_FILE: 'reports/server/junit.xml' },
      },
    });
    expect(detection.services.mongodb).toMatchObject({
      ready: { tcp: 27017 },
      env: { MONGODB_URI: 'mongodb://127.0.0.1:27017/mean-shop-test' },
    });
    expect(detection.e2e).toEqual([{ path: 'e2e', tool: 'playwright' }]);
  });

  it('writes YAML that validates, with what it cannot know as TODO comments', () => {
    const { text, config } = writtenConfig(join(FIXTURES, 'detect-mean'));
    expect(config.packages['mean-shop']?.path).toBe('.');
    expect(Object.keys(config.services)).toEqual(['mongodb']);
    // Karma: the launcher and the JUnit reporter go into karma.conf.js, by hand.
    expect(text).toContain('# TODO: Karma must run headless once and write reports/client/junit.xml');
    expect(text).toContain("junitReporter: { outputDir: '../reports/client', outputFile: 'junit.xml'");
    expect(text).toContain("ChromeHeadlessCI: { base: 'ChromeHeadless'");
    // The database: a placeholder that says it is one, explained above it.
    expect(text).toContain('# TODO: replace run with a command that starts MongoDB');
    expect(text).toContain(
      'run: [ node, -e, "console.error(\'services.mongodb.run in waggle.yml is a placeholder',
    );
    // Hosts, contacts and the e2e project stay comments.
    expect(text).toMatch(/^# TODO environments:/m);
    expect(text).toContain('#     e2e: { path: e2e }');
    expect(text).toMatch(/^# TODO contacts:/m);
  });

  it('finds angular.json in client/, runs ng there through its script, and Mocha with a JUnit reporter', () => {
    const { config, text } = writtenConfig(join(FIXTURES, 'detect-mean-client'));
    const detection = detectRepository(join(FIXTURES, 'detect-mean-client'));
    expect(detection.packages.shop).toEqual({
      path: '.',
      build: ['npm', 'run', 'build'],
      outputs: ['client/dist/shop'],
      site: { dist: 'client/dist/shop/browser' },
      test: [
        {
          name: 'server',
          run: [
            'npx',
            'mocha',
            'server/**/*.spec.js',
            '--exit',
            '--reporter',
            'mocha-junit-reporter',
            '--reporter-options',
            'mochaFile=reports/server/junit.xml',
          ],
          junit: 'reports/server/junit.xml',
          services: ['mongodb'],
          inputs: ['server'],
        },
        {
          name: 'client',
          run: ['npm', 'run', 'test:client', '--', '--watch=false', '--browsers=ChromeHeadlessCI'],
          // From client/karma.conf.js's junitReporter, which already writes it.
          junit: 'reports/client/junit.xml',
          inputs: ['client'],
        },
      ],
      env: { CHROME_BIN: '/usr/bin/chromium' },
    });
    expect(detection.services.mongodb).toMatchObject({
      ready: { tcp: 27018 },
      env: { MONGO_URL: 'mongodb://127.0.0.1:27018/shop-test' },
    });
    expect(text).toContain('# TODO: npm install --save-dev mocha-junit-reporter');
    expect(text).not.toContain('Karma must run headless');
    expect(text).toContain('e2e: { path: . }   # the Cypress project found in .');
    expect(config.packages.shop?.site?.dist).toBe('client/dist/shop/browser');
  });

  it('asks for the script ng needs when angular.json is in client/ and no script runs it there', () => {
    const root = repo(
      {
        name: 'bare',
        scripts: { test: 'jest' },
        devDependencies: { jest: '30', 'karma-junit-reporter': '2' },
      },
      {
        'client/angular.json': JSON.stringify({
          projects: { bare: { root: '', architect: { test: { builder: '@angular/build:karma' } } } },
        }),
      },
    );
    const text = initialConfig(root, 'main');
    expect(text).toContain('run: [ npm, run, test:client, --, --watch=false, --browsers=ChromeHeadlessCI ]');
    expect(text).toContain('"test:client": "cd client && ng test" to package.json\'s scripts');
    expect(text).toContain('write one with "npx ng generate config karma" in client/');
    expect(() => parseConfig(text)).not.toThrow();
  });
});

describe('init on a MEAN app whose server tests only a test:* script runs (Angular-Full-Stack)', () => {
  const FULLSTACK = join(FIXTURES, 'detect-fullstack');

  it('finds the client suite of npm test and the server suite of test:be, with the database it reads', () => {
    const detection = detectRepository(FULLSTACK);
    expect(detection.packages['angular-full-stack']).toEqual({
      path: '.',
      build: ['npm', 'run', 'build'],
      site: { dist: 'dist/public/browser' },
      test: [
        {
          name: 'client',
          run: ['npx', 'ng', 'test', '--watch=false', '--browsers=ChromeHeadlessCI'],
          junit: 'reports/client/junit.xml',
          inputs: ['client'],
        },
        {
          name: 'server',
          // test:be is "tsc -p server && jest": the whole script runs, jest gets the flags after --.
          run: [
            'npm',
            'run',
            'test:be',
            '--',
            '--ci',
            '--roots=server',
            '--reporters=default',
            '--reporters=jest-junit',
          ],
          junit: 'reports/server/junit.xml',
          services: ['mongodb'],
          inputs: ['server'],
        },
      ],
      env: { CHROME_BIN: '/usr/bin/chromium', JEST_JUNIT_OUTPUT_FILE: 'reports/server/junit.xml' },
    });
    // test:becov runs the same jest over the same tests: no third suite.
    expect(detection.services.mongodb).toMatchObject({
      ready: { tcp: 27017 },
      env: { MONGODB_TEST_URI: 'mongodb://127.0.0.1:27017/test' },
    });
  });

  it('writes YAML that validates, says why the script runs whole, and what Karma and Jest still need', () => {
    const { text, config } = writtenConfig(FULLSTACK);
    expect(config.packages['angular-full-stack']?.test).toHaveLength(2);
    expect(Object.keys(config.services)).toEqual(['mongodb']);
    expect(text).toContain('# server/ holds an Express server: its tests run here');
    expect(text).toContain('# The "test:be" script runs "tsc -p server" before jest, so the suite runs');
    expect(text).toContain('# TODO: npm install --save-dev jest-junit');
    // No karma.conf.js: Angular's built-in config, and the steps to one that writes JUnit.
    expect(text).toContain('# TODO: Karma must run headless once and write reports/client/junit.xml');
    expect(text).toContain('write one with "npx ng generate config karma",');
    expect(text).toContain('# TODO: npm install --save-dev karma-junit-reporter');
    expect(text).toContain('# The tests read MONGODB_TEST_URI: waggle starts this service');
    expect(text).toContain('# .env sets MONGODB_TEST_URI too, for local runs');
    // The .env's values are not copied into waggle.yml.
    expect(text).not.toContain('angularfullstack');
    expect(text).not.toContain('catswillruletheworld');
  });

  it('says when the Express server beside the site has no suite', () => {
    const root = mkdtempSync(join(tmpdir(), 'waggle-init-'));
    cpSync(FULLSTACK, root, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    delete manifest.scripts['test:be'];
    delete manifest.scripts['test:becov'];
    writeFileSync(join(root, 'package.json'), JSON.stringify(manifest));
    const text = initialConfig(root, 'main');
    expect(text).not.toContain('its tests run here');
    expect(text).toContain(
      '# TODO: server/ holds an Express server, but no test script runs a test runner over it',
    );
    expect(() => parseConfig(text)).not.toThrow();
  });
});

describe('init narrows a shared runner to its half', () => {
  it('keeps Jest to server/ when its config would also find the client specs', () => {
    const root = repo(
      { name: 'duo', scripts: { test: 'ng test && jest' }, devDependencies: { 'jest-junit': '16' } },
      {
        'angular.json': JSON.stringify({
          projects: {
            duo: {
              root: 'client',
              architect: {
                test: { builder: '@angular/build:karma', options: { karmaConfig: 'karma.conf.js' } },
              },
            },
          },
        }),
        'karma.conf.js':
          "module.exports = (c) => c.set({ reporters: ['junit'], junitReporter: { outputDir: 'out', useBrowserName: false } });",
        'server/app.test.js': '',
      },
    );
    const [client, server] = (detectPackages(root).duo?.test ?? []) as DetectedSuite[];
    expect(client).toMatchObject({ junit: 'out/TESTS.xml', inputs: ['client'] });
    expect(server).toMatchObject({
      run: ['npx', 'jest', '--ci', '--roots=server', '--reporters=default', '--reporters=jest-junit'],
      junit: 'reports/server/junit.xml',
      inputs: ['server'],
    });
  });
});

describe('init on a plain Express package', () => {
  it('makes it a service started as its start script says, with Jest run once writing JUnit', () => {
    const { config, text } = writtenConfig(join(FIXTURES, 'detect-express'));
    expect(detectPackages(join(FIXTURES, 'detect-express'))).toEqual({
      'notes-api': {
        path: '.',
        build: false,
        outputs: ['src'],
        service: { port: 4001, start: ['node', 'src/index.js'] },
        test: {
          run: ['npx', 'jest', '--ci', '--reporters=default', '--reporters=jest-junit'],
          junit: 'reports/junit.xml',
        },
        env: { NODE_ENV: 'test', JEST_JUNIT_OUTPUT_FILE: 'reports/junit.xml' },
      },
    });
    // The tests start their own in-memory MongoDB: no service for them.
    expect(config.services).toEqual({});
    expect(text).toContain('# TODO: npm install --save-dev jest-junit');
    expect(text).toContain('Set by the "test" script; the build step sees it too.');
  });

  it('writes Vitest run once with its junit reporter, no tests as test: false, an unknown runner as junit: none', () => {
    const vitest = detectPackages(repo({ name: 'v', scripts: { test: 'vitest --watch' } }));
    expect(vitest.v?.test).toEqual({
      run: [
        'npx',
        'vitest',
        'run',
        '--reporter=default',
        '--reporter=junit',
        '--outputFile.junit=reports/junit.xml',
      ],
      junit: 'reports/junit.xml',
    });
    const none = detectPackages(
      repo({ name: 'n', scripts: { test: 'echo "Error: no test specified" && exit 1' } }),
    );
    expect(none.n?.test).toBe(false);
    expect(detectPackages(repo({ name: 'b', scripts: { build: 'tsc' } })).b).toEqual({
      path: '.',
      build: ['npm', 'run', 'build'],
      test: false,
    });
    const tap = repo({ name: 't', scripts: { test: 'tap test/*.js' } });
    expect(detectPackages(tap).t?.test).toEqual({ run: ['npm', 'test'], junit: 'none' });
    expect(initialConfig(tap, 'main')).toContain('cannot tell which runner "npm test" starts');
  });

  it('takes the start of a MongoDB service from a script that starts one', () => {
    const root = repo(
      { name: 'api', scripts: { test: 'jest', mongo: 'node tools/mongo.mjs' } },
      { 'test/setup.js': "process.env.MONGODB_URI ??= 'mongodb://127.0.0.1:27019/api';" },
    );
    expect(detectRepository(root).services.mongodb).toEqual({
      run: ['node', 'tools/mongo.mjs'],
      ready: { tcp: 27019 },
      env: { MONGODB_URI: 'mongodb://127.0.0.1:27019/api' },
    });
  });
});

describe('init on npm workspaces', () => {
  it('finds the reference app: services with ports, the Angular site, the library, suites writing JUnit', () => {
    const packages = detectPackages(REFERENCE_APP);
    expect(packages.shared).toEqual({
      path: 'back-end/shared',
      build: ['npm', 'run', 'build'],
      // jest-junit is set up in the shared jest preset, so the plain command writes it.
      test: { run: ['npx', 'jest', '--ci'], junit: 'reports/junit.xml' },
    });
    expect(packages.billing?.service?.port).toBeGreaterThanOrEqual(4001);
    expect(packages.web).toEqual({
      path: 'front-end',
      build: ['npm', 'run', 'build'],
      site: { dist: 'dist/front-end/browser' },
      test: {
        run: ['npx', 'ng', 'test', '--watch=false', '--browsers=ChromeHeadlessCI'],
        junit: 'reports/junit.xml',
      },
    });
    expect(Object.keys(packages)).toEqual(['shared', 'ai-model', 'platform', 'billing', 'admin', 'web']);
    // Its jest setup starts a MongoDB stand-in of its own.
    expect(detectRepository(REFERENCE_APP).services).toEqual({});
  });

  it('writes a config the schema accepts', () => {
    const { text } = writtenConfig(REFERENCE_APP);
    expect(parseConfig(text).trigger.branches).toEqual(['main']);
    expect(text).toContain('#     e2e: { path: e2e }');
    expect(() => detectPackages(join(tmpdir(), 'nowhere'))).toThrow('has no package.json');
  });

  it('refuses a root without package.json, naming the packages below it for a workspaces root', () => {
    const refused = (() => {
      try {
        detectRepository(join(FIXTURES, 'detect-no-root'));
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(NoRootPackageError);
    expect((refused as NoRootPackageError).folders).toEqual(['api', 'client']);
    expect((refused as Error).message).toContain('{"private": true, "workspaces": ["api", "client"]}');
  });
});
