/**
 * Content keys for builds and suites. A package's key covers its own files (git's tree id), the
 * files outside every package (lockfile, root config, tooling), its waggle.yml entry, the keys of
 * what it depends on, and the Node version. Same key, same result: a passed key is not re-run.
 */
import { createHash } from 'node:crypto';
import { CONFIG_FILE } from '../config/load.js';
import type { PackageConfig } from '../config/schema.js';
import { isUnder } from './affected.js';
import type { CommitSnapshot } from './commit-snapshot.js';
import { type PackageGraph, topologicalOrder } from './graph.js';

const KEY_VERSION = 1;

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Hash of every tracked file outside the packages, save docs, e2e folders and waggle.yml itself. */
export function sharedInputsHash(
  snapshot: CommitSnapshot,
  packagePaths: readonly string[],
  inertPaths: readonly string[],
  configFile = CONFIG_FILE,
): string {
  const listing = snapshot.files().filter(([path]) => {
    if (path === configFile || path.toLowerCase().endsWith('.md')) return false;
    return ![...packagePaths, ...inertPaths].some((folder) => isUnder(path, folder));
  });
  return sha256(listing.map(([path, id]) => `${id} ${path}`).join('\n'));
}

export function packageKeys(input: {
  snapshot: CommitSnapshot;
  packages: Readonly<Record<string, PackageConfig>>;
  /** Each package's folder in the repository (its path under waggle.yml's folder). */
  packagePaths: ReadonlyMap<string, string>;
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
          tree: input.snapshot.objectId(input.packagePaths.get(name) ?? pkg.path) ?? 'missing',
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
