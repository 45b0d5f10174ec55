/**
 * What Karma (directly or through `ng test`) needs to run headless once and write JUnit, read
 * from its config file: the launcher to name, CHROME_BIN, and the lines to add to the config.
 */
import { posix } from 'node:path';
import type { AngularProject } from '../junit/angular.js';
import { stripComments } from '../junit/config-text.js';
import { positionals } from '../junit/flags.js';
import type { Invocation } from '../junit/types.js';
import type { PackageManifest } from '../manifest.js';
import { dependsOn } from './package-folder.js';
import type { Context, SuiteEnv } from './types.js';

/** CHROME_BIN where a package brings no Chrome of its own (puppeteer): Debian's chromium. */
const CHROMIUM = '/usr/bin/chromium';
/** The launcher waggle asks karma.conf.js for: headless Chrome without the sandbox CI lacks. */
const HEADLESS_LAUNCHER = 'ChromeHeadlessCI';

/** What Karma needs to run headless once and write JUnit, from its config file. */
export function karmaSetup(
  context: Context,
  folder: string,
  manifest: PackageManifest,
  invocation: Invocation,
  angular: AngularProject | undefined,
  target: string,
  writes: boolean,
): { launcher: string; env: SuiteEnv; notes: string[][] } {
  const { read } = context;
  const cwd = posix.join(folder, invocation.cwd);
  const config =
    invocation.runner === 'karma'
      ? posix.join(
          cwd,
          positionals(invocation.words.slice(2), ['--browsers', '--reporters'])[0] ?? 'karma.conf.js',
        )
      : angular?.test?.config;
  const raw = config === undefined ? undefined : read(config);
  const text = raw === undefined ? '' : stripComments(raw);
  const launcher =
    /(\w+)\s*:\s*\{[^{}]*base\s*:\s*['"]ChromeHeadless['"]/.exec(text)?.[1] ?? HEADLESS_LAUNCHER;
  const notes: string[][] = [];
  const file = config ?? posix.join(angular?.root ?? cwd, 'karma.conf.js');
  const outputDir = posix.relative(posix.dirname(file), posix.join(folder, posix.dirname(target))) || '.';
  const steps: string[] = [];
  if (raw === undefined)
    steps.push(
      `Karma runs with Angular's built-in config: write one with "npx ng generate config karma"${angular && angular.workspace !== '.' ? ` in ${angular.workspace}/` : ''},`,
      "set karmaConfig (or runnerConfig: true) in angular.json's test options, then in it:",
    );
  if (!new RegExp(`\\b${launcher}\\s*:`).test(text))
    steps.push(
      `customLaunchers: { ${HEADLESS_LAUNCHER}: { base: 'ChromeHeadless',`,
      "  flags: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] } },",
    );
  if (!writes)
    steps.push(
      "reporters: [..., 'junit'], plugins: [..., require('karma-junit-reporter')],",
      `junitReporter: { outputDir: '${outputDir}', outputFile: '${posix.basename(target)}', useBrowserName: false },`,
    );
  if (steps.length > 0)
    notes.push([
      `TODO: Karma must run headless once and write ${target}; add to ${file}:`,
      ...steps.map((line) => `  ${line}`),
    ]);
  const env: SuiteEnv = {};
  if (!/CHROME_BIN/.test(text) && !dependsOn(manifest, 'puppeteer'))
    env.CHROME_BIN = {
      value: CHROMIUM,
      lines: ["Where Chrome or Chromium is on the machine that runs the tests: Karma's launcher reads it."],
    };
  return { launcher, env, notes };
}
