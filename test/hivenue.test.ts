/**
 * The reference app through `waggle run`, as a newcomer would try it: a fresh git repository made
 * from examples/hivenue, the real npm ci, tsc and ng builds, Jest and Karma suites, and artifacts.
 */
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../src/pipeline/summary.js';
import { waggle } from './helpers/cli.js';
import { hivenueRepo } from './helpers/hivenue.js';
import { commitAll } from './helpers/repo.js';

const SERVICES = ['ai-model', 'platform', 'billing', 'admin'];

describe('waggle run on the Hivenue reference app', () => {
  let repo: string;
  let home: string;
  const run = async (...args: string[]) => {
    const result = await waggle(['run', ...args], { cwd: repo, env: { WAGGLE_HOME: home } });
    const json = args.includes('--json');
    return {
      ...result,
      summary: json && result.stdout ? (JSON.parse(result.stdout) as RunSummary) : undefined,
    };
  };
  type Run = Awaited<ReturnType<typeof run>>;
  // Each run below builds on the commits and the cache of the ones before it (one install of the
  // app for all of them), so they are made once, in order, here; every test asserts on its part.
  let all: Run;
  let changed: Run;
  let again: Run;
  let broken: Run;
  let brokenText: Run;

  beforeAll(async () => {
    repo = await hivenueRepo();
    home = mkdtempSync(join(tmpdir(), 'waggle-hivenue-'));

    all = await run('--all', '--until', 'package', '--json');

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
  }, 1_500_000);

  it('passes --all --until package with tests in every package and an artifact per deployable', () => {
    const { code, stderr, summary } = all;
    expect(code, stderr.slice(-3000)).toBe(0);
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
