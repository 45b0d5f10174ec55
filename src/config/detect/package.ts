/**
 * One package of waggle.yml from its folder: built when it has a build script, a site when it
 * holds an Angular project, else a service when it has a start script; then its suites.
 */
import type { PackageManifest } from '../manifest.js';
import { findE2e } from './e2e.js';
import { backEndFolder, findAngular } from './layout.js';
import { dependsOn, fromPackage } from './package-folder.js';
import { serviceStart } from './service-start.js';
import { detectSuites } from './suites.js';
import type { Context, DetectedPackage, YamlPath } from './types.js';

export function detectPackage(
  context: Context,
  name: string,
  folder: string,
  manifest: PackageManifest,
): DetectedPackage {
  const { read, detection } = context;
  const at: YamlPath = ['packages', name];
  const note = (path: YamlPath, lines: string[]) => detection.notes.push({ at: [...at, ...path], lines });
  const scripts = manifest.scripts ?? {};
  const angular = findAngular(read, folder);
  const pkg: DetectedPackage = { path: folder, build: scripts.build ? ['npm', 'run', 'build'] : false };

  findE2e(context, folder, manifest, scripts);
  const suites = detectSuites(context, folder, manifest, angular);
  if (angular) {
    const base = fromPackage(folder, angular.outputBase);
    if (base !== 'dist' && !base.startsWith('dist/')) pkg.outputs = [base];
    pkg.site = { dist: fromPackage(folder, angular.dist) };
    const server = backEndFolder(context.root, folder);
    if (server && dependsOn(manifest, 'express')) note(['site'], backEndNote(server, suites.areas));
  } else if (scripts.start) {
    pkg.service = { port: context.port++, ...serviceStart(context, folder, scripts, pkg, note) };
  }

  pkg.test = suites.test;
  if (suites.env && Object.keys(suites.env).length > 0) pkg.env = suites.env;
  for (const { path, lines } of suites.notes) note(path, lines);
  return pkg;
}

/**
 * The comment above the site about the Express server beside it, which says whether its tests run
 * here (only when a suite tests its folder) and how the server is released with the site.
 */
function backEndNote(server: string, tested: readonly string[]): string[] {
  const release = [
    `To release the server too, give this package a service (port, start, health) and add ${server}`,
    "to outputs beside the site's build: one release then holds both.",
  ];
  return tested.includes(server)
    ? [`${server}/ holds an Express server: its tests run here.`, ...release]
    : [
        `TODO: ${server}/ holds an Express server, but no test script runs a test runner over it, so`,
        `its tests do not run here: add a suite for them under test, with inputs: [${server}].`,
        ...release,
      ];
}
