/** The commands a newcomer starts with: init, doctor and the pre-push hook, through the real CLI. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../src/workspace/git.js';
import { waggle } from './helpers/cli.js';
import { commitAll, FIXTURES, repoFrom } from './helpers/repo.js';

const REFERENCE_APP = new URL('../examples/hivenue', import.meta.url).pathname;
const BUILD_LEFTOVERS = new Set(['node_modules', 'dist', 'reports', '.angular', '.waggle', 'coverage']);

describe('waggle init', () => {
  it("writes a waggle.yml for the reference app that validates, and won't overwrite it", async () => {
    const repo = repoFrom(REFERENCE_APP, 'riipen', (path) => BUILD_LEFTOVERS.has(basename(path)));
    rmSync(join(repo, 'waggle.yml'));
    const result = await waggle(['init'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('shared, ai-model, platform, billing, admin, web');
    expect(readFileSync(join(repo, 'waggle.yml'), 'utf8')).toContain('branches:\n    - riipen');
    expect((await waggle(['validate'], { cwd: repo })).code).toBe(0);
    expect((await waggle(['init'], { cwd: repo })).code).toBe(2);
  });
});

describe('waggle doctor', () => {
  it('passes where the config is valid and names missing variables without failing', async () => {
    const repo = repoFrom(join(FIXTURES, 'mini'));
    const result = await waggle(['doctor', '--json'], {
      cwd: repo,
      env: { WAGGLE_HOME: join(repo, '.waggle') },
    });
    expect(result.code, result.stdout).toBe(0);
    const checks = JSON.parse(result.stdout) as { name: string; ok: boolean }[];
    expect(checks.find((check) => check.name === 'waggle.yml')?.ok).toBe(true);
    expect(checks.find((check) => check.name === 'git')?.ok).toBe(true);
  });

  it('fails on a broken config and says how to fix it', async () => {
    const repo = repoFrom(join(FIXTURES, 'mini'));
    writeFileSync(join(repo, 'waggle.yml'), 'name: fx\npackages: {}\n');
    const result = await waggle(['doctor'], { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ waggle.yml');
    expect(result.stdout).toContain('fix: run "waggle init"');
  });
});

describe('waggle hooks install', () => {
  it('stops a push whose affected tests fail, and lets the fixed one through', async () => {
    const repo = repoFrom(join(FIXTURES, 'mini'));
    const remote = mkdtempSync(join(tmpdir(), 'waggle-remote-'));
    git(remote, ['init', '--quiet', '--bare']);
    git(repo, ['remote', 'add', 'origin', remote]);
    const env = { ...process.env, WAGGLE_HOME: mkdtempSync(join(tmpdir(), 'waggle-hook-home-')) };
    const installed = await waggle(['hooks', 'install'], { cwd: repo, env });
    expect(installed.code, installed.stderr).toBe(0);
    expect(existsSync(join(repo, '.git/hooks/pre-push'))).toBe(true);

    writeFileSync(join(repo, 'packages/lib/value.txt'), '41\n');
    commitAll(repo, 'break lib');
    const push = (args: string[] = []) => {
      try {
        execFileSync('git', ['push', '--quiet', ...args, 'origin', 'main'], {
          cwd: repo,
          env,
          stdio: 'pipe',
        });
        return 0;
      } catch {
        return 1;
      }
    };
    expect(push()).toBe(1);
    expect(() => git(remote, ['rev-parse', '--verify', 'main'])).toThrow();

    writeFileSync(join(repo, 'packages/lib/value.txt'), '42\n');
    commitAll(repo, 'fix lib');
    expect(push()).toBe(0);
    expect(git(remote, ['rev-parse', 'main'])).toBe(git(repo, ['rev-parse', 'HEAD']));
  }, 90_000);
});

describe('waggle tokens', () => {
  it('creates a token shown once, lists names and roles only, and revokes it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'waggle-tokens-'));
    const env = { WAGGLE_HOME: home };
    const created = await waggle(['tokens', 'create', 'nassim', '--role', 'operator'], {
      cwd: tmpdir(),
      env,
    });
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^wgl_[\w-]{32}$/);
    const listed = await waggle(['tokens', 'list'], { cwd: tmpdir(), env });
    expect(listed.stdout).toMatch(/nassim\s+operator\s+never used/);
    expect(listed.stdout).not.toContain(token);
    expect((await waggle(['tokens', 'create', 'nassim'], { cwd: tmpdir(), env })).code).toBe(2);
    expect((await waggle(['tokens', 'create', 'x', '--role', 'root'], { cwd: tmpdir(), env })).code).toBe(2);
    expect((await waggle(['tokens', 'revoke', 'nassim'], { cwd: tmpdir(), env })).code).toBe(0);
    expect((await waggle(['tokens', 'list'], { cwd: tmpdir(), env })).stdout).not.toContain('nassim');
  });
});
