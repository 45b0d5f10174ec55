/**
 * A first waggle.yml from what a repository already says. npm workspaces, or the one package at
 * the root, become packages; an Angular project makes a package a site and a start script a
 * service; every test runner the scripts start (and an Angular test target) becomes a suite whose
 * command ends and writes JUnit; a MongoDB URL in the tests' setup becomes a service. What cannot
 * be known here (hosts, contacts, what starts a database) is left as TODO comments. A root with
 * no package.json is refused with the steps to a workspaces root over the packages found below it.
 * The detectors live in ./detect/, one concern a file.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { packageName, uniqueName } from './detect/names.js';
import { NoRootPackageError, packageFoldersBelow } from './detect/no-root-package.js';
import { detectPackage } from './detect/package.js';
import { dependsOn } from './detect/package-folder.js';
import { renderConfig } from './detect/render-yaml.js';
import type { DetectedPackage, Detection } from './detect/types.js';
import { packageFolders } from './detect/workspaces.js';
import { fileReader } from './junit/file-reader.js';
import { readManifest } from './manifest.js';

export { NoRootPackageError } from './detect/no-root-package.js';
export type { DetectedPackage, DetectedService, DetectedSuite, Detection } from './detect/types.js';

/** Services get ports from here up, in the order their packages are found. */
const FIRST_SERVICE_PORT = 4001;

export function detectRepository(root: string): Detection {
  if (!existsSync(join(root, 'package.json'))) throw new NoRootPackageError(root, packageFoldersBelow(root));
  const manifest = readManifest(root);
  const detection: Detection = {
    name: packageName(manifest, basename(root)),
    packages: {},
    services: {},
    e2e: [],
    notes: [],
  };
  const context = { root, read: fileReader(root), detection, port: FIRST_SERVICE_PORT };
  for (const folder of packageFolders(root, manifest)) {
    const own = readManifest(join(root, folder));
    // A Playwright suite tests a deployed environment (environments.<name>.e2e), not a build.
    if (folder !== '.' && (dependsOn(own, '@playwright/test') || dependsOn(own, 'cypress'))) {
      detection.e2e.push({ path: folder, tool: dependsOn(own, 'cypress') ? 'cypress' : 'playwright' });
      continue;
    }
    const name = uniqueName(packageName(own, folder), Object.keys(detection.packages));
    detection.packages[name] = detectPackage(context, name, folder, own);
  }
  return detection;
}

/** The packages alone, as waggle.yml would hold them. */
export function detectPackages(root: string): Record<string, DetectedPackage> {
  return detectRepository(root).packages;
}

/** The waggle.yml text `waggle init` writes for the repository at `root`. */
export function initialConfig(root: string, branch: string): string {
  return renderConfig(detectRepository(root), branch);
}
