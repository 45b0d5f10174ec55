/** The GitHub webhook receiver and the queue, on a real server and port, with signed payloads. */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Store } from '../src/store/store.js';
import { git } from '../src/workspace/git.js';
import { deliver, pushPayload } from './helpers/github.js';
import { commitAll, FIXTURES, repoFrom } from './helpers/repo.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const SECRET = 'webhook-secret-for-tests';

describe('POST /webhooks/github', () => {
  let repo: string;
  let store: Store;
  let started: TestServer;
  let url: string;
  const head = () => git(repo, ['rev-parse', 'HEAD']);
  const runs = () => store.runs.recent(1_000);
  const deliveries = () => store.deliveries.recent(1_000);
  /** The ids of every run and delivery stored so far: what a refused request must leave as it is. */
  const stored = async () => ({
    runs: (await runs()).map((run) => run.id),
    deliveries: (await deliveries()).map((delivery) => delivery.id),
  });
  const waitForRun = (id: number, statuses = ['passed', 'failed', 'cancelled']) =>
    vi.waitFor(
      async () => {
        const run = await store.runs.get(id);
        expect(statuses).toContain(run?.status);
        return run;
      },
      { timeout: 60_000, interval: 100 },
    );

  beforeAll(async () => {
    repo = repoFrom(join(FIXTURES, 'mini'));
    started = await startTestServer(repo, SECRET);
    ({ store, url } = started);
  });
  afterAll(async () => {
    await started?.close();
  });

  it('answers ping', async () => {
    const response = await deliver(url, SECRET, { zen: 'Design for failure.' }, { event: 'ping' });
    expect(response.status).toBe(200);
  });

  it('refuses unsigned, forged and re-signed-with-another-secret requests, storing nothing', async () => {
    const before = await stored();
    const payload = pushPayload('main', head());
    expect((await deliver(url, undefined, payload)).status).toBe(401);
    expect((await deliver(url, SECRET, payload, { signature: `sha256=${'0'.repeat(64)}` })).status).toBe(401);
    expect((await deliver(url, 'not-the-secret', payload)).status).toBe(401);
    expect(await stored()).toEqual(before);
  });

  it('answers 400 to a signed body that is not JSON, and 413 beyond 25 MB', async () => {
    const before = (await stored()).runs;
    expect((await deliver(url, SECRET, null, { body: '{"ref": ' })).status).toBe(400);
    const huge = JSON.stringify({ padding: 'x'.repeat(25 * 1024 * 1024) });
    expect((await deliver(url, SECRET, null, { body: huge })).status).toBe(413);
    expect((await stored()).runs).toEqual(before);
  });

  it('queues a run for a push to a watched branch, answers 202 with its id, and runs it', async () => {
    const response = await deliver(url, SECRET, pushPayload('main', head(), 'initial import'));
    expect(response.status).toBe(202);
    const runId = response.body.run as number;
    expect(runId).toBeGreaterThan(0);
    const run = await waitForRun(runId);
    expect(run?.status).toBe('passed');
    expect(run).toMatchObject({ trigger: 'push', author: 'Nassim', branch: 'main', sha: head() });
  });

  it('makes one run of a delivery however often it is replayed', async () => {
    appendFileSync(join(repo, 'packages/app/build.mjs'), '// replayed\n');
    const sha = commitAll(repo, 'replayed change');
    const first = await deliver(url, SECRET, pushPayload('main', sha), { delivery: 'delivery-replayed' });
    const again = await deliver(url, SECRET, pushPayload('main', sha), { delivery: 'delivery-replayed' });
    expect(first.status).toBe(202);
    expect(again).toMatchObject({ status: 202, body: { duplicate: true, run: first.body.run } });
    expect((await runs()).filter((run) => run.sha === sha)).toHaveLength(1);
    await waitForRun(first.body.run as number);
  });

  it('ignores other branches, tags and deletions, saying why', async () => {
    const other = await deliver(url, SECRET, pushPayload('feature/x', head()));
    expect(other).toMatchObject({ status: 202, body: { ignored: expect.stringContaining('not watched') } });
    const tag = await deliver(url, SECRET, { ...pushPayload('main', head()), ref: 'refs/tags/v1' });
    expect(tag.body.ignored).toContain('tag v1');
    const deletion = await deliver(url, SECRET, { ...pushPayload('main', '0'.repeat(40)), deleted: true });
    expect(deletion.body.ignored).toContain('deleted');
  });

  it('keeps one CI run of two quick pushes to a branch: the newest', async () => {
    appendFileSync(join(repo, 'packages/lib/build.mjs'), '// first\n');
    const first = commitAll(repo, 'first of two');
    appendFileSync(join(repo, 'packages/lib/build.mjs'), '// second\n');
    const second = commitAll(repo, 'second of two');
    const a = await deliver(url, SECRET, pushPayload('main', first));
    const b = await deliver(url, SECRET, pushPayload('main', second));
    const newest = await waitForRun(b.body.run as number);
    expect(newest?.status).toBe('passed');
    const older = await store.runs.get(a.body.run as number);
    expect(older?.status).toBe('cancelled');
    expect(older?.error).toMatch(/superseded/);
  });
});
