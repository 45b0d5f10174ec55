/**
 * One queue, jobs of several kinds: a newer push supersedes the CI run it makes obsolete, and
 * leaves alone a job whose kind is never superseded (as deploys will be), even on the same branch.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { createServer, type WaggleServer } from '../src/server/server.js';
import { Store } from '../src/store/store.js';
import { git } from '../src/workspace/git.js';
import { deliver, pushPayload } from './helpers/github.js';
import { heldJobs } from './helpers/held-jobs.js';
import { commitAll, FIXTURES, repoFrom } from './helpers/repo.js';

const SECRET = 'kinds-secret';

describe('jobs of different kinds in one queue', () => {
  let repo: string;
  let store: Store;
  let server: WaggleServer;
  let url: string;
  const {
    kind: hold,
    started,
    release,
    releaseAll,
  } = heldJobs({ supersededByNewer: false, afterCrash: 'resume' });
  const holdJob = async () => {
    const id = await store.runs.create({
      repo: server.mirror.path,
      branch: 'main',
      sha: git(repo, ['rev-parse', 'HEAD']),
      author: 'ops',
      message: 'a job that must not be superseded',
      trigger: 'test',
      kind: 'hold',
    });
    await server.queue.queued(id);
    return id;
  };
  const status = async (id: number) => (await store.runs.get(id))?.status;

  beforeAll(async () => {
    repo = repoFrom(join(FIXTURES, 'mini'));
    const home = mkdtempSync(join(tmpdir(), 'waggle-kinds-'));
    store = Store.open(home);
    const configFile = join(repo, 'waggle.yml');
    server = await createServer({
      store,
      home,
      config: loadConfig(configFile).config,
      configFile,
      webhookSecret: SECRET,
      kinds: { hold },
    });
    url = await server.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    releaseAll();
    await server?.close();
    await store?.close();
  });

  it('supersedes the queued CI run of a branch and leaves the never-superseded job running', async () => {
    const held = await holdJob();
    await vi.waitFor(() => expect(started).toEqual([held]));
    const first = await deliver(url, SECRET, pushPayload('main', git(repo, ['rev-parse', 'HEAD'])));
    const second = await deliver(url, SECRET, pushPayload('main', commitAll(repo, 'a newer push')));
    const laterHold = await holdJob();

    await vi.waitFor(async () => expect(await status(first.body.run as number)).toBe('cancelled'));
    expect((await store.runs.get(first.body.run as number))?.error).toBe(
      `superseded by run ${second.body.run}`,
    );
    expect(await status(held)).toBe('running');
    // CI runs have a lane of their own: the newer push runs to its end beside the held job.
    await vi.waitFor(async () => expect(await status(second.body.run as number)).toBe('passed'), {
      timeout: 60_000,
      interval: 100,
    });
    expect(await status(held)).toBe('running');
    // A newer job of its kind does not supersede it; it waits for the lane.
    expect(await status(laterHold)).toBe('queued');
    expect(started).toEqual([held]);

    release(held);
    await vi.waitFor(async () => expect(await status(held)).toBe('passed'));
    await vi.waitFor(() => expect(started).toEqual([held, laterHold]));
  });
});
