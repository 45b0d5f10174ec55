import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../clock.js';
import { Store } from '../store/store.js';
import { isAbandoned, LeaseKeeper, ownerId } from './lease-keeper.js';

const TIMING = { ttlMs: 30_000, renewMs: 20 };

async function queuedRun(store: Store): Promise<number> {
  return store.runs.create({
    repo: '/repo',
    branch: 'main',
    sha: 'a'.repeat(40),
    author: 'a',
    message: 'm',
    trigger: 'cli',
  });
}

describe('LeaseKeeper', () => {
  const stores: Store[] = [];
  const open = () => {
    const store = Store.open(mkdtempSync(join(tmpdir(), 'waggle-lease-')));
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  it('calls a run abandoned only once its lease runs out, whatever became of its pid', async () => {
    const store = open();
    const clock = new ManualClock(1_000_000);
    const holder = new LeaseKeeper(store, () => {}, TIMING, clock);
    const id = await queuedRun(store);
    await holder.hold(id);
    await holder.stop(); // the holder dies: no more renewals
    // Its pid is alive (it is this very process), as after a restart in a container.
    const other = new LeaseKeeper(store, () => {}, TIMING, clock);
    expect(await other.abandoned()).toEqual([]);
    await clock.advance(TIMING.ttlMs - 1);
    expect(await other.abandoned()).toEqual([]);
    await clock.advance(2);
    expect((await other.abandoned()).map((run) => run.id)).toEqual([id]);
  });

  it('keeps a held run alive by renewing it, and stops when released', async () => {
    const store = open();
    const clock = new ManualClock(1_000_000);
    const holder = new LeaseKeeper(store, () => {}, TIMING, clock);
    const id = await queuedRun(store);
    await holder.hold(id);
    await clock.advance(TIMING.ttlMs * 3);
    await vi.waitFor(async () =>
      expect((await store.runs.get(id))?.lease_expires_at).toBe(clock.now() + TIMING.ttlMs),
    );
    expect(await holder.abandoned()).toEqual([]);
    holder.release(id);
    await clock.advance(TIMING.ttlMs + 1);
    expect((await holder.abandoned()).map((run) => run.id)).toEqual([id]);
  });

  it('tells its holder when a held run was cancelled by another process', async () => {
    const store = open();
    const lost: number[] = [];
    const holder = new LeaseKeeper(store, (runId) => lost.push(runId), TIMING);
    const id = await queuedRun(store);
    await holder.hold(id);
    expect(await store.runs.cancelUnfinished(id, 'cancelled', Date.now())).toBe(true);
    await vi.waitFor(() => expect(lost).toEqual([id]));
    expect(await store.runs.cancelUnfinished(id, 'cancelled', Date.now())).toBe(false);
    await holder.stop();
  });
});

describe('isAbandoned', () => {
  const here = { host: 'web-1', pidNamespace: 'pid:[1]' };
  const now = 1_000_000;
  const lease = (place: typeof here, pid: number, expiresAt: number | null) => ({
    lease_owner: ownerId(place, pid),
    lease_expires_at: expiresAt,
  });
  const alive = (pid: number) => pid === 1 || pid === 77;

  it.each([
    ['a lease that ran out, though its pid is alive (reused)', lease(here, 1, now - 1), true],
    ['a lease still valid, holder here and alive', lease(here, 77, now + 10), false],
    ['a lease still valid, holder here and dead', lease(here, 4242, now + 10), true],
    [
      'a lease still valid, holder dead in another pid namespace',
      lease({ ...here, pidNamespace: 'pid:[2]' }, 4242, now + 10),
      false,
    ],
    ['a lease still valid, holder on another host', lease({ ...here, host: 'web-2' }, 4242, now + 10), false],
    ['no lease at all (a row from before leases)', { lease_owner: null, lease_expires_at: null }, true],
  ])('%s', (_what, run, expected) => {
    expect(isAbandoned(run, now, here, alive)).toBe(expected);
  });
});
