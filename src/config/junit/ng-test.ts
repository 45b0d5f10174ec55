/** Where `ng test` writes its JUnit file: through Karma or Vitest, as the project's test target says. */
import { angularProject } from './angular.js';
import { flagValues, positionals } from './flags.js';
import { karmaOutput } from './karma.js';
import { repoPath } from './repo-files.js';
import type { JUnitOutput, RunnerCall } from './types.js';

/** Flags of `ng test` that take the next word as their value, so it is no project name. */
const NG_VALUE_FLAGS = [
  '--browsers',
  '--karma-config',
  '--reporters',
  '--output-file',
  '--configuration',
  '-c',
];

export function ngTestOutput({ words, cwd, read }: RunnerCall): JUnitOutput {
  const projectName = positionals(words.slice(2), NG_VALUE_FLAGS)[0];
  const project = angularProject(read, cwd, projectName);
  if (!project?.test) return { kind: 'unknown' };
  const reporters = flagValues(words, ['--reporters']);
  if (project.test.runner === 'karma') {
    const [override] = flagValues(words, ['--karma-config', '--karmaConfig']);
    return karmaOutput(override ? repoPath(cwd, override) : project.test.config, reporters, read);
  }
  if (project.test.runner !== 'vitest') return { kind: 'unknown' };
  const file = flagValues(words, ['--output-file', '--outputFile']).at(-1);
  if (reporters.includes('junit') && file) return { kind: 'file', path: repoPath(cwd, file) };
  return {
    kind: 'missing',
    problem:
      'ng test (Vitest) writes no JUnit file: add --reporters=junit --reporters=default --output-file={junit}',
  };
}
