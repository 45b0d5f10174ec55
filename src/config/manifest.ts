/** A package.json as waggle reads it: names, scripts, dependencies and workspaces. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PackageManifest {
  name?: string;
  version?: string;
  main?: string;
  files?: string[];
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  workspaces?: string[] | { packages?: string[] };
}

export function readManifest(dir: string): PackageManifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageManifest;
}
