/** The names `waggle init` gives packages and suites in waggle.yml: lower-case, unique, readable. */
import { basename, posix } from 'node:path';
import type { PackageManifest } from '../manifest.js';
import type { Found } from './types.js';

/** A package's name without its npm scope, or its folder's name. */
export function packageName(manifest: PackageManifest, folder: string): string {
  return slug((manifest.name ?? basename(folder)).replace(/^@[^/]+\//, ''), 'app');
}

/** A suite's name: the folder it tests, its script without "test", or its runner. */
export function suiteName(item: Found): string {
  const fromScript = item.invocation.script?.replace(/^test[:_-]?/, '').replace(/[:_-]?test$/, '');
  const raw =
    (item.area && posix.basename(item.area)) ??
    (fromScript || undefined) ??
    (item.invocation.runner === 'ng' ? 'client' : item.invocation.runner);
  return slug(raw, 'unit');
}

/** `name`, or `name-2`, `name-3`... when it is taken. */
export function uniqueName(name: string, taken: readonly string[]): string {
  let candidate = name;
  for (let n = 2; taken.includes(candidate); n++) candidate = `${name}-${n}`;
  return candidate;
}

/** Lower case, other characters as dashes, starting with a letter or digit; `fallback` when empty. */
function slug(raw: string, fallback: string): string {
  return (
    raw
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '') || fallback
  );
}
