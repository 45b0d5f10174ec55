/**
 * What each environment runs, over a real server: the API as JSON (a configured environment never
 * deployed included, an unknown one a 404, no token a 401), and the dashboard page behind a session.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnvironmentView } from '../src/server/environments.js';
import type { Store } from '../src/store/store.js';
import { commitAll, FIXTURES, repoFrom } from './helpers/repo.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const RELEASE = '20250101-120000-abc1234';

describe('the environments', () => {
  let started: TestServer;
  let store: Store;
  let viewer: string;
  let source: number;
  let done: number;
  let going: number;
  let since: number;

  const get = (path: string, token?: string) =>
    fetch(`${started.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  /**
   * A run of a commit, CI or a deploy job of `source` to `deployTo`, running under a lease of the
   * test's own so the server's queue leaves it alone, or passed.
   */
  async function run(status: 'passed' | 'running', deployTo?: string): Promise<number> {
    const id = await store.runs.create(
      {
        repo: '/repo',
        branch: 'main',
        sha: 'a'.repeat(40),
        author: 'Nassim',
        message: 'a change',
        trigger: deployTo ? 'cli' : 'push',
        ...(deployTo
          ? { kind: 'deploy', options: JSON.stringify({ environment: deployTo, sourceRun: source }) }
          : {}),
      },
      { owner: 'environments test', expiresAt: Date.now() + 3_600_000 },
    );
    if (status === 'passed') await store.runs.update(id, { status, finished_at: Date.now() });
    return id;
  }

  beforeAll(async () => {
    const repo = repoFrom(join(FIXTURES, 'mini'));
    appendFileSync(
      join(repo, 'waggle.yml'),
      `environments:
  staging:
    hosts: [{ name: staging-1, path: ${join(repo, 'hosts', 'staging-1')}, roles: [web, api, db] }]
    url: https://staging.example/?a=1&b=<2>
  production:
    after: staging
    hosts: [{ name: web-1, path: ${join(repo, 'hosts', 'web-1')}, roles: [web, api, db] }]
`,
    );
    commitAll(repo, 'two environments');
    started = await startTestServer(repo, 'environments-secret');
    store = started.store;
    viewer = await store.tokens.issue('env-viewer', 'viewer');

    source = await run('passed');
    done = await run('passed', 'staging');
    since = Date.now() - 60_000;
    for (const pkg of ['app', '<img src=x onerror=alert(1)>'])
      await store.hostReleases.placed({
        environment: 'staging',
        host: 'staging-1',
        package: pkg,
        release: RELEASE,
        source_run: source,
        deploy_run: done,
        since,
      });
    going = await run('running', 'staging');
    const taken = store.deployLocks.acquire({
      environment: 'staging',
      run_id: going,
      owner: 'test pid 1',
      actor: 'nassim',
    });
    expect(taken.acquired).toBe(true);
    // No longer in waggle.yml, but its host still runs what was put there.
    await store.hostReleases.placed({
      environment: 'retired',
      host: 'old-1',
      package: 'app',
      release: RELEASE,
      source_run: source,
      deploy_run: done,
      since,
    });
  }, 60_000);
  afterAll(async () => {
    await started?.close();
  });

  it('lists the configured environments, then the ones only the store knows, to a viewer', async () => {
    const response = await get('/api/environments', viewer);
    expect(response.status).toBe(200);
    const environments = (await response.json()) as EnvironmentView[];
    expect(environments.map((e) => e.name)).toEqual(['staging', 'production', 'retired']);
    const [staging, production] = environments;
    expect(staging).toEqual({
      name: 'staging',
      url: 'https://staging.example/?a=1&b=<2>',
      hosts: [
        {
          host: 'staging-1',
          packages: [
            {
              package: '<img src=x onerror=alert(1)>',
              release: RELEASE,
              since,
              sourceRun: source,
              deployRun: done,
            },
            { package: 'app', release: RELEASE, since, sourceRun: source, deployRun: done },
          ],
        },
      ],
      lock: { runId: going, actor: 'nassim', since: expect.any(Number) },
      lastDeploy: { runId: going, status: 'running', finishedAt: null },
    });
    expect(production).toEqual({ name: 'production', hosts: [], lock: null, lastDeploy: null });
  });

  it('answers one environment by name, and 404 for one it does not know', async () => {
    const staging = await get('/api/environments/staging', viewer);
    expect(staging.status).toBe(200);
    expect(((await staging.json()) as EnvironmentView).lock?.runId).toBe(going);
    const retired = (await (await get('/api/environments/retired', viewer)).json()) as EnvironmentView;
    // Its last deploy job was to staging; the one that put its release there is all it has.
    expect(retired).toMatchObject({ name: 'retired', lastDeploy: { runId: done, status: 'passed' } });
    for (const name of ['nowhere', '__proto__', 'toString']) {
      const response = await get(`/api/environments/${name}`, viewer);
      expect(response.status, name).toBe(404);
      expect(await response.json()).toEqual({ error: `no environment ${name}` });
    }
  });

  it('refuses a caller without a token', async () => {
    for (const path of ['/api/environments', '/api/environments/staging'])
      expect((await get(path)).status, path).toBe(401);
  });

  it('shows the page to a signed-in viewer, names from the store as text', async () => {
    const login = await fetch(`${started.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: viewer }).toString(),
      redirect: 'manual',
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const response = await fetch(`${started.url}/environments`, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'self'/);
    const page = await response.text();
    expect(page).toMatch(/<h2>staging<\/h2>[\s\S]*<h2>production<\/h2>[\s\S]*<h2>retired<\/h2>/);
    expect(page).toContain(
      '<a href="https://staging.example/?a=1&amp;b=&lt;2&gt;" rel="noreferrer">https://staging.example/?a=1&amp;b=&lt;2&gt;</a>',
    );
    expect(page).toContain(`held by nassim for <a href="/runs/${going}">run #${going}</a>`);
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img');
    expect(page).toContain('Never deployed: no host of production runs a release yet.');
    expect(page).toContain(`<a href="/runs/${done}">#${done}</a>`);

    const deployJob = await (await fetch(`${started.url}/runs/${going}`, { headers: { cookie } })).text();
    expect(deployJob).toContain(`<h1>Deploy to staging of run <a href="/runs/${source}">#${source}</a>`);
    const runs = await (await fetch(`${started.url}/`, { headers: { cookie } })).text();
    expect(runs).toContain('<span class="tag">deploy to staging</span>');

    const signedOut = await fetch(`${started.url}/environments`, { redirect: 'manual' });
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get('location')).toBe('/login');
  });
});

describe("an environment's lock", () => {
  let started: TestServer;

  beforeAll(async () => {
    const repo = repoFrom(join(FIXTURES, 'mini'));
    appendFileSync(
      join(repo, 'waggle.yml'),
      `environments:\n  staging:\n    hosts: [{ name: staging-1, path: ${join(repo, 'hosts', 'staging-1')}, roles: [web, api, db] }]\n`,
    );
    commitAll(repo, 'one environment');
    started = await startTestServer(repo, 'environments-lock-secret');
  }, 60_000);
  afterAll(async () => {
    await started?.close();
  });

  it('lets the lock go once its deploy has ended', async () => {
    const { store } = started;
    const viewer = await store.tokens.issue('lock-viewer', 'viewer');
    // A deploy job under a lease of the test's own, so the server's queue leaves it alone.
    const going = await store.runs.create(
      {
        repo: '/repo',
        branch: 'main',
        sha: 'a'.repeat(40),
        author: 'Nassim',
        message: 'a change',
        trigger: 'cli',
        kind: 'deploy',
        options: JSON.stringify({ environment: 'staging', sourceRun: 1 }),
      },
      { owner: 'environments test', expiresAt: Date.now() + 3_600_000 },
    );
    expect(
      store.deployLocks.acquire({ environment: 'staging', run_id: going, owner: 'test', actor: 'nassim' })
        .acquired,
    ).toBe(true);
    const look = async () =>
      (await (
        await fetch(`${started.url}/api/environments/staging`, {
          headers: { authorization: `Bearer ${viewer}` },
        })
      ).json()) as EnvironmentView;
    expect((await look()).lock).toMatchObject({ runId: going, actor: 'nassim' });
    await store.runs.update(going, { status: 'failed', finished_at: Date.now() });
    const staging = await look();
    expect(staging.lock).toBeNull();
    expect(staging.lastDeploy).toMatchObject({ runId: going, status: 'failed' });
  });
});
