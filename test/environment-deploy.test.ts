/**
 * An environment deployed for real: services under pm2, the site behind nginx, over local folders
 * and over SSH to web, api and db hosts in network namespaces of their own.
 */
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import type { Config } from '../src/config/schema.js';
import { type DeployArtifact, deployEnvironment } from '../src/deploy/environment-deploy.js';
import { resolveHosts } from '../src/deploy/inventory.js';
import { Pm2 } from '../src/deploy/pm2.js';
import { type HostTransport, transportFor } from '../src/deploy/transports.js';
import { HostNginx } from '../src/router/nginx.js';
import { freePort } from './helpers/ports.js';
import { serviceArtifact, siteArtifact } from './helpers/service-artifacts.js';
import { TestHosts } from './helpers/test-hosts.js';

const SECRET = 'sk_live_env_deploy_777';

function appConfig(environment: string, ports: { billing: number; platform: number }): Config {
  return parseConfig(
    `name: shop
packages:
  billing: { path: billing, service: { port: ${ports.billing}, start: node index.js } }
  platform: { path: platform, service: { port: ${ports.platform}, start: node index.js } }
  web: { path: web, site: { dist: dist } }
environments:
  staging:
${environment}
    health: { timeout: 2s, within: 5s }
    env:
      billing: { BILLING_KEY: "\${{ secrets.SHOP_BILLING_KEY }}", MONGODB_URI: "mongodb://\${{ hosts.db }}:27017/shop" }
      platform: { MONGODB_URI: "mongodb://\${{ hosts.db }}:27017/shop" }
`,
    'waggle.yml',
  );
}

/** One release of every package: `broken` makes platform fail its health check. */
function artifacts(dir: string, release: string, broken = false): DeployArtifact[] {
  return [
    { package: 'billing', ...serviceArtifact(dir, `billing-${release}`) },
    { package: 'platform', ...serviceArtifact(dir, `platform-${release}`, broken ? 503 : 200) },
    { package: 'web', ...siteArtifact(dir, release) },
  ];
}

async function deploy(config: Config, hosts: HostTransport[], list: DeployArtifact[], run: number) {
  const environment = config.environments.staging;
  if (!environment) throw new Error('no staging');
  return deployEnvironment({
    app: config.name,
    environmentName: 'staging',
    environment,
    packages: config.packages,
    hosts,
    artifacts: list,
    source: { run, commit: `c0ffee${run}` },
    env: { SHOP_BILLING_KEY: SECRET },
    now: new Date(Date.UTC(2026, 10, 30, 10, 0, run)),
  });
}

/** Stops what the deploys started: pm2 on the api hosts, nginx on the web hosts. */
async function stopAll(hosts: readonly HostTransport[], app: string) {
  await Promise.all(
    hosts.map(async (on) => {
      if (on.host.roles.includes('api')) await new Pm2(on.transport, join(on.base, app, '.pm2')).kill();
      if (on.host.roles.includes('web'))
        await new HostNginx(on.transport, join(on.base, app, 'nginx')).stop().catch(() => false);
      await on.transport.close();
    }),
  );
}

describe('a one-host staging on this machine', () => {
  let dir: string;
  let config: Config;
  let hosts: HostTransport[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'waggle-envdeploy-'));
    chmodSync(dir, 0o755); // nginx's workers run as nobody: the host folder is traversable, as /srv is
    const web = await freePort();
    config = appConfig(
      `    hosts: [{ name: staging-1, path: ${join(dir, 'host')}, roles: [web, api, db] }]\n    router: { port: ${web}, address: 127.0.0.1 }`,
      { billing: await freePort(), platform: await freePort() },
    );
    const resolved = await resolveHosts('staging', config.environments.staging as never, {});
    hosts = resolved.map((host) => transportFor(host, { base: '/srv/waggle', configDir: dir }));
  });
  afterAll(async () => {
    if (hosts) await stopAll(hosts, 'shop');
  });

  it('serves the site and every API through nginx, and a failing release changes nothing', async () => {
    const first = await deploy(config, hosts, artifacts(dir, 'one'), 1);
    if (first.status !== 'deployed') throw new Error(JSON.stringify(first));
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${first.url}/some/route`)).text()).toContain('<app-root>one</app-root>');
    const billing = await (await fetch(`${first.url}/api/billing/anything`)).json();
    expect(billing).toMatchObject({ release: 'billing-one', secret: SECRET });
    expect(await (await fetch(`${first.url}/api/platform/x`)).json()).toMatchObject({
      release: 'platform-one',
    });

    const broken = await deploy(config, hosts, artifacts(dir, 'two', true), 2);
    expect(broken.status).toBe('failed');
    if (broken.status !== 'failed') return;
    expect(broken.failure).toMatchObject({ package: 'platform', health: { status: 503, body: 'db down' } });
    expect(broken.failure.lastLines).toContain('database unreachable');
    expect(broken.restored).toEqual([{ host: 'staging-1', package: 'billing', release: first.release }]);
    // Still the first release everywhere: billing went back, platform and the site never moved.
    expect(await (await fetch(`${first.url}/api/billing/a`)).json()).toMatchObject({
      release: 'billing-one',
    });
    expect(await (await fetch(`${first.url}/api/platform/a`)).json()).toMatchObject({
      release: 'platform-one',
    });
    expect(await (await fetch(`${first.url}/`)).text()).toContain('<app-root>one</app-root>');
  }, 120_000);
});

describe('web, api and db hosts over SSH', () => {
  let hosts: TestHosts;
  let dir: string;
  let config: Config;
  let transports: HostTransport[];

  beforeAll(async () => {
    hosts = await TestHosts.start(['web', 'api', 'db']);
    chmodSync(hosts.dir, 0o755); // the hosts' folders are traversable by nginx's workers, as /srv is
    dir = mkdtempSync(join(tmpdir(), 'waggle-envdeploy-ssh-'));
    const line = (name: string, roles: string) => {
      const host = hosts.hosts[name];
      if (!host) throw new Error(`no host ${name}`);
      return `{ name: ${name}, address: ${host.address}, user: root, key: ${hosts.clientKeyPath}, hostKey: "${host.hostKeyFingerprint}", path: ${host.root}, roles: [${roles}] }`;
    };
    config = appConfig(
      `    hosts:\n      - ${line('web', 'web')}\n      - ${line('api', 'api')}\n      - ${line('db', 'db')}`,
      {
        billing: 4003,
        platform: 4002,
      },
    );
    // The database the services are pointed at, listening on the db host's own address.
    hosts.spawn('db', [
      process.execPath,
      '-e',
      "require('node:net').createServer((s) => s.end()).listen(27017, '0.0.0.0')",
    ]);
    const resolved = await resolveHosts('staging', config.environments.staging as never, {});
    transports = resolved.map((host) => transportFor(host, { base: '/srv/waggle', configDir: dir }));
  });
  afterAll(async () => {
    if (transports) await stopAll(transports, 'shop');
    await hosts?.stop();
  });

  it('puts services on api and the site and nginx on web, the services reaching db by its address', async () => {
    const outcome = await deploy(config, transports, artifacts(dir, 'one'), 1);
    if (outcome.status !== 'deployed') throw new Error(JSON.stringify(outcome));
    const web = hosts.hosts.web?.address;
    expect(outcome.url).toBe(`http://${web}`);
    expect(outcome.placed.map((p) => `${p.host}/${p.package}`).sort()).toEqual([
      'api/billing',
      'api/platform',
      'web/web',
    ]);
    expect(await (await fetch(`${outcome.url}/deep/link`)).text()).toContain('<app-root>one</app-root>');
    const billing = await (await fetch(`${outcome.url}/api/billing/db`)).json();
    expect(billing).toEqual({ reached: `${hosts.hosts.db?.address}:27017` });
    const platform = (await (await fetch(`${outcome.url}/api/platform/who`)).json()) as { cwd: string };
    expect(platform.cwd.startsWith(`${hosts.hosts.api?.root}/shop/platform/releases/`)).toBe(true);
  }, 120_000);
});
