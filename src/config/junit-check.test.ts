import { describe, expect, it } from 'vitest';
import { files } from '../../test/helpers/file-map.js';
import { configJUnitWarnings, junitWarnings, type SuiteUnderCheck } from './junit-check.js';
import { parseConfig } from './load.js';

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
