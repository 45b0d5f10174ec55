/**
 * Jobs side by side: `server.workers` CI runs at once, and jobs of other lanes (a deploy's
 * environment) beside them, one at a time in each lane.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { createServer, type WaggleServer } from '../src/server/server.js';
import { Store } from '../src/store/store.js';
import { git } from '../src/workspace/git.js';
import { deliver, pushPayload } from './helpers/github.js';
import { heldJobs } from './helpers/held-jobs.js';
import { hangingSuiteConfig, isRunning } from './helpers/processes.js';
import { commitAll, FIXTURES, repoFrom } from './helpers/repo.js';
import { folderStepsCanWrite } from './helpers/step-folder.js';

const SECRET = 'workers-secret';

describe('jobs side by side', () => {
  let repo: string;
  let home: string;
  let store: Store;
  let server: WaggleServer;
  let url: string;
  const {
    kind: perEnvironment,
    started,
    release,
    releaseAll,
  } = heldJobs({
    supersededByNewer: false,
    afterCrash: 'resume',
    // The job's branch stands for a deploy's environment.
    lane: (job) => `environment:${job.branch}`,
    collapseQueued: true,
  });
  const pids = folderStepsCanWrite();
  const pid = (branch: string) => join(pids, `pid-${branch}`);
  /** Each branch's suite hangs and says where, so the test sees which runs are at work. */
  const configFor = (branch: string) =>
    `${hangingSuiteConfig(pid(branch))}server: { workers: 2 }\ntrigger: { branches: [one, two, three] }\n`;
  const status = async (id: number) => (await store.runs.get(id))?.status;

  beforeAll(async () => {
    repo = repoFrom(join(FIXTURES, 'mini'));
    home = mkdtempSync(join(tmpdir(), 'waggle-workers-'));
    store = Store.open(home);
    const configFile = join(repo, 'waggle.yml');
    writeFileSync(configFile, configFor('main'));
    commitAll(repo, 'suites that hang');
    server = await createServer({
      store,
      home,
      config: loadConfig(configFile).config,
      configFile,
      webhookSecret: SECRET,
      kinds: { environment: perEnvironment },
    });
    url = await server.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    releaseAll();
    await server?.close();
    await store?.close();
  });

  it('runs two CI runs at once with workers: 2, and queues the third', async () => {
    const runs: number[] = [];
    for (const branch of ['one', 'two', 'three']) {
      git(repo, ['checkout', '--quiet', '-B', branch]);
      writeFileSync(join(repo, 'waggle.yml'), configFor(branch));
      const { body } = await deliver(url, SECRET, pushPayload(branch, commitAll(repo, `work on ${branch}`)));
      runs.push(body.run as number);
    }
    const [one, two, three] = runs as [number, number, number];
    await vi.waitFor(() => expect(existsSync(pid('one')) && existsSync(pid('two'))).toBe(true), {
      timeout: 60_000,
      interval: 100,
    });
    expect(await status(one)).toBe('running');
    expect(await status(two)).toBe('running');
    expect(await status(three)).toBe('queued');

    // A place freed is taken by the run that waited.
    await server.queue.cancel(one);
    await vi.waitFor(() => expect(existsSync(pid('three'))).toBe(true), { timeout: 60_000, interval: 100 });
    expect(await status(one)).toBe('cancelled');
    await server.queue.cancel(two);
    await server.queue.cancel(three);
    for (const branch of ['one', 'two', 'three']) {
      const sleeper = Number(readFileSync(pid(branch), 'utf8'));
      await vi.waitFor(() => expect(isRunning(sleeper)).toBe(false), { timeout: 10_000, interval: 100 });
    }
  }, 180_000);

  it('runs jobs of different lanes side by side, and one lane one job at a time', async () => {
    const job = async (environment: string) => {
      const id = await store.runs.create({
        repo: server.mirror.path,
        branch: environment,
        sha: git(repo, ['rev-parse', 'HEAD']),
        author: 'ops',
        message: `to ${environment}`,
        trigger: 'test',
        kind: 'environment',
      });
      await server.queue.queued(id);
      return id;
    };
    const staging = await job('staging');
    const production = await job('production');
    const stagingAgain = await job('staging');
    await vi.waitFor(() => expect(started).toEqual([staging, production]));
    expect(await status(stagingAgain)).toBe('queued');

    // Waiting jobs of a lane collapse to the newest; the one at work is left alone.
    const newest = await job('staging');
    expect(await status(stagingAgain)).toBe('cancelled');
    expect((await store.runs.get(stagingAgain))?.error).toBe(`superseded by run ${newest}`);
    expect(await status(staging)).toBe('running');

    release(staging);
    await vi.waitFor(() => expect(started).toEqual([staging, production, newest]));
    expect(await status(staging)).toBe('passed');
    expect(await status(production)).toBe('running');
  });
});
