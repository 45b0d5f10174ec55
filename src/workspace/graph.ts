/** Which packages need which: waggle.yml's dependsOn, else workspace dependencies in package.json. */
import type { PackageManifest } from '../config/manifest.js';
import type { Config } from '../config/schema.js';

export type PackageGraph = ReadonlyMap<string, readonly string[]>;

/** `manifestOf` reads a package's package.json: from disk, or from a commit. */
export function packageGraph(config: Config, manifestOf: (path: string) => PackageManifest): PackageGraph {
  const manifests = new Map(
    Object.entries(config.packages).map(([name, pkg]) => [name, manifestOf(pkg.path)]),
  );
  const byNpmName = new Map([...manifests].map(([name, manifest]) => [manifest.name, name]));
  const graph = new Map<string, string[]>();
  for (const [name, pkg] of Object.entries(config.packages)) {
    if (pkg.dependsOn) {
      graph.set(name, [...pkg.dependsOn]);
      continue;
    }
    const manifest = manifests.get(name) as PackageManifest;
    const npmDeps = Object.keys({
      ...manifest.dependencies,
      ...manifest.devDependencies,
      ...manifest.peerDependencies,
      ...manifest.optionalDependencies,
    });
    graph.set(
      name,
      npmDeps.flatMap((dep) => {
        const local = byNpmName.get(dep);
        return local && local !== name ? [local] : [];
      }),
    );
  }
  return graph;
}

/** The packages given plus everything that depends on them, directly or not. */
export function withDependents(graph: PackageGraph, start: Iterable<string>): Set<string> {
  const out = new Set(start);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [name, deps] of graph) {
      if (!out.has(name) && deps.some((dep) => out.has(dep))) {
        out.add(name);
        grew = true;
      }
    }
  }
  return out;
}

/** The packages given plus everything they depend on, directly or not. */
export function withDependencies(graph: PackageGraph, start: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const pending = [...start];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (out.has(name)) continue;
    out.add(name);
    pending.push(...(graph.get(name) ?? []));
  }
  return out;
}

/** Names in an order where each comes after its dependencies. */
export function topologicalOrder(graph: PackageGraph): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new Error(`dependency cycle: ${[...trail, name].join(' -> ')}`);
    state.set(name, 'visiting');
    for (const dep of graph.get(name) ?? []) visit(dep, [...trail, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of [...graph.keys()].sort()) visit(name, []);
  return order;
}
