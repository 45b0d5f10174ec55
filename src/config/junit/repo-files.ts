/**
 * Files of the repository as the JUnit check reads them: paths relative to its root, package.json
 * files, runner configs found by their usual names, and paths a config writes.
 */
import { posix } from 'node:path';
import { stripComments, type Written } from './config-text.js';
import type { ReadFile } from './types.js';

/** Parts joined into one normal path relative to the repository root. */
export function repoPath(...parts: string[]): string {
  return posix.normalize(posix.join(...parts));
}

/** A JSON file's object; undefined when it cannot be read, parsed, or is not an object. */
export function readJson(read: ReadFile, path: string): Record<string, unknown> | undefined {
  const text = read(path);
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the package's package.json, or the repository root's, lists `dependency`. */
export function declares(read: ReadFile, pkg: string, dependency: string): boolean {
  return [repoPath(pkg, 'package.json'), 'package.json'].some((path) => {
    const manifest = readJson(read, path);
    return ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'].some(
      (key) => (manifest?.[key] as Record<string, unknown> | undefined)?.[dependency] !== undefined,
    );
  });
}

/** A config file's path and its text without comments. */
export interface ConfigFile {
  path: string;
  text: string;
}

/** The first of `names` in `dir` that can be read, with its text. */
export function firstFile(read: ReadFile, dir: string, names: readonly string[]): ConfigFile | undefined {
  for (const name of names) {
    const text = read(repoPath(dir, name));
    if (text !== undefined) return { path: repoPath(dir, name), text: stripComments(text) };
  }
  return undefined;
}

/**
 * The config a runner reads: the file its --config flag names (empty when it cannot be read), or
 * else the first of its usual `names` in `dir`.
 */
export function configFile(
  read: ReadFile,
  dir: string,
  explicit: string | undefined,
  names: readonly string[],
): ConfigFile | undefined {
  if (!explicit) return firstFile(read, dir, names);
  const path = repoPath(dir, explicit);
  return { path, text: stripComments(read(path) ?? '') };
}

/** Paths from a config: relative to `base`, `<rootDir>` to `rootDir`, __dirname-based to `dir`. */
export function placed(value: Written, base: string, dir: string, rootDir: string): string | undefined {
  if (value.kind === 'dirname') return repoPath(dir, value.value);
  if (value.kind !== 'string' || posix.isAbsolute(value.value) || value.value.includes('${'))
    return undefined;
  if (value.value.startsWith('<rootDir>')) return repoPath(rootDir, value.value.slice('<rootDir>'.length));
  return repoPath(base, value.value);
}
