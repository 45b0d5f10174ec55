/**
 * A suite's command: the runner's own words, run once (no watch mode), with what makes it write
 * JUnit where the suite looks, and TODOs for what waggle cannot change itself.
 */
import { posix } from 'node:path';
import type { AngularProject } from '../junit/angular.js';
import { junitOutput } from '../junit/junit-output.js';
import { declares } from '../junit/repo-files.js';
import type { Invocation } from '../junit/types.js';
import type { PackageManifest } from '../manifest.js';
import { karmaSetup } from './karma-setup.js';
import { suiteName } from './names.js';
import { fromPackage } from './package-folder.js';
import { quoted, sameWords, stepsBefore } from './script-steps.js';
import type { Argv, Context, Found, SuiteEnv } from './types.js';

/** A suite's command and JUnit path, the env it needs, and comments for it in waggle.yml. */
export interface BuiltSuite {
  run: Argv;
  junit: string;
  env: SuiteEnv;
  notes: string[][];
}

/** The suite's command: the runner's own words, run once, with what makes it write JUnit. */
export function suiteCommand(
  context: Context,
  folder: string,
  manifest: PackageManifest,
  item: Found,
  target: string,
  packageEnv: Record<string, string>,
  angular: AngularProject | undefined,
): BuiltSuite {
  const { read } = context;
  const invocation = item.invocation;
  const cwd = posix.join(folder, invocation.cwd);
  const targetFromCwd = posix.relative(cwd, posix.join(folder, target)) || target;
  const built: BuiltSuite = { run: [], junit: target, env: {}, notes: [] };
  for (const [key, value] of Object.entries(invocation.env))
    built.env[key] = {
      value,
      lines: [`Set by the "${invocation.script ?? 'test'}" script; the build step sees it too.`],
    };
  const existing = junitOutput(invocation, folder, {}, read);
  const writes = existing.kind === 'file';
  if (writes) built.junit = fromPackage(folder, existing.path);

  let words = [...invocation.words];
  const added: string[] = [];
  let reporter = writes ? existing.reporter : undefined;
  const angularRunner = angular?.test?.runner;
  const runner =
    invocation.runner !== 'ng' || angularRunner === 'karma' || angularRunner === undefined
      ? invocation.runner
      : angularRunner === 'vitest'
        ? 'ng-vitest'
        : 'ng-other';
  switch (runner) {
    case 'jest':
      words = words.filter((word) => !/^--watch(All)?(=true)?$/.test(word));
      if (!words.includes('--ci')) added.push('--ci');
      if (item.narrow && item.area) added.push(`--roots=${item.area}`);
      if (!writes) {
        added.push('--reporters=default', '--reporters=jest-junit');
        reporter = 'jest-junit';
        if (packageEnv.JEST_JUNIT_OUTPUT_FILE === undefined)
          built.env.JEST_JUNIT_OUTPUT_FILE = {
            value: targetFromCwd,
            lines: ['Where jest-junit writes the JUnit file (steps see only the variables named here).'],
          };
        else
          built.notes.push([
            `TODO: JEST_JUNIT_OUTPUT_FILE already serves another suite: set jest-junit's outputFile to ${target}`,
            "in this suite's jest config instead.",
          ]);
      }
      break;
    case 'vitest':
      if (words[1] === 'watch' || words[1] === 'dev') words[1] = 'run';
      else if (words[1] !== 'run' && words[1] !== 'related') words.splice(1, 0, 'run');
      words = words.filter((word) => word !== '--watch' && word !== '-w');
      if (item.narrow && item.area) added.push(item.area);
      if (!writes)
        added.push('--reporter=default', '--reporter=junit', `--outputFile.junit=${targetFromCwd}`);
      break;
    case 'mocha':
      words = words.filter((word) => word !== '--watch' && word !== '-w');
      if (existing.kind === 'missing') {
        added.push('--reporter', 'mocha-junit-reporter', '--reporter-options', `mochaFile=${targetFromCwd}`);
        reporter = 'mocha-junit-reporter';
        built.notes.push([
          'mocha-junit-reporter replaces the console reporter: the log shows no test names.',
        ]);
      } else if (!writes) built.notes.push([`TODO: check that mocha's reporter writes JUnit to ${target}.`]);
      break;
    case 'ng-vitest':
      words = words.filter((word) => !/^--watch(=true)?$/.test(word));
      added.push('--watch=false');
      if (!writes) added.push('--reporters=junit', '--reporters=default', `--output-file=${targetFromCwd}`);
      break;
    case 'ng-other':
      words = words.filter((word) => !/^--watch(=true)?$/.test(word));
      added.push('--watch=false');
      if (!writes)
        built.notes.push([`TODO: check that ng test's builder writes its JUnit file to ${target}.`]);
      break;
    case 'ng':
    case 'karma': {
      const karma = karmaSetup(context, folder, manifest, invocation, angular, target, writes);
      words = words.filter(
        (word, index) =>
          !/^--(watch|single-run|no-single-run|browsers)(=.*)?$/.test(word) &&
          !(words[index - 1] === '--browsers'),
      );
      added.push(
        ...(runner === 'ng'
          ? ['--watch=false', `--browsers=${karma.launcher}`]
          : ['--single-run', '--browsers', karma.launcher]),
      );
      Object.assign(built.env, karma.env);
      built.notes.push(...karma.notes);
      reporter = 'karma-junit-reporter';
      break;
    }
  }

  if (reporter && !declares(read, folder, reporter))
    built.notes.push([`TODO: npm install --save-dev ${reporter}: the runner needs it to write JUnit.`]);

  if (invocation.cwd === '.') {
    const steps = stepsBefore(manifest.scripts ?? {}, invocation);
    // `"test:be": "tsc -p server && jest"`: run the script, so the suite fails where it does, with
    // the flags after `--`, which npm hands to its last command, the runner. When the runner's own
    // words had to change (a watch flag) or the script starts other runners, run the runner alone.
    if (steps.length > 0 && invocation.script && invocation.last && sameWords(words, invocation.words)) {
      built.run = ['npm', 'run', invocation.script, '--', ...added];
      built.notes.unshift([
        `The "${invocation.script}" script runs ${quoted(steps)} before ${invocation.runner}, so the suite runs`,
        `the whole script; npm hands the flags after -- to ${invocation.runner}, its last command.`,
      ]);
      return built;
    }
    const first = invocation.wrappers[0] ?? words[0] ?? '';
    const npx = first !== 'node' && !first.includes('/') ? ['npx'] : [];
    built.run = [...npx, ...invocation.wrappers, ...words, ...added];
    if (steps.length > 0)
      built.notes.unshift([
        `TODO: the "${invocation.script}" script runs ${quoted(steps)} before ${invocation.runner}, which this`,
        'suite does not: if the tests need it, make it part of the build step.',
      ]);
    return built;
  }
  // The runner runs from a subfolder (cd client && ng test): only its npm script can take it there.
  if (invocation.script && invocation.last) {
    built.run = ['npm', 'run', invocation.script, '--', ...added];
    if (watching(invocation))
      built.notes.push([
        `TODO: the "${invocation.script}" script runs in watch mode: remove its watch flag.`,
      ]);
  } else {
    const script = `test:${suiteName(item)}`;
    built.run = ['npm', 'run', script, '--', ...added];
    built.notes.push([
      `TODO: ${invocation.words[0]} must run from ${invocation.cwd}/, which no script ending in it does: add`,
      `"${script}": "cd ${invocation.cwd} && ${invocation.words.join(' ')}" to package.json's scripts.`,
    ]);
  }
  return built;
}

/** Whether the runner's own words put it in watch mode (it would never end). */
function watching(invocation: Invocation): boolean {
  const sub = invocation.words[1];
  return (
    invocation.words.some((word) => /^(--watch(All)?(=true)?|-w)$/.test(word)) ||
    (invocation.runner === 'vitest' && (sub === 'watch' || sub === 'dev'))
  );
}
