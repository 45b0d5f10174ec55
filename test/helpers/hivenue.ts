/**
 * The reference app as a fresh repository, its MongoDB service moved to a free port, so that test
 * files running side by side each get a database of their own.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { freePort } from './ports.js';
import { commitAll, repoFrom } from './repo.js';

export const REFERENCE_APP = new URL('../../examples/hivenue', import.meta.url).pathname;
const BUILD_LEFTOVERS = new Set(['node_modules', 'dist', 'reports', '.angular', '.waggle', 'coverage']);
const SERVICE_PORT = '27117';

export async function hivenueRepo(): Promise<string> {
  const repo = repoFrom(REFERENCE_APP, 'riipen', (path) => BUILD_LEFTOVERS.has(basename(path)));
  const file = join(repo, 'waggle.yml');
  const config = readFileSync(file, 'utf8');
  if (!config.includes(SERVICE_PORT))
    throw new Error(`examples/hivenue/waggle.yml no longer uses port ${SERVICE_PORT}`);
  writeFileSync(file, config.replaceAll(SERVICE_PORT, String(await freePort())));
  commitAll(repo, 'waggle.yml: a MongoDB port of its own');
  return repo;
}
