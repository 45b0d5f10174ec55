/**
 * The dashboard in a real Chromium against a real server: sign-in, the runs list, the
 * environments, a pushed run followed live, escaping of commit text, roles, CSRF, and the
 * security headers.
 */
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JobKind } from '../src/pipeline/job-kind.js';
import type { Store } from '../src/store/store.js';
import { deliver, pushPayload } from './helpers/github.js';
import { commitAll, FIXTURES, repoFrom } from './helpers/repo.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const SECRET = 'dashboard-test-secret';
/** Jobs of one lane that hold it until the test lets them go. */
let unpark: () => void = () => {};
const parked: JobKind = {
  supersededByNewer: false,
  afterCrash: 'retry-once',
  run: (_job, signal) =>
    new Promise((resolve) => {
      unpark = () => resolve('passed');
      signal.addEventListener('abort', () => resolve('failed'), { once: true });
    }),
};
const HOSTILE_MESSAGE = '<img src=x onerror=alert(1)> fix';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('the dashboard in a browser', () => {
  let store: Store;
  let started: TestServer;
  let browser: Browser;
  let url: string;
  let sha: string;
  let pushedRun: number;
  const tokens: Record<'viewer' | 'operator', string> = { viewer: '', operator: '' };
  /** The pushed run's page, opened as the run started and left open as it went on. */
  let live: { page: Page; activeAtRender: string | null };
  /** A server no run ever reaches, with a viewer of its own: the runs list as a first visitor sees it. */
  let empty: { server: TestServer; viewer: string };
  // Anything that would mean injected markup ran, or that the policy blocked our own code.
  const dialogs: string[] = [];
  const pageProblems: string[] = [];

  async function openPage(): Promise<Page> {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageProblems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/status of 40[13]/.test(message.text()))
        pageProblems.push(message.text());
    });
    return page;
  }

  async function signIn(token: string, base = url): Promise<Page> {
    const page = await openPage();
    await page.goto(`${base}/login`);
    await page.fill('#token', token);
    await Promise.all([page.waitForURL(`${base}/`), page.click('form.login button')]);
    return page;
  }

  const runCount = async () => (await store.runs.recent(1000)).length;

  beforeAll(async () => {
    const repo = repoFrom(join(FIXTURES, 'mini'));
    sha = commitAll(repo, HOSTILE_MESSAGE);
    started = await startTestServer(repo, SECRET, { kinds: { parked } });
    ({ store, url } = started);
    tokens.viewer = await store.tokens.issue('viewer-1', 'viewer');
    tokens.operator = await store.tokens.issue('operator-1', 'operator');
    const emptyServer = await startTestServer(repo, SECRET);
    empty = { server: emptyServer, viewer: await emptyServer.store.tokens.issue('viewer-1', 'viewer') };
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });

    // The run the tests below look at, pushed with the hostile message and followed in a page
    // from the moment it was queued, until it has ended.
    const page = await signIn(tokens.viewer);
    const { body } = await deliver(url, SECRET, pushPayload('main', sha, HOSTILE_MESSAGE));
    pushedRun = body.run as number;
    await page.goto(`${url}/runs/${pushedRun}`);
    live = { page, activeAtRender: await page.locator('#log').getAttribute('data-active') };
    await vi.waitFor(
      async () =>
        expect(['passed', 'failed', 'cancelled']).toContain((await store.runs.get(pushedRun))?.status),
      { timeout: 150_000, interval: 200 },
    );
  }, 200_000);
  afterAll(async () => {
    await browser?.close();
    await started?.close();
    await empty?.server.close();
  });
  // Every page is held to this, whichever test opened it and whatever ran before.
  afterEach(() => {
    expect(dialogs).toEqual([]);
    expect(pageProblems).toEqual([]);
  });

  it('sends a visitor without a session to sign in, with the security headers', async () => {
    for (const path of ['/', '/runs/1']) {
      const response = await fetch(`${url}${path}`, { redirect: 'manual' });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/login');
    }
    const login = await fetch(`${url}/login`);
    expect(login.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(login.headers.get('x-frame-options')).toBe('DENY');
    expect(login.headers.get('referrer-policy')).toBe('no-referrer');
    expect(login.headers.get('content-security-policy')).toMatch(
      /^default-src 'self'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+';/,
    );
  });

  it('refuses an unknown token and says how to make one', async () => {
    const page = await openPage();
    await page.goto(`${url}/login`);
    await page.fill('#token', 'wgl_forged');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${url}/login` && r.request().method() === 'POST'),
      page.click('form.login button'),
    ]);
    expect(response.status()).toBe(401);
    expect(await page.getByRole('alert').textContent()).toBe(
      'that token is not known: make one with waggle tokens create NAME --role viewer',
    );
    await page.context().close();
  });

  it('signs a viewer in to the runs list', async () => {
    const { server, viewer } = empty;
    const page = await signIn(viewer, server.url);
    expect(await page.locator('h1').textContent()).toBe('Runs');
    expect(await page.locator('header .who').textContent()).toBe('viewer-1 (viewer)');
    await page.getByText('No runs yet').waitFor();
    await page.goto(`${server.url}/login`); // already signed in: straight back to the runs
    expect(page.url()).toBe(`${server.url}/`);
    const audit = await server.store.audit.recent(500);
    expect(audit).toContainEqual(expect.objectContaining({ actor: 'viewer-1', action: 'dashboard.login' }));
    await page.context().close();
  });

  it('leads from the runs to the environments, which say how to add one when there are none', async () => {
    const { server, viewer } = empty;
    const page = await signIn(viewer, server.url);
    await Promise.all([
      page.waitForURL(`${server.url}/environments`),
      page.locator('header.top').getByRole('link', { name: 'Environments' }).click(),
    ]);
    expect(await page.locator('h1').textContent()).toBe('Environments');
    await page.getByText('No environments yet').waitFor();
    await page.context().close();
  });

  it('follows a pushed run live to its end, its commit text shown as text', async () => {
    const { page } = live;
    const libPassed = page.locator('#log .line', { hasText: 'test:lib' }).filter({ hasText: 'PASS 2 tests' });
    // Rendered while the run was still going: the page followed it over the event stream.
    expect(live.activeAtRender).toBe('true');
    await libPassed.waitFor({ timeout: 90_000 });
    await page.locator('#run-status.passed').waitFor({ timeout: 60_000 });
    await page.locator('table.tests').waitFor({ timeout: 15_000 }); // after the reload at the end
    await libPassed.waitFor();

    expect(await page.locator('#run-status').textContent()).toBe('passed');
    expect(await page.locator('pre.message').textContent()).toBe(HOSTILE_MESSAGE);
    expect(await page.locator('img').count()).toBe(0);
    const tests = await page.locator('table.tests tbody').textContent();
    expect(tests).toContain('lib › value › is the answer');
    expect(tests).toContain('test.mjs');
    const [artifact] = await store.artifacts.ofRun(pushedRun);
    const artifacts = await page.locator('table.artifacts tbody').textContent();
    expect(artifacts).toContain('app');
    expect(artifacts).toContain(artifact?.sha256);
    expect(await page.locator('[data-step-status="test:lib"]').textContent()).toBe('passed');
    await page.screenshot({ path: '/tmp/waggle-dashboard.png', fullPage: true });

    await page.goto(`${url}/`);
    const row = page.locator(`tr[data-run="${pushedRun}"]`);
    expect(await row.locator('td.subject').textContent()).toBe(HOSTILE_MESSAGE);
    expect(await row.locator('.badge').textContent()).toBe('passed');
    // The session cookie alone opens the API's event stream the live log reads.
    const stream = await page.request.get(`${url}/api/runs/${pushedRun}/events`);
    expect(stream.status()).toBe(200);
    expect(stream.headers()['content-type']).toBe('text/event-stream');
    expect(await stream.text()).toMatch(/event: end\ndata: \{"status":"passed"\}/);
    expect(dialogs).toEqual([]);
    expect(pageProblems).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('shows a viewer no Rerun or Cancel, and refuses a viewer form post with 403', async () => {
    const page = await signIn(tokens.viewer);
    await page.goto(`${url}/runs/${pushedRun}`);
    expect(await page.getByRole('button', { name: 'Rerun' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const before = await runCount();
    const refused = await page.request.post(`${url}/runs/${pushedRun}/rerun`, { form: { _csrf: csrf } });
    expect(refused.status()).toBe(403);
    expect(await runCount()).toBe(before);
    await page.context().close();
  });

  it('lets an operator rerun, landing on the new run', async () => {
    const page = await signIn(tokens.operator);
    await page.goto(`${url}/runs/${pushedRun}`);
    await Promise.all([page.waitForURL(/\/runs\/\d+$/), page.getByRole('button', { name: 'Rerun' }).click()]);
    const rerun = Number(new URL(page.url()).pathname.split('/').pop());
    expect(rerun).toBeGreaterThan(pushedRun);
    expect(await page.locator('h1').textContent()).toMatch(new RegExp(`^Run #${rerun}`));
    expect(await page.locator('dl.facts').textContent()).toContain('rerun');
    await page.locator('#run-status.passed').waitFor({ timeout: 60_000 });
    const audit = (await store.audit.recent(500)).filter((entry) => entry.action === 'run.rerun');
    expect(audit).toContainEqual(
      expect.objectContaining({ actor: 'operator-1', target: `run ${pushedRun}`, detail: `as run ${rerun}` }),
    );
    await page.context().close();
  }, 90_000);

  it('lets an operator cancel a run waiting in the queue', async () => {
    // A job of a lane held by another, so it stays queued for as long as the test needs.
    const pushed = await store.runs.get(pushedRun);
    const park = async (message: string) => {
      const id = await store.runs.create({
        repo: pushed?.repo ?? '',
        branch: 'main',
        sha,
        author: 'Nassim',
        message,
        trigger: 'push',
        kind: 'parked',
      });
      await started.server.queue.queued(id);
      return id;
    };
    const holding = await park('holding the lane');
    await vi.waitFor(async () => expect((await store.runs.get(holding))?.status).toBe('running'));
    const waiting = await park('waiting its turn');
    const page = await signIn(tokens.operator);
    await page.goto(`${url}/runs/${waiting}`);
    expect(await page.locator('#run-status').textContent()).toBe('queued');
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Cancel' }).click(),
    ]);
    await page.locator('#run-status.cancelled').waitFor();
    expect(page.url()).toBe(`${url}/runs/${waiting}`);
    expect(await page.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
    expect((await store.runs.get(waiting))?.status).toBe('cancelled');
    const audit = (await store.audit.recent(500)).filter((entry) => entry.action === 'run.cancel');
    expect(audit).toContainEqual(expect.objectContaining({ actor: 'operator-1', target: `run ${waiting}` }));
    await page.context().close();
    unpark();
  });

  it('refuses an operator post without the session CSRF token, as a page in the browser', async () => {
    const page = await signIn(tokens.operator);
    await page.goto(`${url}/runs/${pushedRun}`);
    const before = await runCount();
    const statuses = await page.evaluate(async (path) => {
      const post = (body: string) =>
        fetch(path, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        }).then((response) => response.status);
      return [await post(''), await post('_csrf=wrong')];
    }, `/runs/${pushedRun}/rerun`);
    expect(statuses).toEqual([403, 403]);

    // A stale or tampered form, submitted by the browser itself, gets a page that says what to do.
    await page.locator('form[action$="/rerun"] input[name="_csrf"]').evaluate((input) => {
      (input as { value: string }).value = 'tampered';
    });
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Rerun' }).click(),
    ]);
    expect(response.status()).toBe(403);
    expect(await page.getByRole('alert').textContent()).toContain('missing or wrong CSRF token');
    expect(await runCount()).toBe(before);
    await page.context().close();
  });

  it('signs out: the session ends and the pages ask to sign in again', async () => {
    const page = await signIn(tokens.viewer);
    await Promise.all([
      page.waitForURL(`${url}/login`),
      page.getByRole('button', { name: 'Sign out' }).click(),
    ]);
    await page.goto(`${url}/`);
    expect(page.url()).toBe(`${url}/login`);
    const audit = await store.audit.recent(500);
    expect(audit).toContainEqual(expect.objectContaining({ actor: 'viewer-1', action: 'dashboard.logout' }));
    await page.context().close();
  });
});
