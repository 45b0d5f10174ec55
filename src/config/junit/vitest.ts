/** Where Vitest writes its JUnit file: the junit reporter and its outputFile, from flags or the config. */
import { posix } from 'node:path';
import { blockOf, stringsIn, type Written, writtenValue } from './config-text.js';
import { flagValues } from './flags.js';
import { configFile, placed } from './repo-files.js';
import type { JUnitOutput, RunnerCall } from './types.js';

const VITEST_CONFIGS = ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'].flatMap((ext) => [
  `vitest.config.${ext}`,
  `vite.config.${ext}`,
]);

export function vitestOutput({ words, cwd, read }: RunnerCall): JUnitOutput {
  if (flagValues(words, ['--root', '-r', '--dir']).length > 0) return { kind: 'unknown' };
  const [explicit] = flagValues(words, ['--config', '-c']);
  const file = configFile(read, cwd, explicit, VITEST_CONFIGS);
  const test = file ? (blockOf(file.text, 'test') ?? '') : '';
  if (file && writtenValue(test, 'root')) return { kind: 'unknown' };
  const cliReporters = flagValues(words, ['--reporter']);
  const configReporters = blockOf(test, 'reporters');
  const reporters =
    cliReporters.length > 0 ? cliReporters : configReporters ? stringsIn(configReporters) : [];
  const fix = 'add --reporter=default --reporter=junit --outputFile.junit={junit}';
  if (!reporters.includes('junit'))
    return { kind: 'missing', problem: `vitest has no junit reporter: ${fix}` };
  const cliFile =
    flagValues(words, ['--outputFile.junit']).at(-1) ?? flagValues(words, ['--outputFile']).at(-1);
  let output: Written | undefined = cliFile === undefined ? undefined : { kind: 'string', value: cliFile };
  if (!output) {
    const value = writtenValue(test, 'outputFile');
    const block = blockOf(test, 'outputFile');
    output = block ? writtenValue(block, 'junit') : value;
  }
  if (!output) return { kind: 'missing', problem: `vitest's junit reporter prints to the console: ${fix}` };
  const path = placed(output, cwd, file ? posix.dirname(file.path) : cwd, cwd);
  return path === undefined ? { kind: 'unknown' } : { kind: 'file', path };
}
