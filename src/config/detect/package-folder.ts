/** Small questions `waggle init` asks of a package: its dependencies, its folders, paths within it. */
import { statSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { PackageManifest } from '../manifest.js';

export function dependsOn(manifest: PackageManifest, name: string): boolean {
  return Boolean(manifest.dependencies?.[name] ?? manifest.devDependencies?.[name]);
}

/** A repository path made relative to the package folder. */
export function fromPackage(folder: string, path: string): string {
  return posix.relative(posix.normalize(folder), posix.normalize(path)) || '.';
}

/** Whether `path`, relative to the repository `root`, is a folder. */
export function isFolder(root: string, path: string): boolean {
  try {
    return statSync(join(root, path)).isDirectory();
  } catch {
    return false;
  }
}
