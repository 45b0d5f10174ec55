/**
 * The Jest configuration a `jest` command uses, as text: --config (a file or inline JSON),
 * jest.config.*, or the "jest" key of package.json; with its rootDir and its reporters, a
 * relative preset's included.
 */
import { posix } from 'node:path';
import { blockOf, stripComments, topLevelKey, writtenValue } from './config-text.js';
import { flagValues } from './flags.js';
import { firstFile, readJson, repoPath } from './repo-files.js';
import type { ReadFile } from './types.js';

const JEST_CONFIGS = [
  'jest.config.js',
  'jest.config.ts',
  'jest.config.mjs',
  'jest.config.cjs',
  'jest.config.json',
];

export interface JestConfig {
  path: string;
  dir: string;
  rootDir: string;
  text: string;
  /** The reporters array's text, undefined when none is set, 'unknown' when it cannot be read. */
  reporters: string | undefined | 'unknown';
}

export function jestConfig(
  words: string[],
  cwd: string,
  pkg: string,
  read: ReadFile,
): JestConfig | undefined {
  const [explicit] = flagValues(words, ['--config', '-c']);
  let found: { path: string; text: string } | undefined;
  if (explicit?.trimStart().startsWith('{')) found = { path: 'the --config option', text: explicit };
  else if (explicit) {
    const text = read(repoPath(cwd, explicit));
    if (text === undefined) return undefined;
    found = { path: repoPath(cwd, explicit), text: stripComments(text) };
  } else found = firstFile(read, cwd, JEST_CONFIGS);
  if (!found) {
    for (const dir of new Set([cwd, pkg])) {
      const manifest = readJson(read, repoPath(dir, 'package.json'));
      if (manifest) {
        const jest = manifest.jest;
        found = {
          path: repoPath(dir, 'package.json'),
          text: jest === undefined ? '{}' : JSON.stringify(jest),
        };
        break;
      }
    }
  }
  if (!found) return undefined;
  const dir = found.path.startsWith('the ') ? cwd : posix.dirname(found.path);
  const rootValue = writtenValue(found.text, 'rootDir');
  const [cliRoot] = flagValues(words, ['--rootDir']);
  const rootDir = cliRoot
    ? repoPath(cwd, cliRoot)
    : rootValue?.kind === 'string' || rootValue?.kind === 'dirname'
      ? repoPath(dir, rootValue.value)
      : dir;
  let reporters: JestConfig['reporters'];
  if (topLevelKey(found.text, 'reporters') !== undefined)
    reporters = blockOf(found.text, 'reporters') ?? 'unknown';
  else {
    // A preset's reporters apply when the config sets none; presets from node_modules set none.
    const preset = writtenValue(found.text, 'preset');
    if (preset?.kind === 'string' && preset.value.startsWith('.')) {
      const file = repoPath(rootDir, preset.value);
      const text =
        read(file) ?? read(repoPath(file, 'jest-preset.js')) ?? read(repoPath(file, 'jest-preset.json'));
      const presetText = text === undefined ? undefined : stripComments(text);
      reporters =
        presetText === undefined
          ? 'unknown'
          : topLevelKey(presetText, 'reporters') === undefined
            ? undefined
            : (blockOf(presetText, 'reporters') ?? 'unknown');
      if (presetText !== undefined) found = { path: found.path, text: `${found.text}\n${presetText}` };
    } else if (preset && preset.kind !== 'string') reporters = 'unknown';
  }
  return { path: found.path, dir, rootDir, text: found.text, reporters };
}
