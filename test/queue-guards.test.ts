/**
 * The queue's guards, each with a test that fails when the guard is removed: cancelling a running
 * run stops it and its processes at once, and a run interrupted twice is retried only once.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { queueRun } from '../src/pipeline/ci-run.js';
import { createServer, type WaggleServer } from '../src/server/server.js';
import { Store } from '../src/store/store.js';
import { git } from '../src/workspace/git.js';
import { deliver, pushPayload } from './helpers/github.js';
import { hangingSuiteConfig, isRunning } from './helpers/processes.js';
import { commitAll, FIXTURES, repoFrom } from './helpers/repo.js';
import { folderStepsCanWrite } from './helpers/step-folder.js';

const SECRET = 'guard-secret';

describe('queue guards', () => {
  let repo: string;
  let home: string;
  let store: Store;
  let server: WaggleServer;
  let url: string;
  let firstTime: number;
  let alreadyRetry: number;

  /** A run a dead process left running, its lease long gone. */
  const abandoned = async (retryOf?: number) => {
    const id = await queueRun(store, {
      repo,
      sha: git(repo, ['rev-parse', 'HEAD']),
      branch: 'main',
      trigger: 'push',
      retryOf,
    });
    await store.runs.start(id, { owner: 'a process that died', expiresAt: Date.now() - 60_000 }, Date.now());
    return id;
  };

  beforeAll(async () => {
    repo = repoFrom(join(FIXTURES, 'mini'));
    home = mkdtempSync(join(tmpdir(), 'waggle-guards-'));
    store = Store.open(home);
    firstTime = await abandoned();
    // A retry already (of a run long gone): interrupted again, it is not queued a third time.
    alreadyRetry = await abandoned(999);
    const configFile = join(repo, 'waggle.yml');
    server = await createServer({
      store,
      home,
      config: loadConfig(configFile).config,
      configFile,
      webhookSecret: SECRET,
    });
    url = await server.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
  });

  it('retries an interrupted run once, and an interrupted retry not again', async () => {
    await vi.waitFor(
      async () => {
        const runs = await store.runs.recent(100);
        expect(runs.find((run) => run.retry_of === firstTime)?.status).toBe('passed');
      },
      { timeout: 60_000, interval: 200 },
    );
    const runs = await store.runs.recent(100);
    expect(runs.find((run) => run.id === firstTime)?.status).toBe('interrupted');
    expect(runs.find((run) => run.id === alreadyRetry)?.status).toBe('interrupted');
    expect(runs.filter((run) => run.retry_of === firstTime)).toHaveLength(1);
    expect(runs.filter((run) => run.retry_of === alreadyRetry)).toEqual([]);
  });

  it('ends a running run as cancelled through the API, its processes gone at once', async () => {
    const pidFile = join(folderStepsCanWrite(), 'sleeper.pid');
    writeFileSync(join(repo, 'waggle.yml'), hangingSuiteConfig(pidFile));
    const sha = commitAll(repo, 'a suite that hangs for a minute');
    const { body } = await deliver(url, SECRET, pushPayload('main', sha));
    await vi.waitFor(() => expect(existsSync(pidFile)).toBe(true), { timeout: 60_000, interval: 100 });
    const operator = await store.tokens.issue('guard-ops', 'operator');
    const response = await fetch(`${url}/api/runs/${body.run}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operator}` },
    });
    expect(response.status).toBe(202);
    // Well within the suite's minute: the run ends cancelled, and the grandchild is gone.
    await vi.waitFor(
      async () => expect((await store.runs.get(body.run as number))?.status).toBe('cancelled'),
      {
        timeout: 10_000,
        interval: 100,
      },
    );
    const sleeperPid = Number(readFileSync(pidFile, 'utf8'));
    await vi.waitFor(() => expect(isRunning(sleeperPid)).toBe(false), { timeout: 10_000, interval: 100 });
  });
});
