/**
 * Build once, deploy many: a deployable package becomes one tarball that staging and production
 * both receive. A service carries its build outputs and its production node_modules; a site
 * carries its dist folder. A package that is both (an Express server beside its Angular client in
 * one package.json) is packaged as a service whose outputs hold the site: see `siteFolder`.
 * Tarballs are deterministic (sorted, fixed times), so the sha256 names the content.
 */

import { createHash } from 'node:crypto';
import {
  cpSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, relative } from 'node:path';
import * as tar from 'tar';
import { readManifest } from '../config/manifest.js';
import type { PackageConfig } from '../config/schema.js';
import { assertInside, resolveInside } from './inside.js';
import { copyProductionDependencies } from './production-deps.js';

export const MANIFEST_FILE = 'waggle-manifest.json';

export interface ArtifactManifest {
  package: string;
  version: string;
  /** What it holds: a deployable package, or the screenshots and traces of failed end-to-end tests. */
  kind: 'service' | 'site' | 'evidence';
  commit: string;
  cacheKey: string;
  node: { version: string; abi: string };
  files: { path: string; size: number; sha256: string }[];
}

export interface Artifact {
  package: string;
  file: string;
  sha256: string;
  size: number;
  manifest: ArtifactManifest;
}

const FIXED_TIME = new Date('2000-01-01T00:00:00Z');

export async function buildArtifact(input: {
  name: string;
  pkg: PackageConfig;
  workspace: string;
  commit: string;
  cacheKey: string;
  outDir: string;
}): Promise<Artifact> {
  const { name, pkg, workspace } = input;
  const packageDir = resolveInside(workspace, pkg.path);
  const staging = join(input.outDir, `.staging-${name}-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    if (pkg.site && !pkg.service) {
      copyFolder(workspace, builtSite(packageDir, pkg.path, pkg.site.dist), staging);
    } else {
      copyFolder(workspace, resolveInside(packageDir, 'package.json'), join(staging, 'package.json'));
      for (const output of pkg.outputs) {
        const from = resolveInside(packageDir, output);
        if (!existsSync(from)) throw new Error(`build output ${output} is missing in ${pkg.path}`);
        copyFolder(workspace, from, join(staging, output));
      }
      // A site beside the service is where the service finds it too, even when no output holds it.
      if (pkg.site && !existsSync(join(staging, pkg.site.dist)))
        copyFolder(workspace, builtSite(packageDir, pkg.path, pkg.site.dist), join(staging, pkg.site.dist));
      copyProductionDependencies(packageDir, workspace, staging);
    }
    const manifest: ArtifactManifest = {
      package: name,
      version: readManifest(packageDir).version ?? '0.0.0',
      kind: pkg.service ? 'service' : 'site',
      commit: input.commit,
      cacheKey: input.cacheKey,
      node: { version: process.version, abi: process.versions.modules },
      files: await hashFiles(staging),
    };
    writeFileSync(join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);

    const file = artifactFile(input.outDir, name, input.cacheKey);
    const partial = `${file}.partial`;
    await tar.create(
      { gzip: { level: 6 }, file: partial, cwd: staging, portable: true, mtime: FIXED_TIME },
      listFiles(staging).sort(),
    );
    const sha256 = await hashFile(partial);
    writeFileSync(`${file}.sha256`, `${sha256}  ${basename(file)}\n`);
    writeFileSync(`${file}.manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
    // Last, so a tarball that exists is complete and has its checksum and manifest beside it.
    renameSync(partial, file);
    return { package: name, file, sha256, size: statSync(file).size, manifest };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Where a package's site is in its artifact, and so in a release: the whole release for a site
 * alone; for a package that is also a service, its `site.dist` inside the package's own layout
 * (the release root holds package.json, the server and node_modules, which nginx must not serve).
 */
export function siteFolder(pkg: Pick<PackageConfig, 'service' | 'site'>): string {
  return pkg.site && pkg.service ? pkg.site.dist : '.';
}

/** Tarballs are named by package and content key: the same inputs, the same file. */
export function artifactFile(outDir: string, name: string, cacheKey: string): string {
  return join(outDir, `${name}-${cacheKey.slice(0, 12)}.tgz`);
}

/** The artifact already made from these inputs, if its checksum and manifest are beside it. */
export function findArtifact(outDir: string, name: string, cacheKey: string): Artifact | undefined {
  const file = artifactFile(outDir, name, cacheKey);
  const manifest = `${file}.manifest.json`;
  if (!existsSync(file) || !existsSync(`${file}.sha256`) || !existsSync(manifest)) return undefined;
  return {
    package: name,
    file,
    sha256: readFileSync(`${file}.sha256`, 'utf8').split(/\s+/)[0] as string,
    size: statSync(file).size,
    manifest: JSON.parse(readFileSync(manifest, 'utf8')) as ArtifactManifest,
  };
}

function builtSite(packageDir: string, path: string, dist: string): string {
  const folder = resolveInside(packageDir, dist);
  if (!existsSync(folder)) throw new Error(`site folder ${dist} was not built in ${path}`);
  return folder;
}

function copyFolder(workspace: string, from: string, to: string): void {
  // dereference: a workspace symlink must become real files in the artifact; one that leads
  // out of the workspace is refused, so no file of the server's can end up in a release.
  cpSync(from, to, {
    recursive: true,
    dereference: true,
    filter: (source) => assertInside(workspace, source) !== undefined,
  });
}

export function listFiles(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(root, path) : [relative(root, path)];
  });
}

/** Files hashed at once: a service's node_modules holds thousands, more than a process may open. */
const HASHING_AT_ONCE = 16;

async function hashFiles(root: string): Promise<ArtifactManifest['files']> {
  const files = listFiles(root).sort();
  const hashed: ArtifactManifest['files'] = [];
  let next = 0;
  const hashNext = async (): Promise<void> => {
    for (let index = next++; index < files.length; index = next++) {
      const path = files[index] as string;
      hashed[index] = {
        path,
        size: statSync(join(root, path)).size,
        sha256: await hashFile(join(root, path)),
      };
    }
  };
  await Promise.all(Array.from({ length: HASHING_AT_ONCE }, hashNext));
  return hashed;
}

export function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}
