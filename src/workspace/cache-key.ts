/**
 * Content keys for builds and suites. A package's key covers its own files (git's tree id), the
 * files outside every package (lockfile, root config, tooling), its waggle.yml entry and the
 * values of the variables it names, the keys of what it depends on, and the Node version. Same
 * key, same result: a passed key is not re-run.
 *
 * Safe by construction: a key is made only from inputs that were all found. Anything unknown (a
 * package folder missing from the commit, an undeclared suite input, a dependency without a key)
 * leaves the key undefined, which means "not cacheable": the work runs.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { CONFIG_FILE } from '../config/load.js';
import { isUnder } from '../config/paths.js';
import type { PackageConfig, TestServiceConfig } from '../config/schema.js';
import { suiteStepKey, suitesOf } from '../config/suites.js';
import type { CommitSnapshot } from './commit-snapshot.js';
import { type PackageGraph, topologicalOrder } from './graph.js';

const KEY_VERSION = 2;

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Where keys come from: the runtime is an input too, so a new Node never reuses old results. */
export interface Runtime {
  node: string;
  platform: string;
}

export const THIS_RUNTIME: Runtime = {
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
};

export interface KeyInputs {
  snapshot: CommitSnapshot;
  packages: Readonly<Record<string, PackageConfig>>;
  /** Each package's folder in the repository (its path under waggle.yml's folder). */
  packagePaths: ReadonlyMap<string, string>;
  graph: PackageGraph;
  sharedInputs: string;
  /** The values of each package's `env`, as its steps get them. */
  variables: ReadonlyMap<string, Readonly<Record<string, string>>>;
  services: Readonly<Record<string, TestServiceConfig>>;
  runtime?: Runtime;
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

export function packageKeys(input: KeyInputs): Map<string, string | undefined> {
  const runtime = input.runtime ?? THIS_RUNTIME;
  const keys = new Map<string, string | undefined>();
  for (const name of topologicalOrder(input.graph)) {
    const pkg = input.packages[name] as PackageConfig;
    const tree = input.snapshot.objectId(input.packagePaths.get(name) ?? pkg.path);
    const deps = (input.graph.get(name) ?? []).map((dep) => keys.get(dep));
    if (tree === undefined || deps.some((dep) => dep === undefined)) {
      keys.set(name, undefined);
      continue;
    }
    const variables = input.variables.get(name) ?? {};
    keys.set(
      name,
      sha256(
        JSON.stringify({
          v: KEY_VERSION,
          name,
          tree,
          shared: input.sharedInputs,
          config: pkg,
          variables,
          deps,
          ...runtime,
        }),
      ),
    );
  }
  return keys;
}

/**
 * Each suite's key, by its step key. A suite that declares `inputs` depends on those parts of its
 * package and on what lies outside every suite's inputs (package.json, the lockfile), so a change
 * in the client does not re-run the server's suite; one without inputs depends on the whole package.
 */
export function suiteKeys(
  input: KeyInputs,
  keys: ReadonlyMap<string, string | undefined>,
): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const [name, pkg] of Object.entries(input.packages)) {
    const folder = input.packagePaths.get(name) ?? pkg.path;
    const suites = suitesOf(pkg);
    const declared = suites.flatMap((suite) => suite.inputs ?? []);
    for (const suite of suites) {
      const packageKey = keys.get(name);
      const services = suite.services.map((service) => input.services[service]);
      if (packageKey === undefined || services.some((service) => service === undefined)) {
        out.set(suiteStepKey(name, suite), undefined);
        continue;
      }
      const base = { v: KEY_VERSION, suite, services };
      if (!suite.inputs) {
        out.set(suiteStepKey(name, suite), sha256(JSON.stringify({ ...base, package: packageKey })));
        continue;
      }
      const own = suite.inputs.map((path) => input.snapshot.objectId(posix.join(folder, path)));
      const deps = (input.graph.get(name) ?? []).map((dep) => keys.get(dep));
      const found = !own.some((id) => id === undefined) && !deps.some((dep) => dep === undefined);
      out.set(
        suiteStepKey(name, suite),
        found
          ? sha256(
              JSON.stringify({
                ...base,
                name,
                own,
                common: commonFiles(input.snapshot, folder, declared),
                shared: input.sharedInputs,
                config: pkg,
                variables: input.variables.get(name) ?? {},
                deps,
                ...(input.runtime ?? THIS_RUNTIME),
              }),
            )
          : undefined,
      );
    }
  }
  return out;
}

/** Hash of the package's files outside every suite's declared inputs. */
function commonFiles(snapshot: CommitSnapshot, folder: string, declared: readonly string[]): string {
  const inputs = declared.map((path) => posix.join(folder, path));
  const listing = snapshot
    .files()
    .filter(([path]) => isUnder(path, folder) && !inputs.some((input) => isUnder(path, input)));
  return sha256(listing.map(([path, id]) => `${id} ${path}`).join('\n'));
}
