/**
 * Retention over many runs, on real files and a real store: what remains of the waggle home is
 * exactly what waggle.yml's `retention` keeps, so its size stops growing with the number of runs.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Store } from '../src/store/store.js';
import { artifactFile } from '../src/workspace/artifact.js';
import { applyRetention, spaceUsed } from '../src/workspace/retention.js';
import { waggle } from './helpers/cli.js';
import { FIXTURES, repoFrom } from './helpers/repo.js';

const RETENTION = { workspaces: 3, artifacts: 10, installs: 2, builds: 4 };
/** Bytes of each thing a fake run leaves behind. */
const SIZE = { workspace: 1000, runHome: 10, install: 5000, build: 300, tgz: 2000, sha: 77, manifest: 50 };
const START = 1_700_000_000_000;

/** Keys by run number (1-based): a new lockfile every 4 runs, web changes every 2 runs, api every run. */
const lockKey = (n: number) => `lock${Math.ceil(n / 4)}`;
const keyOf = (pkg: 'api' | 'web', n: number) =>
  createHash('sha256')
    .update(`${pkg}-${pkg === 'web' ? Math.ceil(n / 2) : n}`)
    .digest('hex');

function file(path: string, bytes: number): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, Buffer.alloc(bytes, 7));
  return path;
}

let base: string;
let home: string;
let store: Store;
let clock: number;

beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'waggle-state-')));
  home = join(base, 'home');
  store = Store.open(home);
  clock = START;
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(clock);
});

afterEach(async () => {
  vi.useRealTimers();
  await store.close();
});

function tick(): number {
  clock += 1000;
  vi.setSystemTime(clock);
  return clock;
}

/** One run as `waggle run` leaves it: workspace, run home, install, builds, artifacts, rows. */
async function fakeRun(n: number, status: 'passed' | 'running' = 'passed'): Promise<number> {
  tick();
  const runId = await store.runs.create({
    repo: '/repo',
    branch: 'main',
    sha: n.toString(16).padStart(40, '0'),
    author: 'bee',
    message: `run ${n}`,
    trigger: 'cli',
  });
  const workspace = join(home, 'workspaces', String(runId));
  file(join(workspace, 'src', 'app.spec.ts'), SIZE.workspace);
  file(join(home, 'workspaces', `${runId}.home`, '.npmrc'), SIZE.runHome);

  const install = join(home, 'cache', 'node_modules', lockKey(n));
  if (!existsSync(install)) {
    file(join(install, 'node_modules', 'lib', 'index.js'), SIZE.install);
    utimesSync(install, clock / 1000, clock / 1000);
  }
  // Installs are hard-linked into the workspace, as `cp -al` does.
  mkdirSync(join(workspace, 'node_modules', 'lib'), { recursive: true });
  linkSync(
    join(install, 'node_modules', 'lib', 'index.js'),
    join(workspace, 'node_modules', 'lib', 'index.js'),
  );

  for (const pkg of ['api', 'web'] as const) {
    const key = keyOf(pkg, n);
    await store.steps.add({
      run_id: runId,
      key: `build:${pkg}`,
      stage: 'build',
      name: pkg,
      package: pkg,
      cache_key: key,
    });
    await store.steps.add({
      run_id: runId,
      key: `package:${pkg}`,
      stage: 'package',
      name: pkg,
      package: pkg,
      cache_key: key,
    });
    const outputs = join(home, 'cache', 'builds', key);
    if (!existsSync(outputs)) file(join(outputs, 'dist', 'main.js'), SIZE.build);
    await store.cache.remember(key, 'build', pkg, runId);
    const tgz = artifactFile(join(home, 'artifacts'), pkg, key);
    if (!existsSync(tgz)) {
      file(tgz, SIZE.tgz);
      file(`${tgz}.sha256`, SIZE.sha);
      file(`${tgz}.manifest.json`, SIZE.manifest);
    }
    await store.artifacts.add({
      run_id: runId,
      package: pkg,
      file: tgz,
      sha256: 'f'.repeat(64),
      size: SIZE.tgz,
      cache_key: key,
      manifest: '{}',
    });
  }
  if (status === 'running') {
    await store.runs.start(runId, { owner: 'elsewhere', expiresAt: clock + 60_000 }, clock);
    await store.steps.add({
      run_id: runId,
      key: 'install',
      stage: 'install',
      name: 'npm ci',
      cache_key: null,
    });
  } else {
    await store.steps.add({
      run_id: runId,
      key: 'install',
      stage: 'install',
      name: 'npm ci',
      cache_key: null,
    });
    for (const step of await store.steps.ofRun(runId))
      await store.steps.update(step.id, { status: 'passed' });
    await store.runs.update(runId, { status: 'passed', finished_at: clock });
  }
  return runId;
}

/** A run ends, and retention runs after it as every run will. */
async function endRun(runId: number, n: number) {
  return applyRetention({
    home,
    store,
    retention: RETENTION,
    keepRunIds: [runId],
    keepInstallKeys: [lockKey(n)],
    now: tick(),
  });
}

const ls = (...path: string[]) => readdirSync(join(home, ...path)).sort();
const bytesIn = () => {
  const { byFolder } = spaceUsed(home);
  return (byFolder.workspaces ?? 0) + (byFolder.artifacts ?? 0) + (byFolder.cache ?? 0);
};

/** Names that must remain once run `last` has ended. */
function expectedAfter(last: number, ids: (n: number) => number) {
  const runs = Array.from({ length: RETENTION.workspaces }, (_, i) => last - i);
  const workspaces = runs.flatMap((n) => [String(ids(n)), `${ids(n)}.home`]).sort();
  const artifactRuns = Array.from({ length: RETENTION.artifacts }, (_, i) => last - i);
  const tarballs = new Set(
    artifactRuns.flatMap((n) => (['api', 'web'] as const).map((pkg) => artifactFile('', pkg, keyOf(pkg, n)))),
  );
  const artifacts = [...tarballs].flatMap((t) => [t, `${t}.manifest.json`, `${t}.sha256`]).sort();
  const installs = [...new Set([lockKey(last), lockKey(last - 4)])].sort();
  const builds = new Set<string>();
  for (const pkg of ['api', 'web'] as const) {
    const keys = [...new Set(Array.from({ length: last }, (_, i) => keyOf(pkg, last - i)))];
    for (const key of keys.slice(0, RETENTION.builds)) builds.add(key);
  }
  return { workspaces, artifacts, installs, builds: [...builds].sort(), tarballs: tarballs.size };
}

describe('retention over many runs', () => {
  it('keeps exactly what waggle.yml says, and the home stops growing', async () => {
    const ids = new Map<number, number>();
    const sizes: number[] = [];
    for (let n = 1; n <= 40; n++) {
      const id = await fakeRun(n);
      ids.set(n, id);
      const before = bytesIn();
      const result = await endRun(id, n);
      // What retention says it freed is what the disk got back, hard links counted once.
      expect(result.removedBytes).toBe(before - bytesIn());
      sizes.push(bytesIn());

      if (n === 20) {
        const expected = expectedAfter(20, (m) => ids.get(m) as number);
        expect(ls('workspaces')).toEqual(expected.workspaces);
        expect(ls('artifacts')).toEqual(expected.artifacts);
        expect(ls('cache', 'node_modules')).toEqual(expected.installs);
        expect(ls('cache', 'builds')).toEqual(expected.builds);
        // Every build kept is recalled; none removed is.
        for (const pkg of ['api', 'web'] as const)
          for (let m = 1; m <= 20; m++) {
            const key = keyOf(pkg, m);
            expect(await store.cache.recall(key, 'build')).toEqual(
              expected.builds.includes(key) ? expect.any(Number) : undefined,
            );
          }
        const used = spaceUsed(home);
        expect(used.byFolder.workspaces).toBe(3 * (SIZE.workspace + SIZE.runHome));
        expect(used.byFolder.artifacts).toBe(expected.tarballs * (SIZE.tgz + SIZE.sha + SIZE.manifest));
        expect(used.byFolder.cache).toBe(2 * SIZE.install + 8 * SIZE.build);
      }
    }
    // The bound: each kind at its retention, whatever the number of runs.
    const bound =
      RETENTION.workspaces * (SIZE.workspace + SIZE.runHome) +
      2 * RETENTION.artifacts * (SIZE.tgz + SIZE.sha + SIZE.manifest) +
      RETENTION.installs * SIZE.install +
      2 * RETENTION.builds * SIZE.build;
    expect(Math.max(...sizes)).toBeLessThanOrEqual(bound);
    expect(sizes[39]).toBe(sizes[19]);
    const expected = expectedAfter(40, (m) => ids.get(m) as number);
    expect(ls('workspaces')).toEqual(expected.workspaces);
    expect(ls('artifacts')).toEqual(expected.artifacts);
  });

  it('never removes what a run still running uses: its workspace, build outputs, artifacts, installs', async () => {
    const ids: number[] = [];
    for (let n = 1; n <= 20; n++) ids.push(await fakeRun(n, n === 5 ? 'running' : 'passed'));
    const last = ids[19] as number;
    await endRun(last, 20);

    const running = ids[4] as number;
    expect(ls('workspaces')).toEqual(
      [running, ids[17], ids[18], last].flatMap((id) => [String(id), `${id}.home`]).sort(),
    );
    for (const pkg of ['api', 'web'] as const) {
      const key = keyOf(pkg, 5);
      expect(existsSync(join(home, 'cache', 'builds', key))).toBe(true);
      expect(await store.cache.recall(key, 'build')).toEqual(expect.any(Number));
      expect(existsSync(artifactFile(join(home, 'artifacts'), pkg, key))).toBe(true);
    }
    // Run 5 has not finished installing: which node_modules it links from is unknown, so none goes.
    expect(ls('cache', 'node_modules')).toEqual(['lock1', 'lock2', 'lock3', 'lock4', 'lock5']);

    await store.runs.update(running, { status: 'failed', finished_at: tick() });
    await endRun(last, 20);
    expect(ls('workspaces')).toEqual(
      [ids[17], ids[18], last].flatMap((id) => [String(id), `${id}.home`]).sort(),
    );
    expect(ls('cache', 'node_modules')).toEqual(['lock4', 'lock5']);
    expect(existsSync(join(home, 'cache', 'builds', keyOf('api', 5)))).toBe(false);
  });

  it('removes links planted in the home, never what they point at', async () => {
    const outside = join(base, 'outside');
    const secret = file(join(outside, 'secret.txt'), 123);
    const ids: number[] = [];
    for (let n = 1; n <= 12; n++) ids.push(await fakeRun(n));
    const [first, second] = ids as [number, number];
    // A committed symlink in a workspace, a run home that is itself a link, links in the caches.
    symlinkSync(outside, join(home, 'workspaces', String(first), 'escape'));
    symlinkSync(secret, join(home, 'workspaces', String(first), 'src', 'secret.txt'));
    const runHome = join(home, 'workspaces', `${second}.home`);
    rmSync(runHome, { recursive: true });
    symlinkSync(outside, runHome);
    symlinkSync(outside, join(home, 'cache', 'builds', keyOf('api', 1), 'dist', 'out'));
    symlinkSync(outside, join(home, 'cache', 'node_modules', 'lock1', 'node_modules', 'out'));

    const result = await endRun(ids[11] as number, 12);
    expect(result.removed).toEqual(
      expect.arrayContaining([
        join(home, 'workspaces', String(first)),
        runHome,
        join(home, 'cache', 'builds', keyOf('api', 1)),
        join(home, 'cache', 'node_modules', 'lock1'),
      ]),
    );
    expect(existsSync(runHome)).toBe(false);
    expect(readFileSync(secret).length).toBe(123);
    expect(readdirSync(outside)).toEqual(['secret.txt']);
  });
});

describe('waggle doctor', () => {
  interface Check {
    name: string;
    detail: string;
    notes?: string[];
    space?: { total: number; byFolder: Record<string, number> };
  }

  it('says where the state lives: under XDG_STATE_HOME, outside the checkout', async () => {
    const repo = repoFrom(join(FIXTURES, 'mini'));
    const state = join(base, 'xdg-state');
    const env = { XDG_STATE_HOME: state, WAGGLE_HOME: '' };
    const result = await waggle(['doctor', '--json'], { cwd: repo, env });
    const checks = JSON.parse(result.stdout) as Check[];
    const folder = checks.find((check) => check.name === 'state folder');
    expect(folder?.detail).toContain(join(state, 'waggle', ''));
    expect(folder?.detail).not.toContain(repo);
    expect(existsSync(join(repo, '.waggle'))).toBe(false);
  });

  it('shows the space used by folder, hard links once, and how retention bounds it', async () => {
    const repo = repoFrom(join(FIXTURES, 'mini'));
    const cached = file(join(home, 'cache', 'node_modules', 'k', 'lib.js'), 4000);
    file(join(home, 'workspaces', '1', 'app.js'), 1000);
    linkSync(cached, join(home, 'workspaces', '1', 'lib.js'));
    file(join(home, 'artifacts', 'api-0123456789ab.tgz'), 200);

    const json = await waggle(['doctor', '--json'], { cwd: repo, env: { WAGGLE_HOME: home } });
    const space = (JSON.parse(json.stdout) as Check[]).find((check) => check.name === 'space used');
    expect(space?.space?.byFolder).toMatchObject({ workspaces: 1000, artifacts: 200, cache: 4000 });
    const text = await waggle(['doctor'], { cwd: repo, env: { WAGGLE_HOME: home } });
    expect(text.stdout).toContain('workspaces 1000 B, artifacts 200 B, cache 3.9 KiB');
    expect(text.stdout).toContain('bounded by retention in waggle.yml');
    expect(text.stdout).toContain(`${home} is writable (from WAGGLE_HOME)`);
  });
});
