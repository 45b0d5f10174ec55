/** Real git repositories made from a folder, for tests that run commits. */
import { cpSync, mkdtempSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from '../../src/workspace/git.js';

export const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;

/** Copies `source` into a new repository on `branch` and commits it. */
export function repoFrom(
  source: string,
  branch = 'main',
  skip: (path: string) => boolean = () => false,
): string {
  const dir = mkdtempSync(join(tmpdir(), 'waggle-repo-'));
  cpSync(source, dir, { recursive: true, filter: (path) => !skip(path) });
  try {
    renameSync(join(dir, 'gitignore'), join(dir, '.gitignore'));
  } catch {
    // The fixture already has a .gitignore of its own.
  }
  git(dir, ['init', '--quiet', '--initial-branch', branch]);
  git(dir, ['config', 'user.email', 'dev@hivenue.example']);
  git(dir, ['config', 'user.name', 'Hivenue Dev']);
  commitAll(dir, 'initial import');
  return dir;
}

export function commitAll(dir: string, message: string): string {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '--quiet', '--allow-empty', '-m', message]);
  return git(dir, ['rev-parse', 'HEAD']);
}
