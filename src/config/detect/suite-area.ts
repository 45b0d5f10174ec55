/**
 * The folder of a package a suite tests (client, server, test/unit), so that a package holding
 * both halves of an app gets one suite a half, each with its own inputs.
 */
import { join, posix } from 'node:path';
import type { AngularProject } from '../junit/angular.js';
import { stripComments } from '../junit/config-text.js';
import { flagValues, positionals } from '../junit/flags.js';
import type { Invocation } from '../junit/types.js';
import { fromPackage, isFolder } from './package-folder.js';
import type { Context } from './types.js';

/** The folder of the package a suite tests (client, server, test/unit), when its command or config says so. */
export function suiteArea(
  context: Context,
  folder: string,
  invocation: Invocation,
  angular: AngularProject | undefined,
): string | undefined {
  const inside = (path: string) => {
    const clean = posix.normalize(path).replace(/\/+$/, '');
    return clean === '.' || clean === '' || clean.startsWith('../') || clean === '..' ? undefined : clean;
  };
  if (invocation.runner === 'ng' || invocation.runner === 'karma') {
    if (!angular) return inside(invocation.cwd);
    const sourceTop = fromPackage(folder, angular.sourceRoot).split('/')[0] as string;
    return inside(fromPackage(folder, angular.root)) ?? inside(sourceTop);
  }
  if (invocation.cwd !== '.') return inside(invocation.cwd);
  const [config] = flagValues(invocation.words, ['--config', '-c']);
  if (config?.includes('/')) return inside(posix.dirname(config));
  const paths = positionals(invocation.words.slice(1), [
    '--config',
    '-c',
    '--reporter',
    '-R',
    '--require',
    '-r',
  ]);
  for (const word of paths) {
    // The folder part of a path or glob: server/**/*.spec.js -> server.
    const segments = posix.normalize(word).split('/');
    const glob = segments.findIndex((segment) => /[*?{[]/.test(segment));
    const part = inside(segments.slice(0, glob === -1 ? segments.length : glob).join('/'));
    for (const candidate of part ? [part, posix.dirname(part)] : [])
      if (inside(candidate) && isFolder(context.root, join(folder, candidate))) return candidate;
  }
  const jest = invocation.runner === 'jest' ? context.read(posix.join(folder, 'jest.config.js')) : undefined;
  const roots = jest && /roots\s*:\s*\[\s*['"]<rootDir>\/([\w./-]+?)\/?['"]/.exec(stripComments(jest));
  return roots?.[1] ? inside(roots[1]) : undefined;
}
