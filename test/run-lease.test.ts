/**
 * Runs left behind by a crash are found by their lease, not their pid, and any unfinished run can
 * be cancelled: by this server's worker, in the store for a dead holder, or across processes.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { queueRun } from '../src/pipeline/ci-run.js';
import { ownerId } from '../src/pipeline/lease-keeper.js';
import type { RunSummary } from '../src/pipeline/summary.js';
import { createServer, type WaggleServer } from '../src/server/server.js';
import type { Run } from '../src/store/runs.js';
import { Store } from '../src/store/store.js';
import { git } from '../src/workspace/git.js';
import { WAGGLE_BIN } from './helpers/cli.js';
import { hangingSuiteConfig, isRunning } from './helpers/processes.js';
import { commitAll, FIXTURES, repoFrom } from './helpers/repo.js';
import { folderStepsCanWrite } from './helpers/step-folder.js';

const LEASE = { ttlMs: 1_500, renewMs: 200 };

describe('runs whose holder is gone', () => {
  let repo: string;
  let home: string;
  let store: Store;
  let server: WaggleServer;
  let url: string;
  let operator: string;
  /** Run 1 as the server found it on starting, and the retry the server made of it. */
  let pidOneAtStart: string | undefined;
  let retryOfPidOne: Run | undefined;

  /** A run recorded as running under someone else's lease, as a crashed process leaves it. */
  const leftRunning = async (owner: string, leaseMs: number) => {
    const id = await queueRun(store, {
      repo,
      sha: git(repo, ['rev-parse', 'HEAD']),
      branch: 'main',
      trigger: 'push',
    });
    await store.runs.start(id, { owner, expiresAt: Date.now() + leaseMs }, Date.now());
    return id;
  };

  beforeAll(async () => {
    repo = repoFrom(join(FIXTURES, 'mini'));
    home = mkdtempSync(join(tmpdir(), 'waggle-lease-'));
    store = Store.open(home);
    // Before the server starts: a run held by "pid 1 in this very place", a pid that is alive
    // (it is init, or a restarted container's new server) though its holder is long dead.
    const pidOne = await leftRunning(
      ownerId({ host: hostname(), pidNamespace: readlinkSync('/proc/self/ns/pid') }, 1),
      1_000,
    );
    const configFile = join(repo, 'waggle.yml');
    server = await createServer({
      store,
      home,
      config: loadConfig(configFile).config,
      configFile,
      webhookSecret: 'lease-secret',
      lease: LEASE,
    });
    url = await server.listen(0, '127.0.0.1');
    pidOneAtStart = (await store.runs.get(pidOne))?.status;
    operator = await store.tokens.issue('ops', 'operator');
    expect(pidOne).toBe(1);
    // Once its lease runs out the server recovers it and runs it again; the tests start after that
    // retry has ended, so that no other run is going on while they look at what runs.
    retryOfPidOne = await vi.waitFor(
      async () => {
        const row = (await store.runs.recent(1_000)).find((run) => run.retry_of === pidOne);
        expect(['passed', 'failed', 'cancelled', 'interrupted']).toContain(row?.status);
        return row;
      },
      { timeout: 60_000, interval: 200 },
    );
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
  });

  it('recovers a run whose holder pid is alive once its lease runs out, and runs it again', async () => {
    expect(pidOneAtStart).toBe('running'); // its lease had not run out yet
    expect(retryOfPidOne?.status).toBe('passed');
    expect(retryOfPidOne?.retry_of).toBe(1);
    expect(await store.runs.get(1)).toMatchObject({
      status: 'interrupted',
      error: 'the server stopped mid-run',
    });
  });

  it('cancels a run held by a process elsewhere whose lease still runs', async () => {
    const id = await leftRunning(ownerId({ host: 'another-host', pidNamespace: 'pid:[9]' }, 4242), 600_000);
    const response = await fetch(`${url}/api/runs/${id}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operator}` },
    });
    expect(response.status).toBe(202);
    expect((await store.runs.get(id))?.status).toBe('cancelled');
    const again = await fetch(`${url}/api/runs/${id}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operator}` },
    });
    expect(again.status).toBe(409);
  });

  it('stops a `waggle run` in another process when its run is cancelled through the API', async () => {
    const pidFile = join(folderStepsCanWrite(), 'sleeper.pid');
    writeFileSync(join(repo, 'waggle.yml'), hangingSuiteConfig(pidFile));
    commitAll(repo, 'a suite that hangs');
    const child = spawn(process.execPath, [WAGGLE_BIN, 'run', '--json'], {
      cwd: repo,
      env: { ...process.env, WAGGLE_HOME: home },
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await vi.waitFor(() => expect(existsSync(pidFile)).toBe(true), { timeout: 60_000, interval: 100 });
    const running = await store.runs.running();
    expect(running).toHaveLength(1);
    const id = running[0]?.id as number;
    const response = await fetch(`${url}/api/runs/${id}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operator}` },
    });
    expect(response.status).toBe(202);
    expect(await exited).toBe(1);
    expect((JSON.parse(stdout) as RunSummary).status).toBe('cancelled');
    const sleeperPid = Number(readFileSync(pidFile, 'utf8'));
    await vi.waitFor(() => expect(isRunning(sleeperPid)).toBe(false));
  });
});
