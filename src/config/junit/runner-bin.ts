/**
 * Which test runner a command's words start, by the binary's name: `npx jest`, `nyc mocha`,
 * `node_modules/.bin/vitest`. A runner only counts with a subcommand that runs tests.
 */
import { posix } from 'node:path';
import type { Invocation, Runner } from './types.js';

const RUNNER_BINS: Record<string, Runner> = {
  jest: 'jest',
  mocha: 'mocha',
  _mocha: 'mocha',
  vitest: 'vitest',
  karma: 'karma',
  ng: 'ng',
  '@angular/cli': 'ng',
  playwright: 'playwright',
  '@playwright/test': 'playwright',
  cypress: 'cypress',
};
/** A runner name only counts with a subcommand that runs tests (ng build is no test run). */
const SUBCOMMANDS: Partial<Record<Runner, (next: string | undefined) => boolean>> = {
  ng: (next) => next === 'test' || next === 't',
  karma: (next) => next === 'start',
  playwright: (next) => next === 'test',
  cypress: (next) => next === 'run',
  vitest: (next) => next === undefined || !['bench', 'list', 'init'].includes(next),
};

/** The first word that is a known runner (with a subcommand that runs tests), and what wraps it. */
export function runnerIn(words: string[]): Omit<Invocation, 'env' | 'cwd' | 'script' | 'last'> | undefined {
  // What only finds the binary (npx jest, npm exec -- jest, yarn jest) is not kept as a wrapper.
  let start = 0;
  if (['npx', 'pnpx', 'bunx', 'yarn', 'pnpm'].includes(words[0] ?? '')) start = 1;
  else if (words[0] === 'npm' && (words[1] === 'exec' || words[1] === 'x')) start = 2;
  if (start > 0 && ['exec', 'dlx'].includes(words[start] ?? '')) start++;
  while (words[start]?.startsWith('-')) start++;
  for (let index = start; index < words.length; index++) {
    const runner = RUNNER_BINS[binName(words[index] as string)];
    if (!runner) continue;
    const accepts = SUBCOMMANDS[runner];
    if (accepts && !accepts(words[index + 1])) return undefined;
    return { runner, words: words.slice(index), wrappers: words.slice(start, index) };
  }
  return undefined;
}

/** `node_modules/.bin/jest`, `node_modules/jest/bin/jest.js`, `jest` -> `jest`. */
export function binName(word: string): string {
  const at = word.lastIndexOf('node_modules/');
  if (at !== -1) {
    const rest = word.slice(at + 'node_modules/'.length);
    if (rest.startsWith('.bin/')) return rest.slice(5);
    const parts = rest.split('/');
    return rest.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
  }
  return posix.basename(word).replace(/\.(c|m)?js$/, '');
}
