/**
 * Twenty real runs, each of a new commit, leave a state folder bounded by `retention`: the
 * newest workspaces, the newest runs' artifacts and the newest build outputs, and no more.
 */
import { appendFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spaceUsed } from '../src/workspace/retention.js';
import { waggle } from './helpers/cli.js';
import { commitAll, FIXTURES, repoFrom } from './helpers/repo.js';

describe('state over twenty runs', () => {
  it('stays within what retention keeps', async () => {
    const repo = repoFrom(join(FIXTURES, 'mini'));
    const home = mkdtempSync(join(tmpdir(), 'waggle-retention-'));
    writeFileSync(
      join(repo, 'waggle.yml'),
      `name: fx
packages:
  lib: { path: packages/lib }
  app: { path: packages/app, service: { port: 4100 } }
retention: { workspaces: 2, artifacts: 3, installs: 1, builds: 2 }
`,
    );
    commitAll(repo, 'retention kept small');
    const sizes: number[] = [];
    for (let index = 1; index <= 20; index++) {
      // Each commit changes app, so each run builds, tests and packages it anew.
      appendFileSync(join(repo, 'packages/app/build.mjs'), `// change ${index}\n`);
      commitAll(repo, `change ${index}`);
      const result = await waggle(['run', '--json'], { cwd: repo, env: { WAGGLE_HOME: home } });
      expect(result.code, result.stderr).toBe(0);
      sizes.push(spaceUsed(home).byFolder.artifacts ?? 0);
    }
    const workspaces = readdirSync(join(home, 'workspaces')).filter((name) => /^\d+$/.test(name));
    expect(workspaces.map(Number).sort((a, b) => a - b)).toEqual([19, 20]);
    expect(readdirSync(join(home, 'workspaces')).filter((name) => name.endsWith('.home'))).toHaveLength(2);
    const tarballs = readdirSync(join(home, 'artifacts')).filter((name) => name.endsWith('.tgz'));
    expect(tarballs).toHaveLength(3);
    const builds = readdirSync(join(home, 'cache', 'builds')).filter((name) => !name.startsWith('.'));
    expect(builds.length).toBeLessThanOrEqual(2 * 2); // two packages, two kept each
    // Past the first few runs, the artifacts kept stop growing: about three runs' worth of bytes
    // (each commit's tarball is a few bytes longer than the last, so allow a little slack).
    expect(Math.max(...sizes.slice(5))).toBeLessThan(Math.max(...sizes.slice(0, 5)) * 1.5);
    expect(Math.max(...sizes.slice(5))).toBeLessThan(sizes.slice(0, 5).reduce((a, b) => a + b, 0));
  }, 480_000);
});
