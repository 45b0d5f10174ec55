/**
 * The texts that tell whether a suite's tests use a database: its runner config, the setup files
 * that config names, the "jest" key of package.json and the test files under the folder it tests;
 * and apart, the code beside them (server/mongo.ts), which is where a URL's variable is often read.
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
/** Enough files to find a database URL; a large repository is not read whole. */
const MAX_SCANNED_FILES = 400;

/** A file's text with its path from the repository root. */
export interface FileText {
  path: string;
  text: string;
}

/** What a suite's tests say (config, setup and test files), and the code beside them. */
export interface SuiteTexts {
  tests: string[];
  code: FileText[];
}

/** The text of a suite's runner config, its setup files and its test files, and of its code. */
export function suiteTexts(context: Context, folder: string, item: Found): SuiteTexts {
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
  const code: FileText[] = [];
  const start = item.area ? posix.join(folder, item.area) : folder;
  for (const path of sourceFiles(root, start)) {
    const text = read(path);
    if (text === undefined) continue;
    if (isTestFile(path)) texts.push(text);
    else code.push({ path, text });
  }
  return { tests: texts, code };
}

/**
 * The JavaScript and TypeScript files under `start`, breadth first: up to MAX_SCANNED_FILES test
 * files and as many others, so a large front end does not hide the server's tests.
 */
function sourceFiles(root: string, start: string): string[] {
  const files: string[] = [];
  const counts = { test: 0, code: 0 };
  const pending = [start];
  while (pending.length > 0 && (counts.test < MAX_SCANNED_FILES || counts.code < MAX_SCANNED_FILES)) {
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
      } else if (entry.isFile() && /\.[cm]?[jt]sx?$/.test(path)) {
        const kind = isTestFile(path) ? 'test' : 'code';
        if (counts[kind]++ < MAX_SCANNED_FILES) files.push(path);
      }
    }
  }
  return files;
}

function isTestFile(path: string): boolean {
  return (
    /\.(test|spec)\.[cm]?[jt]sx?$/.test(path) ||
    /(^|\/)(tests?|__tests__|specs?)\//.test(path) ||
    /setup|teardown/i.test(posix.basename(path))
  );
}
