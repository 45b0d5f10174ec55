/**
 * A service's production node_modules, taken from the installed workspace rather than a second
 * `npm install`: offline, exactly the versions that were tested, and workspace packages (symlinks
 * in node_modules) become real copies of what they publish.
 */
import { cpSync, existsSync, realpathSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { type PackageManifest, readManifest } from '../config/manifest.js';

export function copyProductionDependencies(packageDir: string, workspaceRoot: string, staging: string): void {
  const root = realpathSync(workspaceRoot);
  const placed = new Map<string, string>(); // staged folder -> real source folder
  // Breadth first, so the service's own dependencies take the top-level places.
  const queue: { real: string; staged: string }[] = [{ real: realpathSync(packageDir), staged: staging }];
  while (queue.length > 0) {
    const { real, staged } = queue.shift() as { real: string; staged: string };
    const manifest = readManifest(real);
    for (const [dep, optional] of productionDependencies(manifest)) {
      const source = resolvePackage(dep, real, root);
      if (!source) {
        if (optional) continue;
        throw new Error(`${manifest.name ?? real}: dependency ${dep} is not installed in the workspace`);
      }
      const top = join(staging, 'node_modules', dep);
      let target = top;
      if (placed.has(top) && placed.get(top) !== source) target = join(staged, 'node_modules', dep);
      if (placed.get(target) === source) continue;
      if (placed.has(target))
        throw new Error(`two versions of ${dep} would share ${relative(staging, target)}`);
      placed.set(target, source);
      copyPackage(source, target, root);
      queue.push({ real: source, staged: target });
    }
  }
}

function productionDependencies(manifest: PackageManifest): [string, boolean][] {
  return [
    ...Object.keys(manifest.dependencies ?? {}).map((dep): [string, boolean] => [dep, false]),
    ...Object.keys(manifest.peerDependencies ?? {}).map((dep): [string, boolean] => [dep, true]),
    ...Object.keys(manifest.optionalDependencies ?? {}).map((dep): [string, boolean] => [dep, true]),
  ];
}

/** Node's lookup: node_modules/<dep> in the folder and each parent, up to the workspace root. */
function resolvePackage(dep: string, from: string, root: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'node_modules', dep);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dir === root || !dir.startsWith(root + sep)) return undefined;
    dir = dirname(dir);
  }
}

function copyPackage(source: string, target: string, root: string): void {
  const isWorkspacePackage = !relative(root, source).split(sep).includes('node_modules');
  const manifest = readManifest(source);
  if (isWorkspacePackage && manifest.files) {
    // What the package would publish: its "files" and its package.json.
    cpSync(join(source, 'package.json'), join(target, 'package.json'));
    for (const entry of manifest.files) {
      if (existsSync(join(source, entry)))
        cpSync(join(source, entry), join(target, entry), { recursive: true, dereference: true });
    }
    return;
  }
  const nested = join(source, 'node_modules');
  cpSync(source, target, {
    recursive: true,
    dereference: true,
    filter: (path) => path !== nested && !path.startsWith(nested + sep),
  });
}
