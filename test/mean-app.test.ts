/**
 * The app teams really have: one package.json, an Angular client tested with Karma, an Express +
 * Mongoose server tested with Jest against a MongoDB stand-in that waggle starts as a service.
 * From `waggle init` to a green run, a broken test caught and named, a client-only change that
 * re-runs only the client's suite, and the same result through `waggle serve`.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../src/pipeline/summary.js';
import { git } from '../src/workspace/git.js';
import { waggle } from './helpers/cli.js';
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

  beforeAll(() => {
    repo = repoFrom(join(FIXTURES, 'mean'), 'main', (path) => LEFTOVERS.has(basename(path)));
    home = mkdtempSync(join(tmpdir(), 'waggle-mean-'));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('gets a waggle.yml from init that validates: one package, two suites, the database as a service', async () => {
    const init = await waggle(['init'], { cwd: repo });
    expect(init.code, init.stderr).toBe(0);
    const written = readFileSync(join(repo, 'waggle.yml'), 'utf8');
    expect(written).toContain('path: .');
    expect(written).toMatch(/name: client[\s\S]*inputs: \[ client \]/);
    expect(written).toMatch(/services: \[ mongodb \]/);
    const validate = await waggle(['validate'], { cwd: repo });
    expect(validate.code, validate.stderr).toBe(0);
    commitAll(repo, 'waggle.yml from waggle init');
  });

  it(
    'runs green: both suites counted, the site packaged',
    async () => {
      const first = await run();
      expect(first.code, first.stderr.slice(-3000)).toBe(0);
      const shown = await steps(first.summary?.run as number);
      expect(shown.find((s) => s.key === 'test:cats:server')).toMatchObject({
        status: 'passed',
        detail: '8 tests',
      });
      expect(shown.find((s) => s.key === 'test:cats:client')).toMatchObject({
        status: 'passed',
        detail: '6 tests',
      });
      expect(first.summary?.packages.cats?.tests).toEqual({ passed: 14, failed: 0, skipped: 0 });
      expect(first.summary?.artifacts.map((a) => a.package)).toEqual(['cats']);
    },
    RUN_TIMEOUT,
  );

  it(
    'fails when a back-end test breaks, naming the test',
    async () => {
      edit('server/test/cats-api.test.js', "breed: 'unknown'", "breed: 'siamese'");
      commitAll(repo, 'a wrong expectation');
      const broken = await run();
      expect(broken.code).toBe(1);
      expect(broken.summary?.failedTests).toEqual([
        expect.objectContaining({ package: 'cats', suite: 'cats API', name: 'creates a cat' }),
      ]);
      expect(broken.summary?.failedTests[0]?.message).toContain('siamese');
    },
    RUN_TIMEOUT,
  );

  it(
    're-runs only the client suite after a client-only change, never passing off an old result',
    async () => {
      edit('server/test/cats-api.test.js', "breed: 'siamese'", "breed: 'unknown'");
      edit('client/src/app/cats/cat-list.ts', 'No cats yet.', 'No cats here yet.');
      commitAll(repo, 'the expectation fixed, a client wording changed');
      const next = await run();
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
    },
    RUN_TIMEOUT,
  );

  it(
    'gives the same result for the same commit through waggle serve',
    async () => {
      const cli = await run();
      server = await startTestServer(repo, SECRET);
      // The install is the same lockfile's: hand it over rather than download it again.
      cpSync(join(home, 'cache', 'node_modules'), join(server.home, 'cache', 'node_modules'), {
        recursive: true,
        verbatimSymlinks: true,
      });
      const { body } = await deliver(
        server.url,
        SECRET,
        pushPayload('main', git(repo, ['rev-parse', 'HEAD'])),
      );
      const served = await vi.waitFor(
        async () => {
          const row = await server?.store.runs.get(body.run as number);
          expect(['passed', 'failed', 'cancelled']).toContain(row?.status);
          return JSON.parse(row?.summary ?? '{}') as RunSummary;
        },
        { timeout: 300_000, interval: 500 },
      );
      expect(served.status).toBe(cli.summary?.status);
      expect(served.packages.cats?.tests).toEqual(cli.summary?.packages.cats?.tests);
      const suites = (await server.store.steps.ofRun(body.run as number)).filter((s) => s.stage === 'test');
      expect(suites.map((s) => [s.key, s.status])).toEqual([
        ['test:cats:server', 'passed'],
        ['test:cats:client', 'passed'],
      ]);
    },
    2 * RUN_TIMEOUT,
  );
});
