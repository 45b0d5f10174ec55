/**
 * The reference app through `waggle run` and `waggle deploy`, as a newcomer would try it: a fresh
 * git repository made from examples/hivenue, the real npm ci, tsc and ng builds, Jest and Karma
 * suites, and artifacts; then its staging on web, api and db hosts (network namespaces with sshd
 * of their own, nginx on web, the MongoDB stand-in on db) and its Playwright suite against it.
 */
import { appendFileSync, chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, ObjectId } from 'mongodb';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../src/pipeline/summary.js';
import { Store } from '../src/store/store.js';
import { waggle } from './helpers/cli.js';
import { hivenueRepo } from './helpers/hivenue.js';
import { type MongoStandin, startMongoStandin } from './helpers/mongo-standin.js';
import { Receiver } from './helpers/receivers.js';
import { commitAll } from './helpers/repo.js';
import { TestHosts } from './helpers/test-hosts.js';

const SERVICES = ['ai-model', 'platform', 'billing', 'admin'];
/** Where the services find MongoDB: the db host's own address, on MongoDB's port. */
const DB_PORT = 27017;

/** examples/hivenue/waggle.yml's staging is one server with every role; the test's has three. */
const REFERENCE_STAGING = `  staging:
    hosts: [{ name: staging-1, address: "\${{ vars.STAGING_IP }}", roles: [web, api, db] }]
    url: https://staging.hivenue.example
    e2e: { path: e2e }
`;
const REFERENCE_CONTACTS = /^contacts:\n(?: {2}- .*\n)+/m;

/** waggle.yml's staging on the test hosts over SSH (host keys pinned), and a contact for its e2e. */
function stagingConfig(config: string, hosts: TestHosts, hook: string): string {
  if (!config.includes(REFERENCE_STAGING) || !REFERENCE_CONTACTS.test(config))
    throw new Error('examples/hivenue/waggle.yml no longer has the staging and contacts this test replaces');
  const host = (name: string) => {
    const h = hosts.hosts[name];
    if (!h) throw new Error(`no host ${name}`);
    return `{ name: ${name}, address: ${h.address}, user: root, key: ${hosts.clientKeyPath}, hostKey: "${h.hostKeyFingerprint}", roles: [${name}] }`;
  };
  // HOST: nginx reaches the services from the web host, so they listen beyond loopback.
  const env = SERVICES.map(
    (name) => `      ${name}: { MONGODB_URI: "mongodb://\${{ hosts.db }}:${DB_PORT}", HOST: 0.0.0.0 }`,
  );
  const staging = [
    '  staging:',
    '    hosts:',
    ...['web', 'api', 'db'].map((name) => `      - ${host(name)}`),
    // The hosts share this machine's filesystem: their folders live under the fixture's.
    `    base: ${join(hosts.dir, 'srv')}`,
    '    e2e: { path: e2e }',
    '    env:',
    ...env,
    '',
  ].join('\n');
  const contacts = `contacts:\n  - { name: qa, webhook: { url: "${hook}", secret: qa-secret }, on: [e2e.passed, e2e.failed] }\n`;
  return config.replace(REFERENCE_STAGING, staging).replace(REFERENCE_CONTACTS, contacts);
}

describe('waggle run and deploy on the Hivenue reference app', () => {
  let repo: string;
  let home: string;
  let hosts: TestHosts;
  let mongo: MongoStandin;
  let receiver: Receiver;
  const cli = async (args: string[]) => {
    const result = await waggle(args, { cwd: repo, env: { WAGGLE_HOME: home } });
    return {
      ...result,
      summary:
        args.includes('--json') && result.stdout ? (JSON.parse(result.stdout) as RunSummary) : undefined,
    };
  };
  const run = (...args: string[]) => cli(['run', ...args]);
  const deploy = (sourceRun: number | undefined) =>
    cli(['deploy', 'staging', '--run', String(sourceRun), '--json']);
  const withStore = async <T>(use: (store: Store) => Promise<T>): Promise<T> => {
    const store = Store.open(home);
    try {
      return await use(store);
    } finally {
      await store.close();
    }
  };
  const web = () => `http://${hosts.hosts.web?.address}`;
  const database = () => `mongodb://${hosts.hosts.db?.address}:${DB_PORT}`;
  const get = async (path: string) => {
    const response = await fetch(`${web()}${path}`);
    return { status: response.status, text: await response.text() };
  };
  type Run = Awaited<ReturnType<typeof run>>;
  // Each run below builds on the commits and the cache of the ones before it (one install of the
  // app for all of them), so they are made once, in order, here; every test asserts on its part.
  let all: Run;
  let deployed: Run;
  /** What nginx on web answered right after the first deploy, before the front-end broke. */
  let served: {
    page: { status: number; text: string };
    apis: Record<string, { status: number; text: string }>;
  };
  /** `host package source-run` of what staging ran after the first deploy. */
  let placed: string[];
  let webOnly: Run;
  let brokenDeploy: Run;
  let changed: Run;
  let again: Run;
  let broken: Run;
  let brokenText: Run;

  beforeAll(async () => {
    [repo, hosts, receiver] = await Promise.all([
      hivenueRepo(),
      TestHosts.start(['web', 'api', 'db']),
      Receiver.start(),
    ]);
    chmodSync(hosts.dir, 0o755); // nginx's workers read the site as nobody, as under /srv
    home = mkdtempSync(join(tmpdir(), 'waggle-hivenue-'));
    mongo = await startMongoStandin({ hosts, host: 'db', port: DB_PORT });
    const config = join(repo, 'waggle.yml');
    writeFileSync(config, stagingConfig(readFileSync(config, 'utf8'), hosts, `${receiver.url}/hook`));
    commitAll(repo, 'staging on web, api and db hosts, and a contact for its end-to-end tests');

    all = await run('--all', '--until', 'package', '--json');

    // As on a team: commits keep coming while staging takes a release. The deploys take the
    // runs they are told (their commits' checkouts of their own), so each overlaps the next runs.
    // A typo the Karma specs cannot see (they render components, not index.html) but a user can.
    const index = join(repo, 'front-end/src/index.html');
    writeFileSync(
      index,
      readFileSync(index, 'utf8').replace('<title>Hivenue</title>', '<title>Hivnue</title>'),
    );
    commitAll(repo, 'front-end: the page title');
    [deployed, webOnly] = await Promise.all([
      deploy(all.summary?.run).then(async (result) => {
        if (result.code !== 0) return result; // its test says why
        served = { page: await get('/'), apis: {} };
        for (const name of SERVICES) served.apis[name] = await get(`/api/${name}/version`);
        placed = await withStore(async (store) =>
          (await store.hostReleases.of('staging')).map((p) => `${p.host} ${p.package} ${p.source_run}`),
        );
        return result;
      }),
      run('--json'),
    ]);
    const deploying = deploy(webOnly.summary?.run);

    appendFileSync(
      join(repo, 'back-end/billing/src/invoice-totals.ts'),
      '\n// Totals are computed once, on write.\n',
    );
    commitAll(repo, 'billing: note when totals are computed');
    changed = await run('--json');
    again = await run('--json');

    const spec = join(repo, 'back-end/billing/test/invoice-totals.test.ts');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('taxCents: 83,', 'taxCents: 84,'));
    commitAll(repo, 'billing: expect the wrong tax');
    broken = await run('--json');
    brokenText = await run();
    brokenDeploy = await deploying;
  }, 1_800_000);
  afterAll(async () => {
    await receiver?.close();
    await mongo?.stop();
    // Everything the deploys started (sshd's children: pm2 and the services, nginx) runs in the
    // hosts' namespaces, and goes with them.
    await hosts?.stop();
    await Promise.all(
      [repo, home].filter(Boolean).map((folder) => rm(folder, { recursive: true, force: true })),
    );
  });

  it('passes --all --until package with tests in every package and an artifact per deployable', () => {
    const { code, stderr, summary } = all;
    expect(code, `${JSON.stringify(summary?.failedTests, null, 2)}\n${stderr.slice(-3000)}`).toBe(0);
    for (const name of ['shared', ...SERVICES, 'web']) {
      expect(summary?.packages[name]?.tests.passed, name).toBeGreaterThan(0);
      expect(summary?.packages[name]?.tests.failed, name).toBe(0);
    }
    expect(summary?.artifacts.map((a) => a.package).sort()).toEqual([...SERVICES, 'web'].sort());
    for (const artifact of summary?.artifacts ?? []) {
      expect(artifact.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(readFileSync(`${artifact.file}.sha256`, 'utf8')).toContain(artifact.sha256);
    }
  });

  it('deploys the run over SSH: services on api, the site on web, the page and every API through nginx', async () => {
    expect(deployed.code, deployed.stdout + deployed.stderr.slice(-5000)).toBe(0);
    expect(deployed.summary?.status).toBe('passed');
    expect(placed).toEqual([
      ...[...SERVICES].sort().map((name) => `api ${name} ${all.summary?.run}`),
      `web web ${all.summary?.run}`,
    ]);
    // The services listen on the api host, not on web, where nginx reaches them from.
    const api = hosts.hosts.api?.address;
    expect((await fetch(`http://${api}:4003/healthz`)).status).toBe(200);
    await expect(fetch(`http://${hosts.hosts.web?.address}:4003/healthz`)).rejects.toThrow();
    // The Angular build itself, from nginx on the web host's own address.
    expect(served.page.status).toBe(200);
    expect(served.page.text).toContain('<title>Hivenue</title>');
    expect(served.page.text).toContain('<app-root>');
    expect(served.page.text).toMatch(/<script src="main-[A-Z0-9]+\.js" type="module">/);
    // /api/<module>/ reaches that module's own service on the api host.
    for (const name of SERVICES) {
      expect(served.apis[name]?.status, name).toBe(200);
      expect(JSON.parse(served.apis[name]?.text ?? '{}'), name).toMatchObject({ service: name });
    }
  });

  it("has the services on api read and write the MongoDB stand-in on db's address", async () => {
    const db = hosts.hosts.db?.address as string;
    const envFile = join(hosts.dir, 'srv', 'hivenue', 'billing', 'shared', '.env');
    const uri = readFileSync(envFile, 'utf8')
      .split('\n')
      .find((line) => line.startsWith('MONGODB_URI='));
    expect(uri).toContain(`mongodb://${db}:${DB_PORT}`);
    const client = await MongoClient.connect(database(), { serverSelectionTimeoutMS: 5_000 });
    try {
      // Written through nginx, found in the database on db.
      const created = await fetch(`${web()}/api/billing/invoices`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          customer: 'hivenue-test',
          lineItems: [{ description: 'Hive inspection', quantity: 2, unitPriceCents: 4500 }],
        }),
      });
      expect(created.status).toBe(201);
      const invoice = (await created.json()) as { id: string };
      expect(
        await client
          .db('hivenue-billing')
          .collection('invoices')
          .findOne({ _id: new ObjectId(invoice.id) }),
      ).toMatchObject({ customer: 'hivenue-test', subtotalCents: 9000 });
      // Put in the database on db, read back through nginx.
      const users = client.db('hivenue-admin').collection('users');
      await users.insertOne({
        email: 'ann@hivenue.example',
        name: 'Ann',
        role: 'viewer',
        createdAt: new Date(),
      });
      const stats = JSON.parse((await get('/api/admin/stats')).text) as {
        total: number;
        byRole: { viewer: number };
      };
      expect(stats.byRole.viewer).toBe(await users.countDocuments({ role: 'viewer' }));
      expect(stats.byRole.viewer).toBeGreaterThan(0);
      // And what the Playwright suite made through the page is there too.
      expect(
        await client.db('hivenue-platform').collection('projects').countDocuments({ name: /^e2e / }),
      ).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it('runs the Playwright suite against staging after the deploy and keeps its cases', async () => {
    await withStore(async (store) => {
      const id = deployed.summary?.run as number;
      const steps = await store.steps.ofRun(id);
      expect(steps.find((s) => s.key === 'e2e')?.status).toBe('passed');
      const cases = await store.tests.ofRun(id, 'e2e');
      expect(cases.length).toBeGreaterThan(0);
      expect(cases.filter((c) => c.status !== 'passed')).toEqual([]);
      expect(cases.map((c) => c.name)).toContain('the home page loads and lists projects');
      // Nothing failed, so nothing was kept of what it saw.
      expect((await store.artifacts.ofRun(id)).filter((a) => a.package === 'e2e')).toEqual([]);
    });
  });

  it('fails the deploy of a front-end its unit tests pass, keeping a screenshot and telling the contact', async () => {
    // Only web was built and tested again, and its Karma specs passed.
    expect(webOnly.code, webOnly.stderr.slice(-3000)).toBe(0);
    expect(webOnly.summary?.packages.web).toMatchObject({ build: 'passed', test: 'passed' });
    expect(webOnly.summary?.packages.web?.tests.passed).toBeGreaterThan(0);
    expect(webOnly.summary?.packages.web?.tests.failed).toBe(0);
    for (const name of ['shared', ...SERVICES])
      expect(webOnly.summary?.packages[name]?.status, name).toBe('skipped');

    expect(brokenDeploy.code).toBe(1);
    expect(brokenDeploy.summary?.status).toBe('failed');
    expect(brokenDeploy.summary?.failedSteps.map((s) => s.name)).toEqual(['e2e']);
    await withStore(async (store) => {
      const id = brokenDeploy.summary?.run as number;
      expect((await store.runs.get(id))?.status).toBe('failed');
      const failed = (await store.tests.ofRun(id, 'e2e')).filter((c) => c.status === 'failed');
      expect(failed.map((c) => c.name)).toEqual(['the home page loads and lists projects']);
      expect(failed[0]?.message).toContain('Hivnue');
      const evidence = (await store.artifacts.ofRun(id)).find((a) => a.package === 'e2e');
      expect(JSON.parse(evidence?.manifest ?? '{}')).toMatchObject({ kind: 'evidence' });
      expect(existsSync(evidence?.file as string)).toBe(true);
      const inside: string[] = [];
      await tar.list({ file: evidence?.file as string, onReadEntry: (entry) => inside.push(entry.path) });
      expect(inside.filter((path) => path.endsWith('.png')).length).toBeGreaterThan(0);
    });
    const told = () => receiver.to('/hook').map((r) => JSON.parse(r.body) as { event: string });
    await vi.waitFor(() => expect(told()).toHaveLength(2), { timeout: 10_000 });
    expect(told().map((e) => e.event)).toEqual(['e2e.passed', 'e2e.failed']);
  });

  it('after a change to billing alone, builds and tests billing alone; then reports it cached', () => {
    expect(changed.code, changed.stderr.slice(-3000)).toBe(0);
    const tested = Object.entries(changed.summary?.packages ?? {}).filter(([, p]) => p.test === 'passed');
    expect(tested.map(([name]) => name)).toEqual(['billing']);
    expect(changed.summary?.packages.billing?.build).toBe('passed');
    // shared is billing's dependency: its outputs come back from the cache, it is not rebuilt.
    expect(changed.summary?.packages.shared?.build).toBe('cached');
    for (const name of ['ai-model', 'platform', 'admin', 'web'])
      expect(changed.summary?.packages[name]?.status).toBe('skipped');

    expect(again.code).toBe(0);
    expect(again.summary?.packages.billing?.status).toBe('cached');
    expect(again.summary?.packages.billing?.tests.passed).toBeGreaterThan(0);
  });

  it('fails when a billing assertion breaks, naming the test and its message', () => {
    const json = broken;
    expect(json.code).toBe(1);
    expect(json.summary?.status).toBe('failed');
    const failed = json.summary?.failedTests ?? [];
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      package: 'billing',
      name: 'applies the tax rate once to the subtotal, rounding half up to the cent',
    });
    expect(failed[0]?.message).toMatch(/taxCents.*84|84[\s\S]*83/);

    const text = brokenText;
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('Failed tests (1)');
    expect(text.stdout).toContain('applies the tax rate once to the subtotal, rounding half up to the cent');
    expect(text.stdout).toMatch(/billing +failed/);
  });
});
