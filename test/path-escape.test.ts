/**
 * A pushed commit cannot make waggle remove or read files outside the run's workspace: not with
 * paths in its waggle.yml, and not with symlinks it commits.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../src/pipeline/summary.js';
import { git } from '../src/workspace/git.js';
import { waggle } from './helpers/cli.js';
import { deliver, pushPayload } from './helpers/github.js';
import { commitAll, FIXTURES, repoFrom } from './helpers/repo.js';
import { startTestServer } from './helpers/server.js';

/** A folder outside every repository and workspace, holding a file that must survive. */
function victim(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'waggle-victim-'));
  const file = join(dir, 'junit.xml');
  writeFileSync(file, 'keep me');
  return { dir, file };
}

describe('paths that lead out of the workspace', () => {
  it('a committed symlink cannot make the test step delete or read a file outside', async () => {
    const repo = repoFrom(join(FIXTURES, 'mini'));
    const outside = victim();
    // lib's suite writes reports/junit.xml; the commit makes reports a link to the victim's folder.
    symlinkSync(outside.dir, join(repo, 'packages/lib/reports'));
    git(repo, ['add', '--force', 'packages/lib/reports']);
    commitAll(repo, 'reports lead elsewhere');
    const home = mkdtempSync(join(tmpdir(), 'waggle-home-'));
    const result = await waggle(['run', '--all', '--json', '--until', 'test'], {
      cwd: repo,
      env: { WAGGLE_HOME: home },
    });
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout) as RunSummary;
    expect(summary.failedSteps).toContainEqual({
      name: 'test lib',
      detail: expect.stringContaining('leads outside'),
    });
    expect(readFileSync(outside.file, 'utf8')).toBe('keep me');
  });

  it('a commit whose waggle.yml escapes fails through the server before any step, touching nothing', async () => {
    const repo = repoFrom(join(FIXTURES, 'mini'));
    const outside = victim();
    const server = await startTestServer(repo, 'escape-secret');
    try {
      const climb = '../'.repeat(12) + outside.file.slice(1);
      writeFileSync(
        join(repo, 'waggle.yml'),
        `name: fx\npackages:\n  lib: { path: packages/lib, test: { junit: ${JSON.stringify(climb)} }, outputs: [dist, ../../../../x] }\n`,
      );
      const sha = commitAll(repo, 'junit far away');
      const { body } = await deliver(server.url, 'escape-secret', pushPayload('main', sha));
      const run = await vi.waitFor(
        async () => {
          const row = await server.store.runs.get(body.run as number);
          expect(row?.status).toBe('failed');
          return row;
        },
        { timeout: 30_000, interval: 100 },
      );
      expect(run?.error).toContain('packages.lib.test.junit: must stay inside the package folder');
      expect(run?.error).toContain('packages.lib.outputs[1]: must stay inside the package folder');
      expect(await server.store.steps.ofRun(body.run as number)).toEqual([]);
      expect(readFileSync(outside.file, 'utf8')).toBe('keep me');
    } finally {
      await server.close();
    }
  });

  it('validate refuses the same config with exit 2, a line per path', async () => {
    const repo = repoFrom(join(FIXTURES, 'mini'));
    writeFileSync(
      join(repo, 'waggle.yml'),
      'name: fx\npackages:\n  lib: { path: ../outside, test: { junit: /tmp/x.xml }, site: { dist: ../../d } }\n',
    );
    mkdirSync(join(repo, '..', 'outside'), { recursive: true });
    const result = await waggle(['validate'], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('packages.lib.path: must stay inside the repository');
    expect(result.stderr).toContain('packages.lib.test.junit: must stay inside the package folder');
    expect(result.stderr).toContain('packages.lib.site.dist: must stay inside the package folder');
    expect(existsSync(join(repo, '.waggle'))).toBe(false);
  });
});
