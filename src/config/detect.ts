/**
 * A first waggle.yml from what a repository already says: npm workspaces become packages, an
 * Angular project becomes a site, a package with a start script becomes a service.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { stringify } from 'yaml';
import { type PackageManifest, readManifest } from '../workspace/graph.js';

interface DetectedPackage {
  path: string;
  service?: { port: number };
  site?: { dist: string };
}

const FIRST_SERVICE_PORT = 4001;

export function detectPackages(root: string): Record<string, DetectedPackage> {
  if (!existsSync(join(root, 'package.json')))
    throw new Error(`${root} has no package.json: waggle builds npm projects`);
  const manifest = readManifest(root);
  const patterns = Array.isArray(manifest.workspaces)
    ? manifest.workspaces
    : (manifest.workspaces?.packages ?? []);
  const folders = patterns.length > 0 ? patterns.flatMap((pattern) => expand(root, pattern)) : ['.'];
  const packages: Record<string, DetectedPackage> = {};
  let port = FIRST_SERVICE_PORT;
  for (const folder of folders) {
    const own = readManifest(join(root, folder));
    // A Playwright suite tests a deployed environment (environments.<name>.e2e), not a build.
    if (own.devDependencies?.['@playwright/test'] || own.dependencies?.['@playwright/test']) continue;
    const name = packageName(own, folder);
    const site = angularDist(join(root, folder));
    if (site) packages[name] = { path: folder, site: { dist: site } };
    else if (own.scripts?.start) packages[name] = { path: folder, service: { port: port++ } };
    else packages[name] = { path: folder };
  }
  return packages;
}

export function initialConfig(root: string, branch: string): string {
  const config = {
    name: packageName(readManifest(root), basename(root)),
    trigger: { branches: [branch] },
    packages: detectPackages(root),
  };
  return `# Written by "waggle init": check the ports and commands, then run "waggle validate".
# Every option: "waggle schema", or the waggle.yml reference in waggle's README.
${stringify(config, { flowCollectionPadding: true })}`;
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

function packageName(manifest: PackageManifest, folder: string): string {
  const raw = (manifest.name ?? basename(folder)).replace(/^@[^/]+\//, '');
  return (
    raw
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '') || 'app'
  );
}

/** The browser output folder of the first Angular application in angular.json, if any. */
function angularDist(folder: string): string | undefined {
  const file = join(folder, 'angular.json');
  if (!existsSync(file)) return undefined;
  const angular = JSON.parse(readFileSync(file, 'utf8')) as {
    projects?: Record<
      string,
      { projectType?: string; architect?: { build?: { options?: { outputPath?: unknown } } } }
    >;
  };
  const [name, project] =
    Object.entries(angular.projects ?? {}).find(([, p]) => p.projectType === 'application') ?? [];
  if (!name || !project) return undefined;
  const outputPath = project.architect?.build?.options?.outputPath;
  const base = typeof outputPath === 'string' ? outputPath : `dist/${name}`;
  return `${base}/browser`;
}
