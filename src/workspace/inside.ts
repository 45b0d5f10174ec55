/**
 * Paths from a pushed commit, resolved on disk. waggle.yml's paths are checked as text when the
 * config is read; here the checked-out tree is asked as well, since a committed symlink (`dist ->
 * /etc`) turns an innocent relative path into one outside the workspace.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isInside } from '../config/paths.js';
import { FailedOperationError } from '../errors.js';

export class PathEscapeError extends FailedOperationError {
  constructor(
    readonly path: string,
    readonly root: string,
  ) {
    super(`${path} leads outside ${root} (through "..", an absolute path or a symlink): refused`);
    this.name = 'PathEscapeError';
  }
}

/**
 * `root/path`, when it lies inside `root` once symlinks are followed; throws otherwise. The path
 * need not exist: its deepest existing part is resolved, so a folder on the way that is a link
 * out of the workspace is caught before anything is written or removed through it. (A dangling
 * link as the last part passes: removing it removes the link, and reading it finds nothing.)
 */
export function resolveInside(root: string, path: string): string {
  const base = realpathSync(root);
  const target = resolve(base, path);
  if (!isInside(base, target)) throw new PathEscapeError(path, root);
  return assertInside(root, target, path);
}

/** `target` (absolute) itself, when what exists of it is inside `root` once links are followed. */
export function assertInside(root: string, target: string, shownAs = target): string {
  let existing = target;
  while (!existsSync(existing)) existing = dirname(existing);
  if (!isInside(realpathSync(root), realpathSync(existing))) throw new PathEscapeError(shownAs, root);
  return target;
}
