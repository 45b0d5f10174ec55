/**
 * The texts that tell whether a suite's tests use a database: its runner config, the setup files
 * that config names, the "jest" key of package.json, and the test files under the folder it tests.
 */
import { type Dirent, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { flagValues } from '../junit/flags.js';
import { readJson } from '../junit/repo-files.js';
import type { Context, Found } from './types.js';

/** Folders of dependencies, output and tools, which hold no tests of the package. */
const SKIPPED_FOLDERS = new Set([
  'node_modules',
  '.git',
  'dist',
  'build',
  'coverage',
  'reports',
  '.angular',
  '.waggle',
]);
/** Enough test files to find a database URL; a large repository is not read whole. */
const MAX_SCANNED_FILES = 400;

/** The text of a suite's runner config, its setup files and its test files. */
export function testTexts(context: Context, folder: string, item: Found): string[] {
  const { read, root } = context;
  const cwd = posix.join(folder, item.invocation.cwd);
  const texts: string[] = [];
  const configs = [
    'jest.config.js',
    'jest.config.ts',
    'jest.config.cjs',
    'jest.config.mjs',
    'jest.config.json',
    '.mocharc.js',
    '.mocharc.cjs',
    '.mocharc.json',
    '.mocharc.yml',
    '.mocharc.yaml',
    'vitest.config.ts',
    'vitest.config.js',
    'vitest.config.mts',
    'vite.config.ts',
    'vite.config.js',
  ];
  const [explicit] = flagValues(item.invocation.words, ['--config', '-c']);
  for (const path of [
    ...(explicit ? [posix.join(cwd, explicit)] : []),
    ...configs.map((name) => posix.join(cwd, name)),
  ]) {
    const text = read(path);
    if (text === undefined) continue;
    texts.push(text);
    // Setup files the config names: './x.js', '<rootDir>/x.ts'.
    for (const match of text.matchAll(/['"](<rootDir>\/|\.{1,2}\/)([^'"]+\.[cm]?[jt]s)['"]/g)) {
      const base =
        match[1] === '<rootDir>/' ? posix.dirname(path) : posix.join(posix.dirname(path), match[1] as string);
      const referenced = read(posix.join(base, match[2] as string));
      if (referenced !== undefined) texts.push(referenced);
    }
  }
  const jest = readJson(read, posix.join(folder, 'package.json'))?.jest;
  if (jest) texts.push(JSON.stringify(jest));
  const start = item.area ? posix.join(folder, item.area) : folder;
  const pending = [start];
  let scanned = 0;
  while (pending.length > 0 && scanned < MAX_SCANNED_FILES) {
    const dir = pending.shift() as string;
    let entries: Dirent[];
    try {
      entries = readdirSync(join(root, dir), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = posix.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) pending.push(path);
      } else if (entry.isFile() && isTestFile(path) && scanned++ < MAX_SCANNED_FILES) {
        const text = read(path);
        if (text !== undefined) texts.push(text);
      }
    }
  }
  return texts;
}

function isTestFile(path: string): boolean {
  if (!/\.[cm]?[jt]sx?$/.test(path)) return false;
  return (
    /\.(test|spec)\.[cm]?[jt]sx?$/.test(path) ||
    /(^|\/)(tests?|__tests__|specs?)\//.test(path) ||
    /setup|teardown/i.test(posix.basename(path))
  );
}
