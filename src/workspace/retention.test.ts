import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nextMillisecond } from '../../test/helpers/clock.js';
import { Store } from '../store/store.js';
import { applyRetention, spaceUsed } from './retention.js';

const RETENTION = { workspaces: 1, artifacts: 1, installs: 1, builds: 1 };
const stores: Store[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

function fresh(): { base: string; home: string; store: Store } {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'waggle-retention-')));
  const home = join(base, 'home');
  const store = Store.open(home);
  stores.push(store);
  return { base, home, store };
}

function file(path: string, bytes: number): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, Buffer.alloc(bytes, 1));
  return path;
}

async function finishedRun(store: Store): Promise<number> {
  const id = await store.runs.create({
    repo: '/repo',
    branch: 'main',
    sha: 'a'.repeat(40),
    author: 'bee',
    message: 'm',
    trigger: 'cli',
  });
  await store.runs.update(id, { status: 'passed', finished_at: id });
  return id;
}

describe('spaceUsed', () => {
  it('counts regular files once per inode, by entry of the home, without following links', () => {
    const base = realpathSync(mkdtempSync(join(tmpdir(), 'waggle-space-')));
    const home = join(base, 'home');
    const big = file(join(base, 'outside', 'big.bin'), 50_000);
    const cached = file(join(home, 'cache', 'node_modules', 'k', 'm.bin'), 700);
    mkdirSync(join(home, 'workspaces', '1'), { recursive: true });
    linkSync(cached, join(home, 'workspaces', '1', 'm.bin'));
    file(join(home, 'workspaces', '1', 'own.bin'), 30);
    symlinkSync(big, join(home, 'workspaces', '1', 'big.bin'));
    symlinkSync(join(base, 'outside'), join(home, 'workspaces', 'out'));
    file(join(home, 'artifacts', 'a-0123456789ab.tgz'), 200);

    const used = spaceUsed(home);
    expect(used.byFolder.cache).toBe(700);
    expect(used.byFolder.workspaces).toBe(30);
    expect(used.byFolder.artifacts).toBe(200);
    expect(used).toEqual({ total: 930, byFolder: { artifacts: 200, cache: 700, workspaces: 30 } });
  });

  it('is empty for a home that does not exist yet', () => {
    expect(spaceUsed(join(tmpdir(), 'waggle-no-such-home-x'))).toEqual({ total: 0, byFolder: {} });
  });
});

describe('applyRetention', () => {
  it('leaves alone what is not a run folder, an artifact, or a finished cache entry', async () => {
    const { home, store } = fresh();
    const runs = [await finishedRun(store), await finishedRun(store)];
    for (const id of runs) file(join(home, 'workspaces', String(id), 'f'), 10);
    const notes = file(join(home, 'workspaces', 'notes', 'f'), 10);
    const partial = file(join(home, 'artifacts', 'api-0123456789ab.tgz.partial'), 10);
    const saving = file(join(home, 'cache', 'builds', '.tmp-k-1-2', 'f'), 10);
    const installing = file(join(home, 'cache', 'node_modules', '.tmp-k-1-2', 'f'), 10);

    const result = await applyRetention({ home, store, retention: RETENTION });
    expect(result.removed).toEqual([join(home, 'workspaces', String(runs[0]))]);
    expect(result.removedBytes).toBe(10);
    for (const kept of [notes, partial, saving, installing]) expect(existsSync(kept)).toBe(true);
  });

  it('removes nothing through a folder of the home that is a link out of it', async () => {
    const { base, home, store } = fresh();
    const outside = join(base, 'elsewhere');
    const victim = file(join(outside, 'api-0123456789ab.tgz'), 10);
    symlinkSync(outside, join(home, 'artifacts'));
    const result = await applyRetention({ home, store, retention: RETENTION });
    expect(result.removed).toEqual([]);
    expect(existsSync(victim)).toBe(true);
  });

  it('forgets a removed build, and removes outputs no row remembers', async () => {
    const { home, store } = fresh();
    const run = await finishedRun(store);
    for (const key of ['old', 'new']) {
      file(join(home, 'cache', 'builds', key, 'dist', 'x'), 10);
      await store.cache.remember(key, 'build', 'api', run);
      await nextMillisecond();
    }
    file(join(home, 'cache', 'builds', 'orphan', 'dist', 'x'), 10);
    await store.cache.remember('t', 'test', 'api', run);

    const result = await applyRetention({ home, store, retention: RETENTION });
    expect(result.removed.sort()).toEqual(
      [join(home, 'cache', 'builds', 'old'), join(home, 'cache', 'builds', 'orphan')].sort(),
    );
    expect(await store.cache.recall('old', 'build')).toBeUndefined();
    expect(await store.cache.recall('new', 'build')).toBe(run);
    expect(await store.cache.recall('t', 'test')).toBe(run);
  });

  it('never turns a stored key that is not a plain name into a path', async () => {
    const { home, store } = fresh();
    const run = await finishedRun(store);
    await store.cache.remember('../../waggle.db', 'build', 'api', run);
    await nextMillisecond();
    await store.cache.remember('new', 'build', 'api', run);
    const result = await applyRetention({ home, store, retention: RETENTION });
    expect(result.removed).toEqual([]);
    expect(existsSync(join(home, 'waggle.db'))).toBe(true);
    expect(await store.cache.recall('../../waggle.db', 'build')).toBeUndefined();
  });

  it('keeps the install in use and marks it used now, so it outlives newer unused ones', async () => {
    const { home, store } = fresh();
    const dir = join(home, 'cache', 'node_modules');
    ['a', 'b', 'c'].forEach((key, i) => {
      file(join(dir, key, 'node_modules', 'x'), 10);
      utimesSync(join(dir, key), 1000 + i, 1000 + i);
    });
    const now = 5_000_000;
    await applyRetention({ home, store, retention: RETENTION, keepInstallKeys: ['a'], now });
    expect(existsSync(join(dir, 'a'))).toBe(true);
    expect(existsSync(join(dir, 'b'))).toBe(false);
    expect(existsSync(join(dir, 'c'))).toBe(false);
    expect(statSync(join(dir, 'a')).mtimeMs).toBe(now);
  });

  it('counts a hard-linked file as freed only when its last link goes', async () => {
    const { home, store } = fresh();
    const dir = join(home, 'cache', 'node_modules');
    file(join(dir, 'old', 'x'), 400);
    utimesSync(join(dir, 'old'), 1000, 1000);
    file(join(dir, 'new', 'x'), 10);
    const old = await finishedRun(store);
    const current = await finishedRun(store);
    for (const id of [old, current]) {
      mkdirSync(join(home, 'workspaces', String(id)), { recursive: true });
      linkSync(join(dir, 'new', 'x'), join(home, 'workspaces', String(id), 'x'));
    }
    // Run `old` links the entry about to go as well: its bytes are freed once both have gone.
    linkSync(join(dir, 'old', 'x'), join(home, 'workspaces', String(old), 'y'));

    const result = await applyRetention({ home, store, retention: RETENTION, keepInstallKeys: ['new'] });
    expect(result.removed).toEqual([join(home, 'workspaces', String(old)), join(dir, 'old')]);
    expect(result.removedBytes).toBe(400);
  });
});
