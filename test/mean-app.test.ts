/**
 * The app teams really have: one package.json, an Angular client tested with Karma, an Express +
 * Mongoose server tested with Jest against a MongoDB stand-in that waggle starts as a service.
 * From `waggle init` to a green run, a broken test caught and named, a client-only change that
 * re-runs only the client's suite, and the same result through `waggle serve`.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../src/pipeline/summary.js';
import { git } from '../src/workspace/git.js';
import { type CliResult, waggle } from './helpers/cli.js';
import { deliver, pushPayload } from './helpers/github.js';
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

  beforeAll(async () => {
    repo = repoFrom(join(FIXTURES, 'mean'), 'main', (path) => LEFTOVERS.has(basename(path)));
    home = mkdtempSync(join(tmpdir(), 'waggle-mean-'));

    init = await waggle(['init'], { cwd: repo });
    const config = join(repo, 'waggle.yml');
    written = existsSync(config) ? readFileSync(config, 'utf8') : '';
    validate = await waggle(['validate'], { cwd: repo });
    commitAll(repo, 'waggle.yml from waggle init');

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
    // The install is the same lockfile's: hand it over rather than download it again.
    cpSync(join(home, 'cache', 'node_modules'), join(started.home, 'cache', 'node_modules'), {
      recursive: true,
      verbatimSymlinks: true,
    });
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
  }, 6 * RUN_TIMEOUT);
  afterAll(async () => {
    await server?.close();
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
});
