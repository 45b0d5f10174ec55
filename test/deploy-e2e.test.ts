/**
 * End-to-end tests after a deploy: the commit's suite runs against the environment's URL; a
 * broken front-end fails it, keeps what it saw as an artifact and tells the contacts.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalTransport } from '../src/deploy/local-transport.js';
import { Pm2 } from '../src/deploy/pm2.js';
import { HostNginx } from '../src/router/nginx.js';
import { Store } from '../src/store/store.js';
import { waggle } from './helpers/cli.js';
import { freePort } from './helpers/ports.js';
import { Receiver } from './helpers/receivers.js';
import { commitAll, FIXTURES, repoFrom } from './helpers/repo.js';

describe('end-to-end tests after a deploy', () => {
  let dir: string;
  let repo: string;
  let host: string;
  let receiver: Receiver;
  let good: Awaited<ReturnType<typeof waggle>>;
  let broken: Awaited<ReturnType<typeof waggle>>;
  const env = () => ({ WAGGLE_HOME: join(dir, 'home'), SHOP_PAYMENT_KEY: 'pk_e2e_1234567' });
  const run = (args: string[]) => waggle(args, { cwd: repo, env: env() });
  const events = () =>
    receiver.to('/hook').map((r) => JSON.parse(r.body) as { event: string; title: string });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'waggle-deploy-e2e-'));
    chmodSync(dir, 0o755); // nginx's workers read the site as nobody, as under /srv
    host = join(dir, 'host');
    receiver = await Receiver.start();
    repo = repoFrom(join(FIXTURES, 'shop'));
    const config = readFileSync(join(repo, 'waggle.yml'), 'utf8')
      .replace('API_PORT', String(await freePort()))
      .replace('WEB_PORT', String(await freePort()))
      .replace('HOST_FOLDER', host)
      .replace('    health:', '    e2e: { path: e2e, run: node check.mjs, timeout: 1m }\n    health:');
    writeFileSync(
      join(repo, 'waggle.yml'),
      `${config}contacts:\n  - { name: qa, webhook: { url: "${receiver.url}/hook", secret: qa-secret }, on: [e2e.*] }\n`,
    );
    commitAll(repo, 'end-to-end tests after each deploy, and a contact for them');
    expect((await run(['run', '--no-notify'])).code).toBe(0);
    good = await run(['deploy', 'staging']);
    writeFileSync(join(repo, 'packages/web/title.txt'), 'Shoop\n');
    commitAll(repo, 'a typo in the title');
    expect((await run(['run', '--no-notify'])).code).toBe(0);
    broken = await run(['deploy', 'staging']);
  }, 240_000);
  afterAll(async () => {
    await receiver?.close();
    const transport = new LocalTransport('staging-1', host);
    await new Pm2(transport, join(host, 'shop', '.pm2')).kill();
    await new HostNginx(transport, join(host, 'shop', 'nginx')).stop().catch(() => false);
  });

  it('passes against a good release, its cases kept like unit tests', async () => {
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect(good.stderr).toMatch(/✓ e2e .*2 tests/);
    const store = Store.open(join(dir, 'home'));
    try {
      const deploy = (await store.runs.recent(10)).find((r) => r.kind === 'deploy');
      expect(deploy).toBeDefined();
      const first = (await store.runs.recent(10)).filter((r) => r.kind === 'deploy').at(-1);
      const cases = await store.tests.ofRun(first?.id as number);
      expect(cases.map((c) => `${c.package} ${c.name} ${c.status}`).sort()).toEqual([
        'e2e the API lists orders through the router passed',
        'e2e the home page shows the shop passed',
      ]);
    } finally {
      await store.close();
    }
  });

  it('fails against a broken front-end, keeps what it saw and tells the contact', async () => {
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('✗ e2e: 1 test failed');
    const store = Store.open(join(dir, 'home'));
    try {
      const deploy = (await store.runs.recent(10)).find((r) => r.kind === 'deploy');
      const evidence = (await store.artifacts.ofRun(deploy?.id as number)).find((a) => a.package === 'e2e');
      expect(evidence?.file).toBeDefined();
      expect(existsSync(evidence?.file as string)).toBe(true);
      expect(JSON.parse(evidence?.manifest ?? '{}').files.map((f: { path: string }) => f.path)).toEqual([
        'the-home-page-shows-the-shop.html',
      ]);
    } finally {
      await store.close();
    }
    await vi.waitFor(() => expect(events()).toHaveLength(2), { timeout: 10_000 });
    expect(events().map((e) => e.event)).toEqual(['e2e.passed', 'e2e.failed']);
    expect(events()[1]?.title).toMatch(
      /End-to-end tests of staging failed after deploy \d+ .*: 1 test failed/,
    );
  });
});
