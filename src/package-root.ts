/**
 * waggle's own folder (package.json, bin/, examples/), found by walking up from this module:
 * the same answer from the sources, the compiled tree and the single-file bundle the CLI runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = packageRoot(dirname(fileURLToPath(import.meta.url)));

function packageRoot(from: string): string {
  for (let folder = from; ; folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'waggle'
    )
      return folder;
    if (folder === dirname(folder)) throw new Error(`waggle's package.json is not above ${from}`);
  }
}
