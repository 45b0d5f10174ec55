import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewRun } from './runs.js';
import { Store } from './store.js';

const SHA = 'a'.repeat(40);
const push = (over: Partial<NewRun> = {}): NewRun => ({
  repo: '/repo',
  branch: 'main',
  sha: SHA,
  author: 'Ada',
  message: 'fix the build',
  trigger: 'push',
  ...over,
});

describe('runs', () => {
  let store: Store;
  beforeEach(() => {
    store = Store.open(mkdtempSync(join(tmpdir(), 'waggle-runs-')));
  });
  afterEach(() => store.close());

  it('creates a queued run, with nothing started and no lease', async () => {
    const before = Date.now();
    const id = await store.runs.create(push({ options: '{"all":true}', delivery_id: 'd-1' }));
    const run = await store.runs.get(id);
    expect(run).toMatchObject({
      ...push(),
      status: 'queued',
      base_sha: null,
      options: '{"all":true}',
      delivery_id: 'd-1',
      retry_of: null,
      started_at: null,
      finished_at: null,
      lease_owner: null,
      lease_expires_at: null,
    });
    expect(run?.created_at).toBeGreaterThanOrEqual(before);
    expect(await store.runs.get(id + 1)).toBeUndefined();
  });

  it('creates a run already running under a lease, so no worker takes it as queued', async () => {
    const id = await store.runs.create(push({ trigger: 'cli' }), { owner: 'me', expiresAt: 9_000 });
    const run = await store.runs.get(id);
    expect(run).toMatchObject({ status: 'running', lease_owner: 'me', lease_expires_at: 9_000 });
    expect(run?.started_at).toBe(run?.created_at);
    expect(await store.runs.queued()).toEqual([]);
    expect((await store.runs.running()).map((r) => r.id)).toEqual([id]);
  });

  it('hands queued runs out oldest first, and lists the newest first', async () => {
    const first = await store.runs.create(push());
    const second = await store.runs.create(push({ branch: 'other' }));
    expect((await store.runs.queued()).map((r) => r.id)).toEqual([first, second]);
    expect((await store.runs.queued(1)).map((r) => r.id)).toEqual([first]);
    await store.runs.start(first, { owner: 'w', expiresAt: 1 }, 10);
    expect((await store.runs.queued()).map((r) => r.id)).toEqual([second]);
    expect((await store.runs.recent(10)).map((r) => r.id)).toEqual([second, first]);
    expect((await store.runs.recent(1)).map((r) => r.id)).toEqual([second]);
    expect((await store.runs.unfinishedIds()).sort()).toEqual([first, second]);
  });

  it('starts a run under a lease, keeping when it first started', async () => {
    const id = await store.runs.create(push());
    await store.runs.start(id, { owner: 'one', expiresAt: 100 }, 50);
    expect(await store.runs.get(id)).toMatchObject({
      status: 'running',
      started_at: 50,
      lease_owner: 'one',
      lease_expires_at: 100,
    });
    await store.runs.start(id, { owner: 'two', expiresAt: 300 }, 250);
    expect(await store.runs.get(id)).toMatchObject({
      started_at: 50,
      lease_owner: 'two',
      lease_expires_at: 300,
    });
  });

  it('renews only the leases its owner holds on running runs', async () => {
    const mine = await store.runs.create(push(), { owner: 'me', expiresAt: 100 });
    const theirs = await store.runs.create(push(), { owner: 'them', expiresAt: 100 });
    const ended = await store.runs.create(push(), { owner: 'me', expiresAt: 100 });
    await store.runs.update(ended, { status: 'passed', finished_at: 90 });
    expect(await store.runs.renewLeases('me', [mine, theirs, ended], 500)).toEqual([mine]);
    expect((await store.runs.get(mine))?.lease_expires_at).toBe(500);
    expect((await store.runs.get(theirs))?.lease_expires_at).toBe(100);
    expect(await store.runs.renewLeases('me', [], 500)).toEqual([]);
  });

  it('cancels an unfinished run with its unfinished steps, and refuses an ended one', async () => {
    const id = await store.runs.create(push(), { owner: 'elsewhere', expiresAt: 100 });
    const step = (key: string) => ({ run_id: id, key, stage: 'build', name: key, package: null });
    const done = await store.steps.add(step('install'));
    await store.steps.update(done, { status: 'passed' });
    await store.steps.add(step('build:api'));
    expect(await store.runs.cancelUnfinished(id, 'cancelled by nassim', 700)).toBe(true);
    expect(await store.runs.get(id)).toMatchObject({
      status: 'cancelled',
      finished_at: 700,
      error: 'cancelled by nassim',
    });
    expect((await store.steps.ofRun(id)).map((s) => [s.key, s.status, s.detail])).toEqual([
      ['install', 'passed', null],
      ['build:api', 'cancelled', 'cancelled by nassim'],
    ]);
    expect(await store.runs.cancelUnfinished(id, 'again', 800)).toBe(false);
    expect((await store.runs.get(id))?.finished_at).toBe(700);
  });

  it('marks a run left behind interrupted, its unfinished steps cancelled', async () => {
    const id = await store.runs.create(push(), { owner: 'dead', expiresAt: 1 });
    await store.steps.add({ run_id: id, key: 'install', stage: 'build', name: 'install', package: null });
    await store.runs.markInterrupted(id, 'the server stopped mid-run');
    expect(await store.runs.get(id)).toMatchObject({
      status: 'interrupted',
      error: 'the server stopped mid-run',
    });
    expect((await store.steps.ofRun(id))[0]?.status).toBe('cancelled');
    expect(await store.runs.running()).toEqual([]);
  });

  it('supersedes the older queued runs of the same branch only', async () => {
    const older = await store.runs.create(push());
    const otherBranch = await store.runs.create(push({ branch: 'feature' }));
    const running = await store.runs.create(push(), { owner: 'w', expiresAt: 100 });
    const newer = await store.runs.create(push({ sha: 'b'.repeat(40) }));
    const newest = await store.runs.create(push({ sha: 'c'.repeat(40) }));
    expect(await store.runs.supersedeQueued('/repo', 'main', newer)).toEqual([older]);
    expect(await store.runs.get(older)).toMatchObject({
      status: 'cancelled',
      error: `superseded by run ${newer}`,
    });
    for (const id of [otherBranch, newer, newest]) expect((await store.runs.get(id))?.status).toBe('queued');
    expect((await store.runs.get(running))?.status).toBe('running');
  });

  it("finds a branch's last passed run at another commit, and any run of a commit", async () => {
    const passedOld = await store.runs.create(push({ sha: '1'.repeat(40) }));
    const passedNew = await store.runs.create(push({ sha: '2'.repeat(40) }));
    const failed = await store.runs.create(push({ sha: '3'.repeat(40) }));
    const sameSha = await store.runs.create(push({ sha: '4'.repeat(40) }));
    const otherBranch = await store.runs.create(push({ branch: 'feature', sha: '5'.repeat(40) }));
    for (const id of [passedOld, passedNew, sameSha, otherBranch])
      await store.runs.update(id, { status: 'passed' });
    await store.runs.update(failed, { status: 'failed' });
    expect((await store.runs.lastPassed('/repo', 'main', '4'.repeat(40)))?.id).toBe(passedNew);
    expect((await store.runs.lastPassed('/repo', 'main', '2'.repeat(40)))?.id).toBe(sameSha);
    expect(await store.runs.lastPassed('/other', 'main', SHA)).toBeUndefined();
    expect((await store.runs.forCommit('/repo', 'main', '3'.repeat(40)))?.id).toBe(failed);
    expect(await store.runs.forCommit('/repo', 'feature', '3'.repeat(40))).toBeUndefined();
  });

  it('measures changes from the last passed CI run, not from a later deploy of an older one', async () => {
    const older = await store.runs.create(push({ sha: '1'.repeat(40) }));
    const newer = await store.runs.create(push({ sha: '2'.repeat(40) }));
    const deploy = await store.runs.create(push({ sha: '1'.repeat(40), kind: 'deploy' }));
    for (const id of [older, newer, deploy]) await store.runs.update(id, { status: 'passed' });
    expect((await store.runs.lastPassed('/repo', 'main', '3'.repeat(40)))?.id).toBe(newer);
  });

  it('queues a run again with the same commit and options, as a rerun or a retry', async () => {
    const id = await store.runs.create(push({ options: '{"until":"test"}', delivery_id: 'd-7' }));
    await store.runs.update(id, { status: 'interrupted', base_sha: 'f'.repeat(40) });
    const original = await store.runs.get(id);
    if (!original) throw new Error('no run');
    const rerun = await store.runs.queueAgain(original, { trigger: 'rerun' });
    expect(await store.runs.get(rerun)).toMatchObject({
      ...push({ trigger: 'rerun' }),
      options: '{"until":"test"}',
      status: 'queued',
      base_sha: null,
      delivery_id: null,
      retry_of: null,
    });
    const retry = await store.runs.queueAgain(original, {
      trigger: 'push',
      delivery_id: 'd-7',
      retry_of: id,
    });
    expect(await store.runs.get(retry)).toMatchObject({ trigger: 'push', delivery_id: 'd-7', retry_of: id });
  });
});
