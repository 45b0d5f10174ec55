/**
 * The app teams really have: one package.json, an Angular client tested with Karma, an Express +
 * Mongoose server tested with Jest against a MongoDB stand-in that waggle starts as a service.
 * From `waggle init` to a green run, a broken test caught and named, a client-only change that
 * re-runs only the client's suite, the same result through `waggle serve`, and a passed run's
 * artifact (the server, its production dependencies and the built client in one release)
 * deployed to a one-host staging on this machine: pm2, nginx on loopback, a MongoDB stand-in.
 */
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalTransport } from '../src/deploy/local-transport.js';
import { Pm2 } from '../src/deploy/pm2.js';
import type { RunSummary } from '../src/pipeline/summary.js';
import { HostNginx } from '../src/router/nginx.js';
import { git } from '../src/workspace/git.js';
import { type CliResult, waggle } from './helpers/cli.js';
import { deliver, pushPayload } from './helpers/github.js';
import { type MongoStandin, startMongoStandin } from './helpers/mongo-standin.js';
import { freePort } from './helpers/ports.js';
import { commitAll, FIXTURES, repoFrom } from './helpers/repo.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const LEFTOVERS = new Set(['node_modules', 'dist', 'reports', '.angular', 'coverage']);
const SECRET = 'mean-secret';
/** A first run installs about 1,000 npm packages; on a busy 2-core machine that takes minutes. */
const RUN_TIMEOUT = 600_000;

interface StepView {
  key: string;
  status: string;
  detail: string | null;
}

describe('a single-package MEAN app', () => {
  let repo: string;
  let home: string;
  let server: TestServer | undefined;
  const run = async () => {
    const result = await waggle(['run', '--json'], { cwd: repo, env: { WAGGLE_HOME: home } });
    return { ...result, summary: result.stdout ? (JSON.parse(result.stdout) as RunSummary) : undefined };
  };
  const steps = async (id: number): Promise<StepView[]> =>
    JSON.parse(
      (await waggle(['runs', 'show', String(id), '--json'], { cwd: repo, env: { WAGGLE_HOME: home } }))
        .stdout,
    ).steps;
  const edit = (path: string, from: string, to: string) => {
    const file = join(repo, path);
    const text = readFileSync(file, 'utf8');
    if (!text.includes(from)) throw new Error(`${path} has no "${from}"`);
    writeFileSync(file, text.replace(from, to));
  };

  type Run = Awaited<ReturnType<typeof run>>;
  // Each step below builds on the commits, the cache and the install of the ones before it, so
  // they are made once, in order, here; every test asserts on its part of that history.
  let init: CliResult;
  let written: string;
  let validate: CliResult;
  let green: Run;
  let broken: Run;
  let next: Run;
  let cli: Run;
  let served: { run: number; summary: RunSummary };
  let deployed: CliResult;
  let mongo: MongoStandin | undefined;
  /** The staging host's folder. */
  let host: string | undefined;
  /** Its nginx. */
  let url: string;

  beforeAll(async () => {
    repo = repoFrom(join(FIXTURES, 'mean'), 'main', (path) => LEFTOVERS.has(basename(path)));
    home = mkdtempSync(join(tmpdir(), 'waggle-mean-'));

    init = await waggle(['init'], { cwd: repo });
    const config = join(repo, 'waggle.yml');
    written = existsSync(config) ? readFileSync(config, 'utf8') : '';
    validate = await waggle(['validate'], { cwd: repo });
    // What init's note asks for to release the server too: the package becomes a service as well
    // as a site, and its release holds the server's sources beside the built client.
    edit(
      'waggle.yml',
      '    site:\n',
      `    outputs: [ dist, server ]\n    service: { port: ${await freePort()}, start: node server/index.js, health: /api/health }\n    site:\n`,
    );
    commitAll(repo, 'waggle.yml from waggle init, the server released with the site');

    green = await run();

    edit('server/test/cats-api.test.js', "breed: 'unknown'", "breed: 'siamese'");
    commitAll(repo, 'a wrong expectation');
    broken = await run();

    edit('server/test/cats-api.test.js', "breed: 'siamese'", "breed: 'unknown'");
    edit('client/src/app/cats/cat-list.ts', 'No cats yet.', 'No cats here yet.');
    commitAll(repo, 'the expectation fixed, a client wording changed');
    next = await run();

    // The same commit again, from the command line and through a server.
    cli = await run();
    const started = await startTestServer(repo, SECRET);
    server = started;
    // The install is the same lockfile's, the artifact the same inputs': hand them over rather
    // than download and pack them again.
    for (const folder of [join('cache', 'node_modules'), 'artifacts'])
      cpSync(join(home, folder), join(started.home, folder), { recursive: true, verbatimSymlinks: true });
    const { body } = await deliver(
      started.url,
      SECRET,
      pushPayload('main', git(repo, ['rev-parse', 'HEAD'])),
    );
    const summary = await vi.waitFor(
      async () => {
        const row = await started.store.runs.get(body.run as number);
        expect(['passed', 'failed', 'cancelled']).toContain(row?.status);
        return JSON.parse(row?.summary ?? '{}') as RunSummary;
      },
      { timeout: 300_000, interval: 500 },
    );
    served = { run: body.run as number, summary };

    // A one-host staging on this machine, and the last CLI run's artifact deployed to it.
    mongo = await startMongoStandin();
    const stagingDir = mkdtempSync(join(tmpdir(), 'waggle-mean-staging-'));
    chmodSync(stagingDir, 0o755); // nginx's workers read the site as nobody, as under /srv
    host = join(stagingDir, 'host');
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    writeFileSync(
      join(repo, 'waggle.yml'),
      `${readFileSync(join(repo, 'waggle.yml'), 'utf8')}
environments:
  staging:
    hosts: [{ name: staging-1, path: ${host}, roles: [web, api, db] }]
    router: { port: ${port}, address: 127.0.0.1 }
    health: { timeout: 2s, within: 30s }
    env:
      cats: { MONGODB_URI: "\${{ secrets.CATS_MONGODB_URI }}" }
`,
    );
    commitAll(repo, 'a staging on this machine');
    deployed = await waggle(['deploy', 'staging', '--run', String(cli.summary?.run), '--no-notify'], {
      cwd: repo,
      env: { WAGGLE_HOME: home, CATS_MONGODB_URI: `${mongo.uri}/cats` },
    });
  }, 6 * RUN_TIMEOUT);
  afterAll(async () => {
    await server?.close();
    if (host) {
      const transport = new LocalTransport('staging-1', host);
      await new Pm2(transport, join(host, 'cats', '.pm2')).kill();
      await new HostNginx(transport, join(host, 'cats', 'nginx')).stop().catch(() => false);
    }
    await mongo?.stop();
  });

  it('gets a waggle.yml from init that validates: one package, two suites, the database as a service', () => {
    expect(init.code, init.stderr).toBe(0);
    expect(written).toContain('path: .');
    expect(written).toMatch(/name: client[\s\S]*inputs: \[ client \]/);
    expect(written).toMatch(/services: \[ mongodb \]/);
    expect(validate.code, validate.stderr).toBe(0);
  });

  it('runs green: both suites counted, the site packaged', async () => {
    expect(green.code, green.stderr.slice(-3000)).toBe(0);
    const shown = await steps(green.summary?.run as number);
    expect(shown.find((s) => s.key === 'test:cats:server')).toMatchObject({
      status: 'passed',
      detail: '8 tests',
    });
    expect(shown.find((s) => s.key === 'test:cats:client')).toMatchObject({
      status: 'passed',
      detail: '6 tests',
    });
    expect(green.summary?.packages.cats?.tests).toEqual({ passed: 14, failed: 0, skipped: 0 });
    expect(green.summary?.artifacts.map((a) => a.package)).toEqual(['cats']);
  });

  it('fails when a back-end test breaks, naming the test', () => {
    expect(broken.code).toBe(1);
    expect(broken.summary?.failedTests).toEqual([
      expect.objectContaining({ package: 'cats', suite: 'cats API', name: 'creates a cat' }),
    ]);
    expect(broken.summary?.failedTests[0]?.message).toContain('siamese');
  });

  it('re-runs only the client suite after a client-only change, never passing off an old result', async () => {
    expect(next.code, next.stderr.slice(-3000)).toBe(0);
    const shown = await steps(next.summary?.run as number);
    // The client changed since anything passed: built and tested anew.
    expect(shown.find((s) => s.key === 'build:cats')?.status).toBe('passed');
    expect(shown.find((s) => s.key === 'test:cats:client')).toMatchObject({
      status: 'passed',
      detail: '6 tests',
    });
    // The server's files are as in the first run, whose suite passed: that result stands.
    expect(shown.find((s) => s.key === 'test:cats:server')).toMatchObject({
      status: 'cached',
      detail: `from run ${(next.summary?.run as number) - 2}`,
    });
  });

  it('gives the same result for the same commit through waggle serve', async () => {
    expect(served.summary.status).toBe(cli.summary?.status);
    expect(served.summary.packages.cats?.tests).toEqual(cli.summary?.packages.cats?.tests);
    const suites = (await server?.store.steps.ofRun(served.run))?.filter((s) => s.stage === 'test');
    expect(suites?.map((s) => [s.key, s.status])).toEqual([
      ['test:cats:server', 'passed'],
      ['test:cats:client', 'passed'],
    ]);
  });

  it("deploys a passed run's artifact: the Express API answers through nginx with the release's own dependencies", async () => {
    expect(deployed.code, `${deployed.stdout}\n${deployed.stderr.slice(-3000)}`).toBe(0);
    expect(deployed.stdout).toContain(`run ${cli.summary?.run} deployed to staging`);
    // nginx hands /api/cats/ to the service with the prefix stripped: its own /api/... routes.
    expect(await (await fetch(`${url}/api/cats/api/health`)).json()).toEqual({ status: 'ok' });
    const created = await fetch(`${url}/api/cats/api/cats`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Tom', age: 3, breed: 'tabby' }),
    });
    expect(created.status).toBe(201);
    const cats = (await (await fetch(`${url}/api/cats/api/cats`)).json()) as { name: string }[];
    expect(cats.map((cat) => cat.name)).toEqual(['Tom']);
    // Express and Mongoose came with the artifact, as the app's production dependencies, each
    // once; the tools that only build and test the app did not. No folder above the release has
    // a node_modules, so the service found what it requires in its release and nowhere else.
    const release = realpathSync(join(host as string, 'cats', 'cats', 'current'));
    for (const dependency of ['express', 'mongoose', 'mongodb'])
      expect(existsSync(join(release, 'node_modules', dependency, 'package.json')), dependency).toBe(true);
    expect(existsSync(join(release, 'node_modules', 'mongoose', 'node_modules', 'mongodb'))).toBe(false);
    for (const tool of ['jest', 'karma', '@angular/cli', '@push.rocks/smartmongo'])
      expect(existsSync(join(release, 'node_modules', tool)), tool).toBe(false);
    for (let folder = dirname(release); folder !== dirname(folder); folder = dirname(folder))
      expect(existsSync(join(folder, 'node_modules')), folder).toBe(false);
  });

  it('serves the built Angular client through nginx, and nothing else of the release', async () => {
    const page = await fetch(`${url}/cats`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<app-root');
    const script = /src="(main-[A-Z0-9]+\.js)"/.exec(html)?.[1];
    expect(script, html).toBeDefined();
    const asset = await fetch(`${url}/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    // The release root holds the server and node_modules: none of it is served as a file.
    for (const path of ['/package.json', '/server/index.js', '/node_modules/express/package.json']) {
      const answer = await (await fetch(`${url}${path}`)).text();
      expect(answer, path).not.toContain('require(');
      expect(answer, path).not.toContain('"name"');
    }
  });
});
