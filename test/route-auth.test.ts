/**
 * Every route the server registers, taken from its own route table (so a route added tomorrow is
 * covered the day it is added): refused without a token and with a revoked one, mutating ones
 * refused to a viewer, and dashboard forms refused without their CSRF token.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waggle } from './helpers/cli.js';
import { FIXTURES, repoFrom } from './helpers/repo.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/** Routes anyone may call, and why. */
const PUBLIC = new Map([
  ['GET /healthz', 'health checks of load balancers'],
  ['GET /favicon.ico', 'browsers ask for it before signing in'],
  ['GET /login', 'the sign-in page'],
  ['POST /login', 'signing in: checks the token it is given'],
  ['POST /webhooks/github', 'GitHub: checked by its HMAC signature instead'],
]);
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

describe('access to every route', () => {
  let started: TestServer;
  let viewer: string;
  let revoked: string;
  const routes = () =>
    started.server.routes.map((route) => ({ ...route, id: `${route.method} ${route.url}` }));
  // Dashboard forms post form-encoded bodies; the API takes bodiless POSTs.
  const call = (method: string, url: string, headers: Record<string, string> = {}) => {
    const form = MUTATING.has(method) && !url.startsWith('/api/');
    return fetch(`${started.url}${url.replace(':id', '1')}`, {
      method,
      headers: { ...headers, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form ? '' : undefined,
      redirect: 'manual',
    });
  };
  /** Refused: 401/403 from the API, or a redirect to the sign-in page from the dashboard. */
  const refused = (response: Response) =>
    [401, 403].includes(response.status) ||
    ([302, 303].includes(response.status) && response.headers.get('location') === '/login');

  beforeAll(async () => {
    const repo = repoFrom(join(FIXTURES, 'mini'));
    started = await startTestServer(repo, 'route-secret');
    viewer = await started.store.tokens.issue('route-viewer', 'viewer');
    revoked = await started.store.tokens.issue('route-revoked', 'admin');
    const revoke = await waggle(['tokens', 'revoke', 'route-revoked'], {
      cwd: repo,
      env: { WAGGLE_HOME: started.home },
    });
    expect(revoke.code, revoke.stderr).toBe(0);
  });
  afterAll(async () => {
    await started?.close();
  });

  it('knows the routes it checks, and every public one is listed with its reason', () => {
    const ids = routes().map((route) => route.id);
    expect(ids.length).toBeGreaterThan(PUBLIC.size + 5);
    for (const id of PUBLIC.keys()) expect(ids, id).toContain(id);
  });

  it('refuses every other route without a token, and with a revoked one', async () => {
    for (const route of routes().filter((r) => !PUBLIC.has(r.id))) {
      expect(refused(await call(route.method, route.url)), `${route.id} without a token`).toBe(true);
      const withRevoked = await call(route.method, route.url, { authorization: `Bearer ${revoked}` });
      expect(refused(withRevoked), `${route.id} with a revoked token`).toBe(true);
    }
  });

  it('refuses every mutating route to a viewer', async () => {
    const mutating = routes().filter(
      (r) => MUTATING.has(r.method) && !PUBLIC.has(r.id) && r.url !== '/logout',
    );
    expect(mutating.length).toBeGreaterThan(2);
    for (const route of mutating) {
      const response = await call(route.method, route.url, { authorization: `Bearer ${viewer}` });
      expect(response.status, route.id).toBe(403);
    }
  });

  it('refuses every dashboard form posted with a session but without its CSRF token', async () => {
    const login = await fetch(`${started.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: viewer }).toString(),
      redirect: 'manual',
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(cookie).toMatch(/^waggle_session=/);
    const forms = routes().filter(
      (r) => r.method === 'POST' && !r.url.startsWith('/api/') && !PUBLIC.has(r.id),
    );
    expect(forms.map((r) => r.url)).toContain('/logout');
    for (const route of forms) {
      const response = await call(route.method, route.url, { cookie });
      expect(response.status, route.id).toBe(403);
      expect(await response.text(), route.id).toMatch(/CSRF|cannot/);
    }
  });
});
