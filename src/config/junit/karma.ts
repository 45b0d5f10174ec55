/**
 * Where Karma writes its JUnit file through karma-junit-reporter: its reporters, plugins and
 * junitReporter block in karma.conf.js, for `karma start` and for `ng test`.
 */
import { posix } from 'node:path';
import { balanced, blockOf, stringsIn, stripComments, topLevelKey, writtenValue } from './config-text.js';
import { flagValues, positionals } from './flags.js';
import { placed, repoPath } from './repo-files.js';
import type { JUnitOutput, ReadFile, RunnerCall } from './types.js';

const KARMA_SETUP =
  "add 'junit' to reporters (and require('karma-junit-reporter') to plugins) and junitReporter: { outputDir, outputFile: 'junit.xml', useBrowserName: false }";

/** `karma start [config]`: the config it names, or karma.conf.js in the folder it runs in. */
export function karmaStartOutput({ words, cwd, read }: RunnerCall): JUnitOutput {
  const [config] = flagValues(words, ['--config']);
  const positional = positionals(words.slice(2), ['--config', '--reporters', '--browsers', '--port'])[0];
  const file = repoPath(cwd, config ?? positional ?? 'karma.conf.js');
  return karmaOutput(read(file) === undefined ? undefined : file, flagValues(words, ['--reporters']), read);
}

/** Karma through karma-junit-reporter, with `config` its config file (none: Angular's built-in one). */
export function karmaOutput(
  config: string | undefined,
  cliReporters: readonly string[],
  read: ReadFile,
): JUnitOutput {
  if (config === undefined)
    return {
      kind: 'missing',
      problem: `Karma runs with Angular's built-in config, which has no JUnit reporter: write karma.conf.js with "ng generate config karma", then ${KARMA_SETUP}`,
    };
  const raw = read(config);
  if (raw === undefined) return { kind: 'unknown' };
  const whole = stripComments(raw);
  const set = /config\.set\(\s*\{/.exec(whole);
  const text = (set && balanced(whole, set.index + set[0].length - 1)) ?? whole;
  const block = blockOf(text, 'reporters');
  if (cliReporters.length === 0 && block === undefined && topLevelKey(text, 'reporters') !== undefined)
    return { kind: 'unknown' };
  const reporters = cliReporters.length > 0 ? [...cliReporters] : block ? stringsIn(block) : ['progress'];
  if (!reporters.includes('junit'))
    return { kind: 'missing', problem: `${config} has no junit reporter: ${KARMA_SETUP}` };
  const plugins = blockOf(text, 'plugins');
  if (plugins !== undefined && !plugins.includes('karma-junit-reporter') && !/karma-\*/.test(plugins))
    return {
      kind: 'missing',
      problem: `${config} lists plugins without karma-junit-reporter: add require('karma-junit-reporter')`,
    };
  const dir = posix.dirname(config);
  const options = blockOf(text, 'junitReporter') ?? '';
  const useBrowserName = writtenValue(options, 'useBrowserName');
  if (useBrowserName === undefined || (useBrowserName.kind === 'boolean' && useBrowserName.value))
    return {
      kind: 'missing',
      problem: `${config} puts the JUnit file in a folder named after the browser and its version: set useBrowserName: false in junitReporter`,
    };
  if (useBrowserName.kind !== 'boolean') return { kind: 'unknown' };
  const basePath = writtenValue(text, 'basePath');
  const base = basePath === undefined ? dir : placed(basePath, dir, dir, dir);
  const outputDir = writtenValue(options, 'outputDir');
  const folder = base === undefined ? undefined : outputDir ? placed(outputDir, base, dir, base) : base;
  const outputFile = writtenValue(options, 'outputFile');
  if (folder === undefined || (outputFile && outputFile.kind !== 'string')) return { kind: 'unknown' };
  if (outputFile?.kind === 'string' && posix.isAbsolute(outputFile.value)) return { kind: 'unknown' };
  const name = outputFile?.kind === 'string' ? outputFile.value : 'TESTS.xml';
  return { kind: 'file', path: repoPath(folder, name), reporter: 'karma-junit-reporter' };
}
