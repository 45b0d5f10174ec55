/**
 * End-to-end projects (Playwright, Cypress) in a package: they test a deployed environment, so
 * init points environments.<name>.e2e at them instead of making them suites.
 */
import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { scriptInvocations } from '../junit/invocations.js';
import type { PackageManifest } from '../manifest.js';
import { dependsOn, isFolder } from './package-folder.js';
import type { Context } from './types.js';

/** Records the end-to-end projects the package's dependencies or scripts show, once each. */
export function findE2e(
  context: Context,
  folder: string,
  manifest: PackageManifest,
  scripts: Record<string, string>,
) {
  const { detection } = context;
  const tools = (['playwright', 'cypress'] as const).filter(
    (tool) =>
      dependsOn(manifest, tool === 'playwright' ? '@playwright/test' : 'cypress') ||
      Object.keys(scripts).some((name) =>
        scriptInvocations(scripts, name).some((invocation) => invocation.runner === tool),
      ),
  );
  for (const tool of tools) {
    const configs = ['ts', 'js', 'mjs', 'cjs'].map((ext) => `${tool}.config.${ext}`);
    const places = [
      folder,
      ...['e2e', 'tests/e2e', 'client/e2e', 'cypress'].map((dir) => posix.join(folder, dir)),
    ];
    const place =
      places.find((dir) => configs.some((name) => existsSync(join(context.root, dir, name)))) ??
      places.slice(1).find((dir) => isFolder(context.root, dir)) ??
      folder;
    if (!detection.e2e.some((e2e) => e2e.path === posix.normalize(place)))
      detection.e2e.push({ path: posix.normalize(place), tool });
  }
}
