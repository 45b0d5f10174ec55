/** The package folders of a repository: its npm workspaces, or the one package at the root. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PackageManifest } from '../manifest.js';

/** Folders relative to `root` that hold a package.json, from the root manifest's workspaces. */
export function packageFolders(root: string, manifest: PackageManifest): string[] {
  const patterns = Array.isArray(manifest.workspaces)
    ? manifest.workspaces
    : (manifest.workspaces?.packages ?? []);
  return patterns.length > 0 ? patterns.flatMap((pattern) => expand(root, pattern)) : ['.'];
}

/** "back-end/*" -> every folder with a package.json there; a plain path stands for itself. */
function expand(root: string, pattern: string): string[] {
  const clean = pattern.replace(/\/+$/, '');
  if (!clean.endsWith('/*')) return existsSync(join(root, clean, 'package.json')) ? [clean] : [];
  const parent = clean.slice(0, -2);
  if (!existsSync(join(root, parent))) return [];
  return readdirSync(join(root, parent), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, parent, entry.name, 'package.json')))
    .map((entry) => `${parent}/${entry.name}`)
    .sort();
}
