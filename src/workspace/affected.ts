/**
 * Which packages a change touches: those holding a changed file, plus their dependents. A file
 * outside every package (lockfile, root config, shared tooling) can change any build, so it
 * affects all; documentation and e2e folders affect none.
 */
import { isUnder } from '../config/paths.js';
import type { PackageGraph } from './graph.js';
import { withDependents } from './graph.js';

export interface AffectedInput {
  changedFiles: readonly string[];
  packagePaths: ReadonlyMap<string, string>;
  graph: PackageGraph;
  /** Folders outside the packages whose changes build nothing (e2e suites). */
  inertPaths?: readonly string[];
}

export interface Affected {
  packages: Set<string>;
  /** Why everything is affected, when it is. */
  everything?: string;
}

export function affectedPackages(input: AffectedInput): Affected {
  const direct = new Set<string>();
  for (const file of input.changedFiles) {
    const owner = [...input.packagePaths].find(([, path]) => isUnder(file, path));
    if (owner) direct.add(owner[0]);
    else if (!isInert(file, input.inertPaths ?? [])) {
      return { packages: new Set(input.packagePaths.keys()), everything: `${file} changed` };
    }
  }
  return { packages: withDependents(input.graph, direct) };
}

function isInert(file: string, inertPaths: readonly string[]): boolean {
  return file.toLowerCase().endsWith('.md') || inertPaths.some((path) => isUnder(file, path));
}
