/**
 * Content keys for builds and suites. A package's key covers its own files (git's tree id), the
 * files outside every package (lockfile, root config, tooling), its waggle.yml entry, the keys of
 * what it depends on, and the Node version. Same key, same result: a passed key is not re-run.
 */
import { createHash } from 'node:crypto';
import { CONFIG_FILE } from '../config/load.js';
import type { PackageConfig } from '../config/schema.js';
import { isUnder } from './affected.js';
import { git, objectId } from './git.js';
import { type PackageGraph, topologicalOrder } from './graph.js';

const KEY_VERSION = 1;

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Hash of every tracked file outside the packages, save docs, e2e folders and waggle.yml itself. */
export function sharedInputsHash(
  repo: string,
  sha: string,
  packagePaths: readonly string[],
  inertPaths: readonly string[],
) {
  const listing = git(repo, ['ls-tree', '-r', '--full-tree', sha])
    .split('\n')
    .filter((line) => {
      const path = line.slice(line.indexOf('\t') + 1);
      if (path === CONFIG_FILE || path.toLowerCase().endsWith('.md')) return false;
      return ![...packagePaths, ...inertPaths].some((folder) => isUnder(path, folder));
    });
  return sha256(listing.join('\n'));
}

export function packageKeys(input: {
  repo: string;
  sha: string;
  packages: Readonly<Record<string, PackageConfig>>;
  graph: PackageGraph;
  sharedInputs: string;
}): Map<string, string> {
  const keys = new Map<string, string>();
  for (const name of topologicalOrder(input.graph)) {
    const pkg = input.packages[name] as PackageConfig;
    const deps = (input.graph.get(name) ?? []).map((dep) => keys.get(dep));
    keys.set(
      name,
      sha256(
        JSON.stringify({
          v: KEY_VERSION,
          name,
          tree: objectId(input.repo, input.sha, pkg.path) ?? 'missing',
          shared: input.sharedInputs,
          config: pkg,
          deps,
          node: process.version,
          platform: `${process.platform}-${process.arch}`,
        }),
      ),
    );
  }
  return keys;
}
