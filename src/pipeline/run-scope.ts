/**
 * What a run covers, decided from git's objects alone (no workspace needed): the packages and how
 * they depend on each other, which ones the change affects, and the content key of every build
 * and suite.
 */

import { CONFIG_FILE } from '../config/load.js';
import type { PackageManifest } from '../config/manifest.js';
import { packageEnv } from '../config/package-env.js';
import type { Config } from '../config/schema.js';
import { type Affected, affectedPackages } from '../workspace/affected.js';
import { packageKeys, sharedInputsHash, suiteKeys } from '../workspace/cache-key.js';
import { CommitSnapshot } from '../workspace/commit-snapshot.js';
import { changedFiles } from '../workspace/git.js';
import { type PackageGraph, packageGraph } from '../workspace/graph.js';

export interface RunScope {
  graph: PackageGraph;
  affected: Affected;
  keys: Map<string, string | undefined>;
  suiteKeys: Map<string, string | undefined>;
  /** Each package's `env`, with its variables read: what its steps get. */
  variables: Map<string, Record<string, string>>;
}

export async function runScope(input: {
  config: Config;
  /** Where waggle.yml sits in the repository ('' at its root): package paths start there. */
  configDir: string;
  repo: string;
  sha: string;
  /** Measure "changed" from this commit; none: everything is affected, for `why`. */
  base: string | undefined;
  why: string;
  env: NodeJS.ProcessEnv;
}): Promise<RunScope> {
  const { config, configDir, repo, sha } = input;
  const inRepo = (path: string) => (configDir === '' ? path : `${configDir}/${path}`);
  const snapshot = await CommitSnapshot.read(repo, sha);
  const packagePaths = new Map(
    Object.entries(config.packages).map(([name, pkg]) => [name, inRepo(pkg.path)]),
  );
  const manifests = new Map(
    await Promise.all(
      Object.entries(config.packages).map(
        async ([name, pkg]) =>
          [
            pkg.path,
            JSON.parse(await snapshot.readFile(`${packagePaths.get(name)}/package.json`)) as PackageManifest,
          ] as const,
      ),
    ),
  );
  const graph = packageGraph(config, (path) => manifests.get(path) as PackageManifest);
  const inertPaths = Object.values(config.environments).flatMap((environment) =>
    environment.e2e ? [inRepo(environment.e2e.path)] : [],
  );
  const affected = input.base
    ? affectedPackages({
        changedFiles: await changedFiles(repo, input.base, sha),
        packagePaths,
        graph,
        inertPaths,
      })
    : { packages: new Set(Object.keys(config.packages)), everything: input.why };
  const variables = new Map(
    Object.entries(config.packages).map(([name, pkg]) => [name, packageEnv(pkg, input.env)]),
  );
  const keyInputs = {
    snapshot,
    packages: config.packages,
    packagePaths,
    graph,
    sharedInputs: sharedInputsHash(snapshot, [...packagePaths.values()], inertPaths, inRepo(CONFIG_FILE)),
    variables,
    services: config.services,
  };
  const keys = packageKeys(keyInputs);
  return { graph, affected, keys, suiteKeys: suiteKeys(keyInputs, keys), variables };
}
