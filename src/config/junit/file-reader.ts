/**
 * The `ReadFile` over a checked-out repository. waggle.yml and the runner configs come from a
 * pushed commit, so nothing outside the repository is read (symbolic links included), nor
 * anything large.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isInside } from '../paths.js';
import type { ReadFile } from './types.js';

const MAX_READ_BYTES = 256 * 1024;

/** Reads the repository under `root` by relative path; undefined for what it may not or cannot read. */
export function fileReader(root: string): ReadFile {
  let base: string;
  try {
    base = realpathSync(root);
  } catch {
    return () => undefined;
  }
  return (path) => {
    try {
      const file = realpathSync(resolve(base, path));
      if (!isInside(base, file)) return undefined;
      const stats = statSync(file);
      if (!stats.isFile() || stats.size > MAX_READ_BYTES) return undefined;
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
}
