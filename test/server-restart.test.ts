/** A crash right after a push is acknowledged loses nothing: the next start runs that push. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { Store } from '../src/store/store.js';
import { git } from '../src/workspace/git.js';
import { waggle } from './helpers/cli.js';
import { deliver, pushPayload } from './helpers/github.js';
import { commitAll, FIXTURES, repoFrom } from './helpers/repo.js';
import { startServe } from './helpers/serve.js';

const SECRET = 'restart-secret';

describe('waggle serve after SIGKILL', () => {
  it('runs the push acknowledged just before the kill', async () => {
    const repo = repoFrom(join(FIXTURES, 'mini'));
    const home = mkdtempSync(join(tmpdir(), 'waggle-restart-'));
    const env = { WAGGLE_HOME: home, WAGGLE_WEBHOOK_SECRET: SECRET };
    const sha = git(repo, ['rev-parse', 'HEAD']);

    const first = await startServe([], { cwd: repo, env });
    const response = await deliver(first.url, SECRET, pushPayload('main', sha));
    expect(response.status).toBe(202);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    const second = await startServe([], { cwd: repo, env });
    const store = Store.open(home);
    try {
      await vi.waitFor(
        async () => {
          const passed = (await store.runs.recent(1_000)).filter(
            (run) => run.sha === sha && run.status === 'passed',
          );
          expect(passed).toHaveLength(1);
        },
        { timeout: 60_000, interval: 200 },
      );
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((resolve) => second.child.once('exit', resolve));
      await store.close();
    }
    const listed = await waggle(['runs', 'list'], { cwd: repo, env });
    expect(listed.stdout).toMatch(/passed/);
  });

  it('marks a run killed mid-step as interrupted and runs it again, once', async () => {
    const repo = repoFrom(join(FIXTURES, 'mini'));
    // A suite slow enough to be killed in the middle of.
    writeFileSync(
      join(repo, 'waggle.yml'),
      'name: fx\npackages:\n  lib: { path: packages/lib, test: { run: [node, -e, "setTimeout(() => {}, 4000)"], junit: none } }\n',
    );
    const sha = commitAll(repo, 'a slow suite');
    const home = mkdtempSync(join(tmpdir(), 'waggle-interrupt-'));
    const env = { WAGGLE_HOME: home, WAGGLE_WEBHOOK_SECRET: SECRET };
    const store = Store.open(home);
    try {
      const first = await startServe([], { cwd: repo, env });
      const { body } = await deliver(first.url, SECRET, pushPayload('main', sha));
      await vi.waitFor(
        async () => {
          const steps = await store.steps.ofRun(body.run as number);
          expect(steps.find((step) => step.key === 'test:lib')?.status).toBe('running');
        },
        { timeout: 60_000, interval: 100 },
      );
      first.child.kill('SIGKILL');
      await new Promise((resolve) => first.child.once('exit', resolve));

      const second = await startServe([], { cwd: repo, env });
      try {
        const retry = await vi.waitFor(
          async () => {
            const run = (await store.runs.recent(1_000)).find((row) => row.retry_of === body.run);
            expect(run?.status).toBe('passed');
            return run;
          },
          { timeout: 60_000, interval: 200 },
        );
        expect(retry?.sha).toBe(sha);
        expect(await store.runs.get(body.run as number)).toMatchObject({
          status: 'interrupted',
          error: 'the server stopped mid-run',
        });
        const steps = await store.steps.ofRun(body.run as number);
        expect(steps.find((step) => step.key === 'test:lib')?.status).toBe('cancelled');
      } finally {
        second.child.kill('SIGTERM');
        await new Promise((resolve) => second.child.once('exit', resolve));
      }
    } finally {
      await store.close();
    }
  });

  it('refuses to start without a webhook secret, saying what to set', async () => {
    const repo = repoFrom(join(FIXTURES, 'mini'));
    const result = await waggle(['serve', '--port', '0'], { cwd: repo, env: { WAGGLE_WEBHOOK_SECRET: '' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('WAGGLE_WEBHOOK_SECRET');
  });
});
