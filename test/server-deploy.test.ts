/**
 * A push that passes goes on to staging by itself: the server queues a deploy of the run's
 * artifacts to the first environment, under its own waggle.yml, and tells the contacts.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { LocalTransport } from '../src/deploy/local-transport.js';
import { Pm2 } from '../src/deploy/pm2.js';
import { HostNginx } from '../src/router/nginx.js';
import { createServer, type WaggleServer } from '../src/server/server.js';
import { Store } from '../src/store/store.js';
import { git } from '../src/workspace/git.js';
import { deliver, pushPayload } from './helpers/github.js';
import { freePort } from './helpers/ports.js';
import { Receiver } from './helpers/receivers.js';
import { commitAll, FIXTURES, repoFrom } from './helpers/repo.js';

const SECRET = 'deploy-hook-secret';

describe('a passed push deploys to staging', () => {
  let dir: string;
  let store: Store;
  let server: WaggleServer;
  let receiver: Receiver;
  let url: string;
  let web: string;
  let host: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'waggle-server-deploy-'));
    chmodSync(dir, 0o755); // nginx's workers read the site as nobody, as under /srv
    host = join(dir, 'host');
    receiver = await Receiver.start();
    const repo = repoFrom(join(FIXTURES, 'shop'));
    const webPort = await freePort();
    web = `http://127.0.0.1:${webPort}`;
    writeFileSync(
      join(repo, 'waggle.yml'),
      `${readFileSync(join(repo, 'waggle.yml'), 'utf8')
        .replace('API_PORT', String(await freePort()))
        .replace('WEB_PORT', String(webPort))
        .replace(
          'HOST_FOLDER',
          host,
        )}contacts:\n  - { name: ops, webhook: { url: "${receiver.url}/hook", secret: hook-secret }, on: [deploy.*] }\n`,
    );
    commitAll(repo, 'ports, folder and contacts of this machine');
    store = Store.open(join(dir, 'home'));
    const configFile = join(repo, 'waggle.yml');
    server = await createServer({
      store,
      home: join(dir, 'home'),
      config: loadConfig(configFile).config,
      configFile,
      webhookSecret: SECRET,
      env: { ...process.env, SHOP_PAYMENT_KEY: 'pk_server_deploy_1' },
    });
    url = await server.listen(0, '127.0.0.1');
    await deliver(url, SECRET, pushPayload('main', git(repo, ['rev-parse', 'HEAD'])));
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await store?.close();
    await receiver?.close();
    const transport = new LocalTransport('staging-1', host);
    await new Pm2(transport, join(host, 'shop', '.pm2')).kill();
    await new HostNginx(transport, join(host, 'shop', 'nginx')).stop().catch(() => false);
  });

  it('runs the pipeline, then deploys its artifacts to staging and tells the contacts', async () => {
    await vi.waitFor(
      async () => {
        const runs = await store.runs.recent(10);
        expect(runs.map((r) => `${r.kind} ${r.status}`)).toEqual(['deploy passed', 'ci passed']);
      },
      { timeout: 120_000, interval: 250 },
    );
    const [deploy, ci] = await store.runs.recent(10);
    expect(JSON.parse(deploy?.options ?? '{}')).toEqual({ environment: 'staging', sourceRun: ci?.id });
    expect(await (await fetch(`${web}/api/api/orders`)).json()).toMatchObject({ version: '1', paid: true });
    expect(await (await fetch(`${web}/`)).text()).toContain('<app-root>Shop</app-root>');
    await vi.waitFor(() => expect(receiver.to('/hook')).toHaveLength(2), { timeout: 10_000 });
    expect(receiver.to('/hook').map((r) => JSON.parse(r.body).event)).toEqual([
      'deploy.started',
      'deploy.succeeded',
    ]);
    expect(JSON.parse(receiver.to('/hook')[1]?.body ?? '{}')).toMatchObject({
      environment: 'staging',
      title: expect.stringContaining(`Deploy ${deploy?.id} to staging succeeded`),
    });
  }, 150_000);
});
