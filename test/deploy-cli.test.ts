/**
 * `waggle deploy` from a checkout: a run's artifacts go to a one-host staging on this machine
 * (pm2, nginx on loopback), a release failing its health check leaves the old one serving, two
 * deploys at once are one too many, and the service's secret lives only in shared/.env.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Store } from '../src/store/store.js';
import { commitAll } from './helpers/repo.js';
import { type ShopStaging, shopStaging } from './helpers/shop.js';

const SECRET = 'pk_live_shop_secret_31337';

describe('waggle deploy', () => {
  let shop: ShopStaging;
  let dir: string;
  let repo: string;
  let host: string;
  let url: string;
  const run = (args: string[]) => shop.waggle(args);
  const api = () => shop.api();
  let first: Awaited<ReturnType<typeof run>>;
  let broken: Awaited<ReturnType<typeof run>>;
  let racing: Awaited<ReturnType<typeof run>>[];

  beforeAll(async () => {
    shop = await shopStaging({
      name: 'deploy-cli',
      env: { SHOP_PAYMENT_KEY: SECRET },
      // Each deploy lasts a few seconds: long enough for a second one to meet its lock.
      config: (text) => text.replace('api: { PAYMENT_KEY:', 'api: { STARTUP_DELAY_MS: "2000", PAYMENT_KEY:'),
    });
    ({ dir, repo, host, url } = shop);
    expect((await run(['run', '--no-notify'])).code).toBe(0);
    first = await run(['deploy', 'staging', '--no-notify']);
    // A second deploy started while the first holds the environment's lock is refused.
    const under = run(['deploy', 'staging', '--no-notify']);
    const store = Store.open(join(dir, 'home'));
    try {
      await vi.waitFor(async () => expect(await store.deployLocks.get('staging')).toBeDefined(), {
        timeout: 30_000,
        interval: 20,
      });
    } finally {
      await store.close();
    }
    racing = await Promise.all([under, run(['deploy', 'staging', '--no-notify'])]);

    writeFileSync(join(repo, 'packages/api/version.json'), '{ "version": "broken" }\n');
    commitAll(repo, 'a release whose health check fails');
    expect((await run(['run', '--no-notify'])).code).toBe(0);
    broken = await run(['deploy', 'staging', '--no-notify']);
  }, 240_000);
  afterAll(async () => {
    await shop?.stop();
  });

  it("deploys the newest passed run's artifacts: the site and its API answer through nginx", async () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/run 1 deployed to staging \(deploy run \d+\)/);
    expect(first.stderr).toContain(`deploy to staging`);
    expect(await (await fetch(`${url}/cart/42`)).text()).toContain('<app-root>Shop</app-root>');
    expect(await api()).toEqual({ orders: [], version: '1', paid: true });
  });

  it('refuses a second deploy while one is under way, naming it', () => {
    const codes = racing.map((r) => r.code).sort();
    expect(codes).toEqual([0, 1]);
    const refused = racing.find((r) => r.code === 1);
    expect(refused?.stdout).toMatch(
      /lock staging: staging is being deployed by run \d+ \(.+ \(cli\), since /,
    );
  });

  it('keeps the old release serving when the new one fails its health check, and says why', async () => {
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(
      'deploy to staging: api on staging-1 failed its health check: 500 broken',
    );
    expect(broken.stderr).toContain('back on');
    expect(await api()).toMatchObject({ version: '1' });
    const store = Store.open(join(dir, 'home'));
    try {
      const releases = await store.hostReleases.of('staging');
      expect(releases.map((r) => `${r.host} ${r.package}`)).toEqual(['staging-1 api', 'staging-1 web']);
      expect(new Set(releases.map((r) => r.source_run))).toEqual(new Set([1]));
    } finally {
      await store.close();
    }
  });

  it('keeps the secret in shared/.env (0600), out of releases, artifacts, logs and the database', () => {
    const envFile = join(host, 'shop', 'api', 'shared', '.env');
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(envFile, 'utf8')).toContain(SECRET);
    const files = (folder: string): string[] =>
      readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) return files(path);
        return entry.isFile() ? [path] : [];
      });
    const everywhere = [...files(host), ...files(join(dir, 'home'))].filter((f) => f !== envFile);
    expect(everywhere.length).toBeGreaterThan(10);
    for (const file of everywhere) expect(readFileSync(file).includes(SECRET), file).toBe(false);
    for (const result of [first, broken, ...racing])
      expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it('opens a lock left behind only when told, and records who did', async () => {
    const store = Store.open(join(dir, 'home'));
    try {
      const stuck = await store.runs.create({
        repo,
        branch: 'main',
        sha: 'x',
        author: 'a',
        message: 'a deploy whose process hangs',
        trigger: 'cli',
        kind: 'deploy',
      });
      await store.runs.update(stuck, { status: 'running' });
      store.deployLocks.acquire({
        environment: 'staging',
        run_id: stuck,
        owner: 'elsewhere',
        actor: 'ann (cli)',
      });
    } finally {
      await store.close();
    }
    const refused = await run(['deploy', 'staging', '--no-notify', '--run', '1']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('is being deployed by run');
    expect(refused.stdout).toContain('ann (cli)');
    const forced = await run(['deploy', 'staging', '--no-notify', '--run', '1', '--force-unlock']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toContain("staging's deploy lock opened (it was held by run");
    const after = Store.open(join(dir, 'home'));
    try {
      expect((await after.audit.recent(5)).find((e) => e.action === 'deploy.force-unlock')).toMatchObject({
        target: 'staging',
        detail: expect.stringContaining('ann (cli)'),
      });
    } finally {
      await after.close();
    }
  }, 60_000);
});
