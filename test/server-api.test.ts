/** The API on a real server: tokens and roles, the audit log, live logs over Server-Sent Events. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Store } from '../src/store/store.js';
import { git } from '../src/workspace/git.js';
import { waggle } from './helpers/cli.js';
import { deliver, pushPayload } from './helpers/github.js';
import { FIXTURES, repoFrom } from './helpers/repo.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const SECRET = 'api-test-secret';

describe('the API', () => {
  let store: Store;
  let started: TestServer;
  let url: string;
  let repo: string;
  const tokens: Record<string, string> = {};
  /** Run 1, pushed first and followed over its event stream from the moment it was queued. */
  let streamed: { run: number; contentType: string | null; text: string };
  const call = (path: string, token?: string, method = 'GET') =>
    fetch(`${url}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    repo = repoFrom(join(FIXTURES, 'mini'));
    started = await startTestServer(repo, SECRET);
    ({ store, url } = started);
    for (const role of ['viewer', 'operator', 'admin'] as const)
      tokens[role] = await store.tokens.issue(`${role}-1`, role);
    const { body } = await deliver(url, SECRET, pushPayload('main', git(repo, ['rev-parse', 'HEAD'])));
    const response = await call(`/api/runs/${body.run}/events`, tokens.viewer);
    const contentType = response.headers.get('content-type');
    // The server ends the stream when the run ends: every test below finds run 1 finished.
    streamed = { run: body.run as number, contentType, text: await response.text() };
  }, 90_000);
  afterAll(async () => {
    await started?.close();
  });

  it('streams a run live: stored lines first, then new ones, then its end', async () => {
    expect(streamed.run).toBe(1);
    expect(streamed.contentType).toBe('text/event-stream');
    expect(streamed.text).toContain('event: log');
    expect(streamed.text).toMatch(/"step":"test:lib".*PASS 2 tests/);
    expect(streamed.text).toMatch(/event: end\ndata: \{"status":"passed"\}/);
    const lines = (await (
      await call(`/api/runs/${streamed.run}/logs?step=test:lib`, tokens.viewer)
    ).json()) as {
      line: string;
    }[];
    expect(lines.map((l) => l.line)).toContain('PASS 2 tests');
  });

  it('refuses every request without a token, and mutating ones without the role', async () => {
    expect((await call('/api/runs')).status).toBe(401);
    expect((await call('/api/runs/1/rerun', undefined, 'POST')).status).toBe(401);
    expect((await call('/api/runs/1/cancel', undefined, 'POST')).status).toBe(401);
    expect((await call('/api/runs', 'wgl_forged')).status).toBe(401);
    expect((await call('/api/runs', tokens.viewer)).status).toBe(200);
    expect((await call('/api/runs/1/cancel', tokens.viewer, 'POST')).status).toBe(403);
    expect((await call('/api/runs/1/rerun', tokens.viewer, 'POST')).status).toBe(403);
    expect((await call('/api/audit', tokens.operator)).status).toBe(403);
  });

  it('lets an operator rerun and cancel, and audits who did what from where', async () => {
    const rerun = await call('/api/runs/1/rerun', tokens.operator, 'POST');
    expect(rerun.status).toBe(202);
    const { run } = (await rerun.json()) as { run: number };
    const cancel = await call(`/api/runs/${run}/cancel`, tokens.operator, 'POST');
    expect([202, 409]).toContain(cancel.status); // it may have finished first on a fast machine
    await vi.waitFor(
      async () => expect(['cancelled', 'passed']).toContain((await store.runs.get(run))?.status),
      { timeout: 30_000 },
    );
    const log = (await (await call('/api/audit', tokens.admin)).json()) as {
      actor: string;
      action: string;
      ip: string;
    }[];
    expect(log.map((entry) => entry.action)).toEqual(expect.arrayContaining(['run.rerun', 'run.cancel']));
    expect(log[0]).toMatchObject({ actor: 'operator-1', ip: '127.0.0.1' });
  });

  it('shows a run with its steps, tests and artifacts', async () => {
    const detail = (await (await call('/api/runs/1', tokens.viewer)).json()) as {
      steps: unknown[];
      tests: { name: string }[];
      artifacts: { package: string }[];
    };
    expect(detail.steps.length).toBeGreaterThan(4);
    expect(detail.tests.map((t) => t.name)).toContain('is the answer');
    expect(detail.artifacts.map((a) => a.package)).toEqual(['app']);
    expect((await call('/api/runs/999', tokens.viewer)).status).toBe(404);
  });

  it('answers the CLI: runs list, show, logs and cancel against the server, with the token from WAGGLE_TOKEN', async () => {
    const as = (role: string) => ({ cwd: tmpdir(), env: { WAGGLE_SERVER: url, WAGGLE_TOKEN: tokens[role] } });
    const list = await waggle(['runs', 'list', '--json'], as('viewer'));
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).map((run: { id: number }) => run.id)).toContain(1);
    const show = await waggle(['runs', 'show', '1'], as('viewer'));
    expect(show.stdout).toContain('test lib');
    const logs = await waggle(['runs', 'logs', '1', '--step', 'test:lib'], as('viewer'));
    expect(logs.stdout).toContain('[test:lib] PASS 2 tests');
    const followed = await waggle(['runs', 'logs', '1', '-f'], as('viewer'));
    expect(followed.stdout).toContain('[test:lib] PASS 2 tests');
    const refused = await waggle(['runs', 'cancel', '1'], as('viewer'));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('a viewer token cannot operate');
    const anonymous = await waggle(['runs', 'list', '--server', url], {
      cwd: tmpdir(),
      env: { WAGGLE_TOKEN: '' },
    });
    expect(anonymous.code).toBe(2);
    expect(anonymous.stderr).toContain('WAGGLE_TOKEN');
  });
});
