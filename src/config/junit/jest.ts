/**
 * Where Jest writes its JUnit file through jest-junit: whether the reporter is on (--reporters,
 * the config's reporters, or testResultsProcessor), then jest-junit's own settings in its order.
 */
import { balanced, type Written, writtenValue } from './config-text.js';
import { flagValues } from './flags.js';
import { jestConfig } from './jest-config.js';
import { placed, readJson, repoPath } from './repo-files.js';
import { binName } from './runner-bin.js';
import type { JUnitOutput, RunnerCall } from './types.js';

export function jestOutput({ words, cwd, pkg, env, read }: RunnerCall): JUnitOutput {
  const config = jestConfig(words, cwd, pkg, read);
  if (!config) return { kind: 'unknown' };
  const cliReporters = flagValues(words, ['--reporters']);
  let options: string | undefined;
  let hasJunit: boolean;
  if (cliReporters.length > 0) hasJunit = cliReporters.some((name) => binName(name) === 'jest-junit');
  else {
    const reporters = config.reporters;
    if (reporters === 'unknown') return { kind: 'unknown' };
    const junitAt = reporters ? /(['"])jest-junit\1/.exec(reporters) : null;
    hasJunit = junitAt !== null || /testResultsProcessor\s*:\s*(['"])jest-junit\1/.test(config.text);
    if (reporters && junitAt) {
      const after = reporters.slice(junitAt.index + junitAt[0].length);
      const open = /^\s*,\s*\{/.exec(after);
      if (open) options = balanced(after, open[0].length - 1);
    }
  }
  const fix = `add --reporters=default --reporters=jest-junit to the command and JEST_JUNIT_OUTPUT_FILE: {junit} to the package's env, or jest-junit to "reporters" in ${config.path}`;
  if (!hasJunit) return { kind: 'missing', problem: `jest has no jest-junit reporter: ${fix}` };

  // jest-junit's precedence: reporter options, then the "jest-junit" key of package.json, then env.
  const fromPackage = readJson(read, repoPath(cwd, 'package.json'))?.['jest-junit'];
  const setting = (key: string, variable: string): Written | undefined => {
    if (env[variable] !== undefined)
      return env[variable].includes('${{') ? { kind: 'other' } : { kind: 'string', value: env[variable] };
    const packageValue = (fromPackage as Record<string, unknown> | undefined)?.[key];
    if (typeof packageValue === 'string') return { kind: 'string', value: packageValue };
    return options === undefined ? undefined : writtenValue(options, key);
  };
  const unique = setting('uniqueOutputName', 'JEST_JUNIT_UNIQUE_OUTPUT_NAME');
  const isFalse =
    unique?.kind === 'boolean' ? !unique.value : unique?.kind === 'string' && unique.value === 'false';
  if (unique && !isFalse) return { kind: 'unknown' };
  const file = setting('outputFile', 'JEST_JUNIT_OUTPUT_FILE');
  const where = (value: Written) => placed(value, cwd, config.dir, config.rootDir);
  let path: string | undefined;
  if (file) path = where(file);
  else {
    const directory = setting('outputDirectory', 'JEST_JUNIT_OUTPUT_DIR') ?? { kind: 'string', value: '.' };
    const name = setting('outputName', 'JEST_JUNIT_OUTPUT_NAME') ?? { kind: 'string', value: 'junit.xml' };
    const folder = where(directory);
    path = folder !== undefined && name.kind === 'string' ? repoPath(folder, name.value) : undefined;
  }
  return path === undefined ? { kind: 'unknown' } : { kind: 'file', path, reporter: 'jest-junit' };
}
