/**
 * The cache's one promise: a key changes whenever anything the work depends on changes. Checked
 * over every input file of a real git repository, not a list of chosen examples.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import type { PackageManifest } from '../config/manifest.js';
import type { Config } from '../config/schema.js';
import { packageKeys, type Runtime, sharedInputsHash, suiteKeys } from './cache-key.js';
import { CommitSnapshot } from './commit-snapshot.js';
import { git } from './git.js';
import { packageGraph } from './graph.js';

const RUNTIME: Runtime = { node: 'v20.20.2', platform: 'linux-x64' };

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'mono', workspaces: ['packages/lib', 'packages/app'] }),
  'package-lock.json': '{"lockfileVersion":3}',
  'tsconfig.base.json': '{}',
  'README.md': '# docs',
  'packages/lib/package.json': JSON.stringify({ name: '@m/lib', version: '1.0.0' }),
  'packages/lib/src/index.ts': 'export const x = 1;',
  'packages/lib/test/x.test.ts': 'test',
  'packages/app/package.json': JSON.stringify({ name: '@m/app', dependencies: { '@m/lib': '1.0.0' } }),
  'packages/app/src/main.ts': 'main',
  'packages/app/src/deep/util.ts': 'util',
};

const MONOREPO = `name: mono
packages:
  lib: { path: packages/lib }
  app: { path: packages/app, env: { MODE: "\${{ vars.MODE }}" } }
`;

/** A single-package app: the package at the root, a front-end and a back-end suite. */
const SINGLE = `name: single
packages:
  app:
    path: .
    test:
      - { name: client, run: npm run test:client, junit: reports/client.xml, inputs: [client] }
      - { name: server, run: npm run test:server, junit: reports/server.xml, inputs: [server], services: [db] }
services:
  db: { run: node db.js, ready: { tcp: 27017 } }
`;

const SINGLE_FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'single' }),
  'package-lock.json': '{}',
  'angular.json': '{}',
  'client/src/app.ts': 'client',
  'client/src/app.spec.ts': 'spec',
  'server/index.js': 'server',
  'server/test/cats.test.js': 'cats',
};

function repoWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'waggle-keys-'));
  git(dir, ['init', '--quiet']);
  git(dir, ['config', 'user.email', 'k@example.com']);
  git(dir, ['config', 'user.name', 'k']);
  for (const [path, text] of Object.entries(files)) write(dir, path, text);
  return commit(dir);
}

function write(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

/** The file with one change that keeps it valid (JSON stays JSON). */
function mutated(path: string, text: string): string {
  return path.endsWith('.json') ? JSON.stringify({ ...JSON.parse(text), changed: true }) : `${text} changed`;
}

function commit(dir: string): string {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '--quiet', '--allow-empty', '-m', 'c']);
  return dir;
}

async function keysAt(
  dir: string,
  config: Config,
  options: { runtime?: Runtime; env?: Record<string, string> } = {},
): Promise<Record<string, string | undefined>> {
  const snapshot = await CommitSnapshot.read(dir, git(dir, ['rev-parse', 'HEAD']));
  const packagePaths = new Map(Object.entries(config.packages).map(([name, pkg]) => [name, pkg.path]));
  const manifests = new Map<string, PackageManifest>();
  for (const pkg of Object.values(config.packages))
    manifests.set(pkg.path, JSON.parse(await snapshot.readFile(`${pkg.path}/package.json`)));
  const graph = packageGraph(config, (path) => manifests.get(path) as PackageManifest);
  const inputs = {
    snapshot,
    packages: config.packages,
    packagePaths,
    graph,
    sharedInputs: sharedInputsHash(snapshot, [...packagePaths.values()], []),
    variables: new Map(Object.keys(config.packages).map((name) => [name, options.env ?? { MODE: 'fast' }])),
    services: config.services,
    runtime: options.runtime ?? RUNTIME,
  };
  const keys = packageKeys(inputs);
  return { ...Object.fromEntries(keys), ...Object.fromEntries(suiteKeys(inputs, keys)) };
}

describe('cache keys', () => {
  const config = parseConfig(MONOREPO);

  it('change for every input file of a package, and for what it depends on', async () => {
    const dir = repoWith(FILES);
    let before = await keysAt(dir, config);
    expect(Object.values(before).every((key) => /^[0-9a-f]{64}$/.test(key ?? ''))).toBe(true);
    for (const path of Object.keys(FILES).filter((p) => !p.endsWith('.md'))) {
      write(dir, path, mutated(path, FILES[path] as string));
      const after = await keysAt(commit(dir), config);
      const reaches = path.startsWith('packages/app/') ? ['app'] : ['lib', 'app'];
      for (const name of ['lib', 'app'])
        expect(after[name] !== before[name], `${path} -> ${name}`).toBe(reaches.includes(name));
      before = after;
    }
  });

  it('stay for documentation, and change with the config entry, the variables and the runtime', async () => {
    const dir = repoWith(FILES);
    const base = await keysAt(dir, config);
    write(dir, 'README.md', '# more docs');
    expect(await keysAt(commit(dir), config)).toEqual(base);

    const rebuilt = parseConfig(
      MONOREPO.replace('app: { path: packages/app,', 'app: { path: packages/app, build: make,'),
    );
    const withEntry = await keysAt(dir, rebuilt);
    expect([withEntry.lib === base.lib, withEntry.app === base.app]).toEqual([true, false]);

    const withVariable = await keysAt(dir, config, { env: { MODE: 'slow' } });
    expect(withVariable.app).not.toBe(base.app);

    const newerNode = await keysAt(dir, config, { runtime: { ...RUNTIME, node: 'v20.20.3' } });
    expect([newerNode.lib === base.lib, newerNode.app === base.app]).toEqual([false, false]);
  });

  it('are unknown, never a constant, when a package folder is missing from the commit', async () => {
    const dir = repoWith(FILES);
    const missing = parseConfig(`${MONOREPO}  ghost: { path: packages/ghost, dependsOn: [lib] }\n`);
    const keys = await keysAt(dir, missing).catch(() => undefined);
    // The manifest read fails first for a missing folder; the key function alone says undefined.
    expect(keys).toBeUndefined();
    const snapshot = await CommitSnapshot.read(dir, git(dir, ['rev-parse', 'HEAD']));
    const graph = new Map([
      ['lib', []],
      ['ghost', ['lib']],
      ['app', ['ghost']],
    ]);
    const direct = packageKeys({
      snapshot,
      packages: { ...missing.packages, app: { ...(missing.packages.app as Config['packages'][string]) } },
      packagePaths: new Map([
        ['lib', 'packages/lib'],
        ['ghost', 'packages/ghost'],
        ['app', 'packages/app'],
      ]),
      graph,
      sharedInputs: 'x',
      variables: new Map(),
      services: {},
      runtime: RUNTIME,
    });
    expect(direct.get('lib')).toMatch(/^[0-9a-f]{64}$/);
    expect(direct.get('ghost')).toBeUndefined();
    expect(direct.get('app')).toBeUndefined(); // what depends on an unknown key is unknown too
  });

  it('of a package at the repository root change with every file in it', async () => {
    const single = parseConfig(SINGLE);
    const dir = repoWith(SINGLE_FILES);
    let before = await keysAt(dir, single);
    expect(before.app).toMatch(/^[0-9a-f]{64}$/);
    for (const path of Object.keys(SINGLE_FILES)) {
      write(dir, path, mutated(path, SINGLE_FILES[path] as string));
      const after = await keysAt(commit(dir), single);
      expect(after.app, path).not.toBe(before.app);
      const client = path.startsWith('client/');
      const server = path.startsWith('server/');
      // A suite's key follows its inputs and what lies outside every suite's inputs.
      expect(after['test:app:client'] !== before['test:app:client'], `${path} -> client`).toBe(!server);
      expect(after['test:app:server'] !== before['test:app:server'], `${path} -> server`).toBe(!client);
      before = after;
    }
    const otherService = parseConfig(SINGLE.replace('node db.js', 'node db2.js'));
    const keys = await keysAt(dir, otherService);
    expect(keys['test:app:server']).not.toBe(before['test:app:server']);
  });
});
