/**
 * Paths written in waggle.yml come from a pushed commit, so they are untrusted: each must name
 * something inside the repository (or inside its package folder), never climb out of it.
 */
import { isAbsolute, posix, relative, resolve, sep } from 'node:path';
import { z } from 'zod';

/** What a path in waggle.yml is relative to. */
export type PathBase = 'repository' | 'package';

const WHERE: Record<PathBase, string> = { repository: 'the repository', package: 'the package folder' };

/**
 * True when a relative path written in waggle.yml would leave the folder it is relative to:
 * empty, absolute (`/x`, `\x`, `C:\x`), holding a NUL byte, or climbing out through "..".
 * `.` and `a/../b` stay inside. Pure: it looks at the text, not at the disk.
 */
export function escapes(path: string): boolean {
  if (path === '' || path.includes('\0')) return true;
  const slashed = path.replaceAll('\\', '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) return true;
  const normal = posix.normalize(slashed);
  return normal === '..' || normal.startsWith('../');
}

/**
 * True when `target` (absolute, or relative to `base`) is `base` itself or inside it. Pure: for
 * run-time checks on resolved paths; resolve symbolic links first (realpath) where they matter.
 */
export function isInside(base: string, target: string): boolean {
  const inner = relative(resolve(base), resolve(base, target));
  return inner === '' || (!isAbsolute(inner) && inner !== '..' && !inner.startsWith(`..${sep}`));
}

/** Why a path in waggle.yml is refused, or undefined when it is fine. */
export function pathProblem(path: string, base: PathBase): string | undefined {
  if (path === '') return 'must not be empty';
  if (path.includes('\0')) return 'must not hold a NUL byte';
  if (escapes(path)) return `must stay inside ${WHERE[base]} (no absolute paths or "..")`;
  return undefined;
}

/** A string option holding a path relative to `base` that must stay inside it. */
export function relativePath(doc: string, base: PathBase) {
  return z
    .string()
    .superRefine((path, context) => {
      const problem = pathProblem(path, base);
      if (problem) context.addIssue({ code: 'custom', message: problem, input: path });
    })
    .describe(doc);
}

/** True when a repository path (as git lists it) is the folder or lies under it; `.` holds all. */
export function isUnder(file: string, folder: string): boolean {
  const prefix = folder.replace(/\/+$/, '');
  return prefix === '.' || prefix === '' || file === prefix || file.startsWith(`${prefix}/`);
}
