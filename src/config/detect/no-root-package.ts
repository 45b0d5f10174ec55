/**
 * A repository whose root has no package.json (client/ and api/ each with their own package.json
 * and lockfile): waggle installs once at the root with `npm ci`, so it needs a package.json there.
 * The error says how to get one from the folders found: an npm workspaces root over them.
 */
import { type Dirent, existsSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';

/** Folders that hold no packages of the repository. */
const SKIPPED = new Set(['node_modules', 'dist', 'build', 'coverage', 'vendor']);

export class NoRootPackageError extends Error {
  constructor(
    readonly root: string,
    /** Folders below the root that hold a package.json, relative to it. */
    readonly folders: string[],
  ) {
    super(guidance(root, folders));
    this.name = 'NoRootPackageError';
  }
}

/** Folders one or two levels below `root` holding a package.json (client, api, apps/web), sorted. */
export function packageFoldersBelow(root: string): string[] {
  const found: string[] = [];
  for (const first of subfolders(root, '.')) {
    if (existsSync(join(root, first, 'package.json'))) found.push(first);
    else
      for (const second of subfolders(root, first))
        if (existsSync(join(root, second, 'package.json'))) found.push(second);
  }
  return found.sort();
}

function subfolders(root: string, dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(join(root, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !SKIPPED.has(entry.name))
    .map((entry) => posix.join(dir, entry.name));
}

function guidance(root: string, folders: string[]): string {
  const need = [
    `${root} has no package.json: waggle builds npm projects and needs one at the repository root,`,
    'where one "npm ci" installs the whole repository.',
  ];
  if (folders.length === 0)
    return [...need, 'No folder here has one either: run "npm init" at the root, then "waggle init".'].join(
      '\n',
    );
  const listed = folders.map((folder) => `${folder}/`);
  const names = listed.length === 1 ? listed[0] : `${listed.slice(0, -1).join(', ')} and ${listed.at(-1)}`;
  const one = folders.length === 1;
  return [
    ...need,
    `${names} ${one ? 'has its' : 'each have their'} own package.json: make the root an npm workspaces root over ${one ? 'it' : 'them'}:`,
    `  1. write package.json at the root: {"private": true, "workspaces": ${JSON.stringify(folders).replaceAll(',', ', ')}}`,
    `  2. run "npm install" at the root: it writes one package-lock.json for ${one ? 'it' : 'all of them'} (npm then`,
    `     reads only that one: the package-lock.json ${one ? 'file' : 'files'} in ${names} can be deleted)`,
    '  3. commit both, then run "waggle init" again',
  ].join('\n');
}
