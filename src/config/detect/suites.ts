/**
 * A package's suites: one for each unit-test runner its scripts start (and for an Angular test
 * target no script runs) over each folder, each named, narrowed to the folder it tests, given the
 * env it needs and the MongoDB service its tests use.
 */

import type { AngularProject } from '../junit/angular.js';
import { flagValues } from '../junit/flags.js';
import type { PackageManifest } from '../manifest.js';
import { backEndFolder } from './layout.js';
import { mongoService } from './mongo-service.js';
import { suiteName, uniqueName } from './names.js';
import { fromPackage } from './package-folder.js';
import { suiteArea } from './suite-area.js';
import { suiteCommand } from './suite-command.js';
import type { Context, DetectedSuite, Found, YamlPath } from './types.js';
import { unitInvocations } from './unit-invocations.js';

/** A package's test key, the env its suites need, and the comments for them in waggle.yml. */
export interface Suites {
  test: DetectedSuite | DetectedSuite[] | false;
  env?: Record<string, string>;
  notes: { path: YamlPath; lines: string[] }[];
  /** The folders of the package the suites test (client, server). */
  areas: string[];
}

export function detectSuites(
  context: Context,
  folder: string,
  manifest: PackageManifest,
  angular: AngularProject | undefined,
): Suites {
  const scripts = manifest.scripts ?? {};
  let found = unitInvocations(scripts).map((invocation) => ({ invocation }) as Found);
  if (
    angular?.test &&
    !found.some(({ invocation }) => invocation.runner === 'ng' || invocation.runner === 'karma')
  )
    found.unshift({
      invocation: {
        runner: 'ng',
        words: ['ng', 'test'],
        wrappers: [],
        env: {},
        cwd: fromPackage(folder, angular.workspace),
        last: false,
      },
    });
  const notes: Suites['notes'] = [];
  if (found.length === 0) {
    const script = scripts.test;
    if (!script || /no test specified/.test(script)) return { test: false, notes, areas: [] };
    notes.push({
      path: ['test'],
      lines: [
        `TODO: waggle cannot tell which runner "npm test" starts ("${script}"), so it cannot tell`,
        'where its JUnit file goes: junit: none passes the suite on its exit code alone. Name the',
        'JUnit file here once the runner writes one, and make sure the command ends (no watch mode).',
      ],
    });
    return { test: { run: ['npm', 'test'], junit: 'none' }, notes, areas: [] };
  }

  for (const item of found) item.area = suiteArea(context, folder, item.invocation, angular);
  found = sameSuitesOnce(found);
  if (found.length > 1) {
    const backEnd = backEndFolder(context.root, folder);
    for (const item of found)
      if (!item.area && backEnd && ['jest', 'vitest', 'mocha'].includes(item.invocation.runner)) {
        item.area = backEnd;
        item.narrow = true;
      }
    // `jest` narrowed to server/ is the same suite as a test:server script's `jest server`.
    found = sameSuitesOnce(found);
  }
  const names: string[] = [];
  for (const item of found) names.push(uniqueName(suiteName(item), names));

  const env: Record<string, string> = {};
  const suites = found.map((item, index) => {
    const name = names[index] as string;
    const single = found.length === 1;
    const target = single ? 'reports/junit.xml' : `reports/${name}/junit.xml`;
    const where: YamlPath = single ? ['test'] : ['test', index];
    const built = suiteCommand(context, folder, manifest, item, target, env, angular);
    for (const lines of built.notes) notes.push({ path: where, lines });
    for (const [key, { value, lines }] of Object.entries(built.env)) {
      if (env[key] !== undefined && env[key] !== value) {
        notes.push({
          path: where,
          lines: [`TODO: this suite needs ${key}=${value}, which another suite sets otherwise.`],
        });
        continue;
      }
      if (env[key] === undefined && lines) notes.push({ path: ['env', key], lines });
      env[key] = value;
    }
    const suite: DetectedSuite = { ...(single ? {} : { name }), run: built.run, junit: built.junit };
    const database =
      item.invocation.runner === 'ng' || item.invocation.runner === 'karma'
        ? undefined
        : mongoService(context, folder, manifest, item);
    if (database) suite.services = [database];
    if (!single && item.area) suite.inputs = [item.area];
    return suite;
  });
  return {
    test: suites.length === 1 ? (suites[0] as DetectedSuite) : suites,
    env,
    notes,
    areas: found.flatMap((item) => (item.area ? [item.area] : [])),
  };
}

/**
 * One suite for each runner over each folder: `"test": "npm run test:server && npm run test:client"`
 * reaches the runners of test:server and test:client twice. Of two, the one the scripts point at
 * the folder is kept rather than the one waggle narrowed, in the place of the first.
 */
function sameSuitesOnce(found: Found[]): Found[] {
  const kept: Found[] = [];
  for (const item of found) {
    const index = item.area
      ? kept.findIndex(
          (other) =>
            other.area === item.area &&
            sameRunner(other.invocation.runner, item.invocation.runner) &&
            configOf(other) === configOf(item),
        )
      : -1;
    if (index === -1) kept.push(item);
    else if (kept[index]?.narrow && !item.narrow) kept[index] = item;
  }
  return kept;
}

/** The config file a runner is given (`jest -c server/jest.int.js`): two configs, two suites. */
function configOf(item: Found): string {
  return flagValues(item.invocation.words, ['--config', '-c']).join(' ');
}

/** `ng test` runs Karma: the two are one runner over an Angular project. */
function sameRunner(a: string, b: string): boolean {
  const karma = (runner: string) => (runner === 'ng' ? 'karma' : runner);
  return karma(a) === karma(b);
}
