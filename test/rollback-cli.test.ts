/**
 * `waggle rollback` from a checkout: the shop's one-host staging (pm2, nginx on loopback) goes
 * back to the release before without a rebuild, and forward again to a named one; a release that
 * is not on the hosts, or none earlier, is refused before anything moves; the deploy lock holds
 * it off like a deploy; a release that fails its health check leaves staging as it was.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../src/store/store.js';
import { commitAll } from './helpers/repo.js';
import { type ShopStaging, shopStaging } from './helpers/shop.js';

describe('waggle rollback', () => {
  let shop: ShopStaging;
  /** The releases of the two deploys, and the CI runs they came from. */
  let first: { release: string; run: number };
  let second: { release: string; run: number };

  const inStore = async <T>(look: (store: Store) => Promise<T>): Promise<T> => {
    const store = Store.open(shop.home);
    try {
      return await look(store);
    } finally {
      await store.close();
    }
  };
  const running = () => inStore((store) => store.hostReleases.of('staging'));
  const deployed = async () => {
    expect((await shop.waggle(['run', '--no-notify'])).code).toBe(0);
    const deploy = await shop.waggle(['deploy', 'staging', '--no-notify']);
    expect(deploy.code, deploy.stdout + deploy.stderr).toBe(0);
    const [api] = await running();
    return { release: api?.release as string, run: api?.source_run as number };
  };

  type Result = Awaited<ReturnType<ShopStaging['waggle']>>;
  /** What each step of the story left: the CLI's answer and what staging served right after. */
  const seen: Record<string, { result: Result; api: unknown }> = {};
  let backJob: number;
  let backRunning: Awaited<ReturnType<typeof running>>;
  let backSteps: string[];
  let backCommit: string | undefined;
  let firstCommit: string | undefined;
  let holder: number;

  beforeAll(async () => {
    shop = await shopStaging({
      name: 'rollback-cli',
      env: { SHOP_PAYMENT_KEY: 'pk_rollback_4242' },
      // A release that does not answer is known in seconds, not the default's minute.
      config: (text) => text.replace('within: 10s', 'within: 4s'),
    });
    first = await deployed();
    writeFileSync(join(shop.repo, 'packages/api/version.json'), '{ "version": "2" }\n');
    commitAll(shop.repo, 'version 2 of the API');
    second = await deployed();
    expect(await shop.api()).toMatchObject({ version: '2' });

    // The story, in order; each test below looks at one step of it.
    const step = async (name: string, args: string[]) => {
      seen[name] = { result: await shop.waggle(args), api: await shop.api() };
    };
    await step('back', ['rollback', 'staging', '--no-notify']);
    backJob = Number(/rollback run (\d+)/.exec(seen.back?.result.stdout ?? '')?.[1]);
    backRunning = await running();
    backSteps = (await inStore((store) => store.steps.ofRun(backJob))).map((s) => `${s.key} ${s.status}`);
    [backCommit, firstCommit] = await inStore(async (store) => [
      (await store.runs.get(backJob))?.sha,
      (await store.runs.get(first.run))?.sha,
    ]);
    await step('none', ['rollback', 'staging', '--no-notify']);
    await step('forward', ['rollback', 'staging', '--to', second.release, '--no-notify', '--json']);
    await step('unknown', ['rollback', 'staging', '--to', 'nonsense', '--no-notify']);
    holder = await inStore(async (store) => {
      const id = await store.runs.create({
        repo: shop.repo,
        branch: 'main',
        sha: 'x',
        author: 'a',
        message: 'a deploy under way',
        trigger: 'cli',
        kind: 'deploy',
      });
      await store.runs.update(id, { status: 'running' });
      store.deployLocks.acquire({
        environment: 'staging',
        run_id: id,
        owner: 'elsewhere',
        actor: 'ann (cli)',
      });
      return id;
    });
    await step('locked', ['rollback', 'staging', '--no-notify']);
    await inStore(async (store) => {
      await store.deployLocks.forceOpen('staging');
      await store.runs.update(holder, { status: 'cancelled' });
    });
    // The first release, as if it had broken since: it now answers its health check with a 500.
    writeFileSync(
      join(shop.host, 'shop', 'api', 'releases', first.release, 'dist', 'version.json'),
      '{ "version": "broken" }\n',
    );
    await step('broken', ['rollback', 'staging', '--no-notify']);
  }, 240_000);
  afterAll(async () => {
    await shop?.stop();
  });

  it('goes back to the release before, rebuilding nothing, and says what each host runs', async () => {
    const back = seen.back?.result as Result;
    expect(back.code, back.stdout + back.stderr).toBe(0);
    expect(back.stdout).toMatch(/^staging rolled back \(rollback run \d+\)\nstaging runs:\n/);
    expect(back.stdout).toContain(`staging-1  api  ${first.release}  (run ${first.run})`);
    expect(back.stdout).toContain(`staging-1  web  ${first.release}  (run ${first.run})`);
    expect(back.stderr).toContain('roll back staging');
    expect(seen.back?.api).toEqual({ orders: [], version: '1', paid: true });
    expect(
      backRunning.map((r) => ({ ...r, since: undefined })),
      'the store knows the first run runs again',
    ).toEqual(
      ['api', 'web'].map((pkg) => ({
        environment: 'staging',
        host: 'staging-1',
        package: pkg,
        release: first.release,
        source_run: first.run,
        deploy_run: backJob,
        since: undefined,
      })),
    );
    expect(backSteps).toEqual(['lock passed', 'hosts passed', 'rollback passed']);
    expect(backCommit, 'filed under the commit it went back to').toBe(firstCommit);
  });

  it('refuses to go back past the oldest release, moving nothing', () => {
    const none = seen.none?.result as Result;
    expect(none.code).toBe(1);
    expect(none.stdout).toContain(
      `✗ roll back staging: there is no release before ${first.release} on every host; releases on every host, oldest first: ${first.release}, ${second.release}`,
    );
    expect(seen.none?.api).toMatchObject({ version: '1' });
  });

  it('goes to the release named with --to, also a newer one, and prints JSON when asked', () => {
    const forward = seen.forward?.result as Result;
    expect(forward.code, forward.stderr).toBe(0);
    const summary = JSON.parse(forward.stdout) as {
      status: string;
      environment: string;
      running: { host: string; package: string; release: string; sourceRun: number }[];
    };
    expect(summary).toMatchObject({ status: 'passed', environment: 'staging' });
    expect(summary.running.map((r) => `${r.host} ${r.package} ${r.release} ${r.sourceRun}`)).toEqual([
      `staging-1 api ${second.release} ${second.run}`,
      `staging-1 web ${second.release} ${second.run}`,
    ]);
    expect(seen.forward?.api).toMatchObject({ version: '2' });
  });

  it('refuses a release that is not on the hosts, listing those that are', () => {
    const unknown = seen.unknown?.result as Result;
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain(
      `there is no release nonsense on staging-1 (api, web); releases on every host, oldest first: ${first.release}, ${second.release}`,
    );
    expect(seen.unknown?.api).toMatchObject({ version: '2' });
  });

  it('is refused while a deploy holds the lock, naming it', () => {
    const refused = seen.locked?.result as Result;
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      `✗ lock staging: staging is being deployed by run ${holder} (ann (cli), since`,
    );
    expect(seen.locked?.api).toMatchObject({ version: '2' });
  });

  it('leaves staging as it was when the release fails its health check, and says which service', () => {
    const failed = seen.broken?.result as Result;
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(
      `✗ roll back staging: api on staging-1 failed its health check on ${first.release}: 500 broken`,
    );
    expect(failed.stdout).toContain(`staging-1  api  ${second.release}  (run ${second.run})`);
    expect(failed.stderr).toContain(`back on ${second.release}`);
    expect(seen.broken?.api).toMatchObject({ version: '2' });
  });
});
