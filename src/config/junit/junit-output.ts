/** Where an invocation's JUnit file goes, asked of the reader for its runner. */
import { jestOutput } from './jest.js';
import { karmaStartOutput } from './karma.js';
import { mochaOutput } from './mocha.js';
import { ngTestOutput } from './ng-test.js';
import { repoPath } from './repo-files.js';
import type { Invocation, JUnitOutput, JUnitReader, ReadFile, Runner } from './types.js';
import { vitestOutput } from './vitest.js';

/** The runners whose JUnit file can be told; for the others (Playwright, Cypress) it is unknown. */
const READERS: Partial<Record<Runner, JUnitReader>> = {
  jest: jestOutput,
  mocha: mochaOutput,
  vitest: vitestOutput,
  karma: karmaStartOutput,
  ng: ngTestOutput,
};

/** Where an invocation's JUnit file goes. `pkg` is the package folder; `env` what the suite gets. */
export function junitOutput(
  invocation: Invocation,
  pkg: string,
  env: Record<string, string>,
  read: ReadFile,
): JUnitOutput {
  const reader = READERS[invocation.runner];
  if (!reader) return { kind: 'unknown' };
  return reader({
    words: invocation.words,
    cwd: repoPath(pkg, invocation.cwd),
    pkg,
    env: { ...env, ...invocation.env },
    read,
  });
}
