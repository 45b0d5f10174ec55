import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from './store.js';

describe('deploy locks and host releases', () => {
  let store: Store;
  const job = (status: 'running' | 'passed' = 'running') =>
    store.runs
      .create({
        repo: 'r',
        branch: 'main',
        sha: 'abc',
        author: 'a',
        message: 'm',
        trigger: 'cli',
        kind: 'deploy',
      })
      .then(async (id) => {
        await store.runs.update(id, { status });
        return id;
      });
  beforeEach(() => {
    store = Store.open(mkdtempSync(join(tmpdir(), 'waggle-locks-')));
  });
  afterEach(() => store.close());

  it('gives one deploy job the lock, refuses another naming the holder, and lets the holder take it again', async () => {
    const first = await job();
    const second = await job();
    expect(
      store.deployLocks.acquire({ environment: 'staging', run_id: first, owner: 'me', actor: 'ann' }, 5),
    ).toEqual({
      acquired: true,
    });
    expect(
      store.deployLocks.acquire({ environment: 'staging', run_id: second, owner: 'you', actor: 'bob' }),
    ).toEqual({
      acquired: false,
      holder: { environment: 'staging', run_id: first, owner: 'me', actor: 'ann', acquired_at: 5 },
    });
    // Other environments are their own.
    expect(
      store.deployLocks.acquire({ environment: 'production', run_id: second, owner: 'you', actor: 'bob' })
        .acquired,
    ).toBe(true);
    // The same job, resumed after a crash by another process, takes it again.
    expect(
      store.deployLocks.acquire({ environment: 'staging', run_id: first, owner: 'later', actor: 'ann' })
        .acquired,
    ).toBe(true);
    await store.deployLocks.release('staging', second); // not the holder: nothing happens
    expect((await store.deployLocks.get('staging'))?.run_id).toBe(first);
    await store.deployLocks.release('staging', first);
    expect(await store.deployLocks.get('staging')).toBeUndefined();
  });

  it('takes over a lock whose job has ended, and opens one by force', async () => {
    const dead = await job();
    store.deployLocks.acquire({ environment: 'staging', run_id: dead, owner: 'gone', actor: 'ann' });
    await store.runs.update(dead, { status: 'failed' });
    const next = await job();
    expect(
      store.deployLocks.acquire({ environment: 'staging', run_id: next, owner: 'me', actor: 'bob' }).acquired,
    ).toBe(true);
    expect(await store.deployLocks.forceOpen('staging')).toMatchObject({ run_id: next, actor: 'bob' });
    expect(await store.deployLocks.forceOpen('staging')).toBeUndefined();
  });

  it('keeps what each host runs, one row per host and package', async () => {
    const row = { environment: 'staging', host: 'api', package: 'billing', source_run: 1, deploy_run: 2 };
    await store.hostReleases.placed({ ...row, release: 'r1', since: 10 });
    await store.hostReleases.placed({ ...row, host: 'web', package: 'web', release: 'r1', since: 10 });
    await store.hostReleases.placed({ ...row, release: 'r2', since: 20, deploy_run: 3 });
    expect(await store.hostReleases.of('staging')).toEqual([
      { ...row, release: 'r2', since: 20, deploy_run: 3 },
      { ...row, host: 'web', package: 'web', release: 'r1', since: 10 },
    ]);
    expect(await store.hostReleases.environments()).toEqual(['staging']);
  });
});
