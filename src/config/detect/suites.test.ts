import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DetectedSuite, detectRepository, initialConfig } from '../detect.js';
import { parseConfig } from '../load.js';

/** A one-package repository holding `manifest` and `files`. */
function repo(manifest: object, files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'waggle-suites-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify(manifest));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('the suites init finds in npm test and the test:* scripts', () => {
  it('runs each runner over each folder once, however many scripts reach it', () => {
    const root = repo(
      {
        name: 'shop',
        scripts: {
          test: 'npm run test:server && npm run test:client',
          'test:server': 'mocha "server/**/*.spec.js"',
          'test:client': 'vitest client',
          'test:cov': 'nyc mocha "server/**/*.spec.js"',
          'test:watch': 'vitest client --watch',
          'test:e2e': 'playwright test',
        },
        devDependencies: { 'mocha-junit-reporter': '2' },
      },
      { 'server/cats.spec.js': '', 'client/cats.test.ts': '' },
    );
    const detection = detectRepository(root);
    const suites = detection.packages.shop?.test as DetectedSuite[];
    expect(suites.map(({ name, inputs }) => ({ name, inputs }))).toEqual([
      { name: 'server', inputs: ['server'] },
      { name: 'client', inputs: ['client'] },
    ]);
    expect(suites[1]?.run).toEqual([
      'npx',
      'vitest',
      'run',
      'client',
      '--reporter=default',
      '--reporter=junit',
      '--outputFile.junit=reports/client/junit.xml',
    ]);
    // The end-to-end script is an environment's e2e, not a suite.
    expect(detection.e2e).toEqual([{ path: '.', tool: 'playwright' }]);
  });

  it('reads the test:* scripts even when npm test starts a runner', () => {
    const root = repo({
      name: 'duo',
      scripts: { test: 'vitest', 'test-api': 'mocha api', 'test:types': 'tsc --noEmit' },
    });
    const suites = detectRepository(root).packages.duo?.test as DetectedSuite[];
    expect(suites.map((suite) => suite.run.slice(0, 3))).toEqual([
      ['npx', 'vitest', 'run'],
      ['npx', 'mocha', 'api'],
    ]);
  });

  it('takes two scripts running one runner over the same folder for one suite', () => {
    const root = repo(
      {
        name: 'api',
        scripts: { test: 'mocha "server/**/*.spec.js"', 'test:server': 'mocha server --recursive' },
      },
      { 'server/app.spec.js': '' },
    );
    expect(detectRepository(root).packages.api?.test).toMatchObject({
      run: [
        'npx',
        'mocha',
        'server/**/*.spec.js',
        '--reporter',
        'mocha-junit-reporter',
        '--reporter-options',
        'mochaFile=reports/junit.xml',
      ],
    });
  });

  it('leaves out a test:* script running part of what npm test already runs whole', () => {
    const root = repo({
      name: 'api',
      scripts: { test: 'jest', 'test:unit': 'jest --selectProjects unit', 'test:int': 'jest integration' },
    });
    expect(detectRepository(root).packages.api?.test).toMatchObject({
      run: ['npx', 'jest', '--ci', '--reporters=default', '--reporters=jest-junit'],
    });
  });

  it('runs a script with steps before its runner whole, or the runner alone when its words must change', () => {
    const whole = repo({ name: 'w', scripts: { test: 'tsc -p server && NODE_ENV=test jest --runInBand' } });
    expect(detectRepository(whole).packages.w?.test).toMatchObject({
      run: ['npm', 'run', 'test', '--', '--ci', '--reporters=default', '--reporters=jest-junit'],
    });
    const watching = repo({
      name: 'a',
      scripts: { test: 'npm run build:server && jest --watchAll', 'build:server': 'tsc -p server' },
    });
    expect(detectRepository(watching).packages.a?.test).toMatchObject({
      run: ['npx', 'jest', '--ci', '--reporters=default', '--reporters=jest-junit'],
    });
    const text = initialConfig(watching, 'main');
    expect(text).toContain('# TODO: the "test" script runs "npm run build:server" before jest, which this');
    expect(() => parseConfig(text)).not.toThrow();
    // A script that starts two runners is no preliminary step of either.
    const two = repo({ name: 't', scripts: { test: 'vitest run && jest' } });
    const suites = detectRepository(two).packages.t?.test as DetectedSuite[];
    expect(suites.map((suite) => suite.run[1])).toEqual(['vitest', 'jest']);
  });
});
