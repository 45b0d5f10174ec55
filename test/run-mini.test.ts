/** `waggle run` end to end on a small real monorepo: real git, real npm ci, real processes. */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../src/pipeline/summary.js';
import { git } from '../src/workspace/git.js';
import { type CliResult, WAGGLE_BIN, waggle } from './helpers/cli.js';
import { hangingSuiteConfig, isRunning } from './helpers/processes.js';
import { commitAll, FIXTURES, repoFrom } from './helpers/repo.js';
import { folderStepsCanWrite } from './helpers/step-folder.js';

describe('waggle run on a small monorepo', () => {
  let repo: string;
  let home: string;
  const run = async (args: string[]) => {
    const result = await waggle(['run', '--json', ...args], { cwd: repo, env: { WAGGLE_HOME: home } });
    return { ...result, summary: result.stdout ? (JSON.parse(result.stdout) as RunSummary) : undefined };
  };
  type Run = Awaited<ReturnType<typeof run>>;
  // Each run below builds on the commits and the cache of the ones before it, so they are made
  // once, in order, here; every test asserts on what one step of that history left.
  let first: Run;
  let again: Run;
  let listedAfterTwo: CliResult;
  let changed: Run;
  let rerun: Run;
  let broken: Run;
  let brokenText: CliResult;
  const shell = { marker: join(tmpdir(), `waggle-pwned-${process.pid}`), branch: '' };
  let shellRun: Run;
  /** Whether the run made a workspace, looked at right after it (retention removes old ones). */
  const madeWorkspace = (result: Run) => existsSync(join(home, 'workspaces', String(result.summary?.run)));
  const workspaces: Record<string, boolean> = {};

  beforeAll(async () => {
    repo = repoFrom(join(FIXTURES, 'mini'));
    home = mkdtempSync(join(tmpdir(), 'waggle-home-'));
    const env = { WAGGLE_HOME: home };

    first = await run(['--all']);
    workspaces.first = madeWorkspace(first);
    again = await run([]);
    workspaces.again = madeWorkspace(again);
    listedAfterTwo = await waggle(['runs', 'list', '--json'], { cwd: repo, env });

    appendFileSync(join(repo, 'packages/app/build.mjs'), '// touched\n');
    commitAll(repo, 'touch app only');
    changed = await run([]);
    rerun = await run([]);

    writeFileSync(join(repo, 'packages/lib/value.txt'), '41\n');
    commitAll(repo, 'break lib');
    broken = await run([]);
    brokenText = await waggle(['run'], { cwd: repo, env });

    // git refuses spaces in branch names; ${IFS} is how an attacker spells one.
    shell.branch = `x$(touch${'${IFS}'}${shell.marker})`;
    git(repo, ['checkout', '--quiet', '-b', shell.branch]);
    writeFileSync(join(repo, 'packages/lib/value.txt'), '42\n');
    commitAll(repo, `fix $(touch ${shell.marker}) \`touch ${shell.marker}\``);
    shellRun = await run(['--all']);
    workspaces.shellRun = madeWorkspace(shellRun);
  });

  it('builds, tests and packages every package, then reuses what passed', () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.summary?.packages.lib?.tests).toEqual({ passed: 2, failed: 0, skipped: 0 });
    expect(first.summary?.packages.app?.tests).toEqual({ passed: 2, failed: 0, skipped: 0 });
    expect(first.summary?.artifacts.map((a) => a.package)).toEqual(['app']);
    const artifact = first.summary?.artifacts[0];
    expect(artifact?.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The recorded checksum is the tarball's own, recomputed here from its bytes.
    const bytes = readFileSync(artifact?.file as string);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(artifact?.sha256);
    expect(bytes.length).toBe(artifact?.size);

    expect(again.code).toBe(0);
    expect(again.summary?.packages.app?.status).toBe('cached');
    expect(again.summary?.artifacts[0]?.sha256).toBe(first.summary?.artifacts[0]?.sha256);
  });

  it('answers a commit whose every build and suite passed before with no checkout and no install', () => {
    // Nothing affected (the same commit again), and everything affected but cached (--all on a
    // commit whose packages' inputs all passed before): the steps say what they reuse.
    for (const [name, result] of [
      ['again', again],
      ['shellRun', shellRun],
    ] as const) {
      expect(result.code, result.stderr).toBe(0);
      expect(
        result.summary?.stages.filter((stage) => ['checkout', 'install'].includes(stage.name)),
        name,
      ).toEqual([
        expect.objectContaining({ name: 'checkout', status: 'skipped' }),
        expect.objectContaining({ name: 'install', status: 'skipped' }),
      ]);
      expect(workspaces[name], name).toBe(false);
    }
    expect(shellRun.stderr).toContain(
      'nothing to run: every build and suite the change reaches passed before',
    );
    expect(shellRun.summary?.packages.lib?.status).toBe('cached');
    expect(shellRun.summary?.packages.app?.status).toBe('cached');
    expect(shellRun.summary?.artifacts.map((a) => a.package)).toEqual(['app']);
    expect(workspaces.first).toBe(true);
  });

  it('keeps every step with its exit code, duration and log, and every test case', async () => {
    const env = { WAGGLE_HOME: home };
    const list = JSON.parse(listedAfterTwo.stdout);
    expect(list.map((run: { id: number; status: string }) => [run.id, run.status])).toEqual([
      [2, 'passed'],
      [1, 'passed'],
    ]);
    const shown = JSON.parse((await waggle(['runs', 'show', '1', '--json'], { cwd: repo, env })).stdout);
    const testLib = shown.steps.find((step: { key: string }) => step.key === 'test:lib');
    expect(testLib).toMatchObject({ status: 'passed', exit_code: 0 });
    expect(testLib.duration_ms).toBeGreaterThan(0);
    expect(shown.summary.packages.lib.tests.passed).toBe(2);
    const logs = await waggle(['runs', 'logs', '1', '--step', 'test:lib'], { cwd: repo, env });
    expect(logs.stdout).toContain('[test:lib] PASS 2 tests');
    expect((await waggle(['runs', 'show', '99'], { cwd: repo, env })).code).toBe(2);
  });

  it('builds and tests only what a change reaches, and reports it cached the second time', () => {
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.summary?.packages.app?.status).toBe('passed');
    expect(changed.summary?.packages.lib?.status).toBe('skipped');
    expect(changed.stderr).toMatch(/build lib.*from run/); // restored, not rebuilt

    expect(rerun.summary?.packages.app?.status).toBe('cached');
    expect(rerun.summary?.packages.lib?.status).toBe('skipped');
  });

  it('fails with the failing test named, in JSON and in the terminal summary', () => {
    expect(broken.code).toBe(1);
    expect(broken.summary?.status).toBe('failed');
    expect(broken.summary?.failedTests).toEqual([
      expect.objectContaining({
        package: 'lib',
        name: 'is the answer',
        message: expect.stringContaining('expected 41 to be 42'),
      }),
    ]);
    // app depends on lib, so the change reaches it too: it is built and tested again.
    expect(broken.summary?.packages.app?.status).toBe('passed');

    expect(brokenText.code).toBe(1);
    expect(brokenText.stdout).toContain('Failed tests');
    expect(brokenText.stdout).toContain('lib › value › is the answer');
    expect(brokenText.stdout).toContain('expected 41 to be 42');
  });

  it('treats branch names and commit messages as text, never as shell', () => {
    expect(shellRun.code, shellRun.stderr).toBe(0);
    expect(shellRun.summary?.branch).toBe(shell.branch);
    expect(existsSync(shell.marker)).toBe(false);
  });

  it('refuses an unknown stage and an unknown commit with exit 2', async () => {
    expect((await run(['--until', 'deploy'])).code).toBe(2);
    const missing = await run(['--sha', 'no-such-commit']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no commit "no-such-commit"');
  });
});

describe('cancelling a run', () => {
  it('Ctrl-C kills the running step with its children and records the run as cancelled', async () => {
    const repo = repoFrom(join(FIXTURES, 'mini'));
    const home = mkdtempSync(join(tmpdir(), 'waggle-home-'));
    const pidFile = join(folderStepsCanWrite(), 'sleeper.pid');
    writeFileSync(join(repo, 'waggle.yml'), hangingSuiteConfig(pidFile));
    commitAll(repo, 'a suite that hangs');
    const child = spawn(process.execPath, [WAGGLE_BIN, 'run', '--json'], {
      cwd: repo,
      env: { ...process.env, WAGGLE_HOME: home },
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await vi.waitFor(() => expect(existsSync(pidFile)).toBe(true), { timeout: 60_000, interval: 100 });
    child.kill('SIGINT');
    expect(await exited).toBe(1);
    const summary = JSON.parse(stdout) as RunSummary;
    expect(summary.status).toBe('cancelled');
    expect(summary.packages.lib?.status).toBe('cancelled');
    const sleeperPid = Number(readFileSync(pidFile, 'utf8'));
    await vi.waitFor(() => expect(isRunning(sleeperPid)).toBe(false), { timeout: 5_000 });
  }, 90_000);
});

describe('a run whose process was killed', () => {
  it('is marked interrupted by the next waggle run, its running step cancelled', async () => {
    const repo = repoFrom(join(FIXTURES, 'mini'));
    const home = mkdtempSync(join(tmpdir(), 'waggle-home-'));
    const marker = join(folderStepsCanWrite(), 'suite-started');
    const slowSuite = `require('fs').writeFileSync(${JSON.stringify(marker)}, ''); setTimeout(() => {}, 3000)`;
    writeFileSync(
      join(repo, 'waggle.yml'),
      `name: fx\npackages:\n  lib: { path: packages/lib, test: { run: [node, -e, ${JSON.stringify(slowSuite)}], junit: none } }\n`,
    );
    commitAll(repo, 'a slow suite');
    const env = { ...process.env, WAGGLE_HOME: home };
    const child = spawn(process.execPath, [WAGGLE_BIN, 'run'], { cwd: repo, env, stdio: 'ignore' });
    await vi.waitFor(() => expect(existsSync(marker)).toBe(true), { timeout: 60_000, interval: 100 });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('close', resolve));

    const next = await waggle(['run', '--json'], { cwd: repo, env });
    expect(next.code, next.stderr).toBe(0);
    const killed = JSON.parse((await waggle(['runs', 'show', '1', '--json'], { cwd: repo, env })).stdout);
    expect(killed.run).toMatchObject({ status: 'interrupted', error: 'its process stopped mid-run' });
    expect(killed.steps.find((step: { key: string }) => step.key === 'test:lib').status).toBe('cancelled');
  }, 90_000);
});
