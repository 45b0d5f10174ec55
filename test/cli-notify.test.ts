/**
 * A run started on the command line tells the contacts as one started by a push does: the
 * notifications subscribe to the run's events, whoever hosts the run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../src/notify/webhook-signature.js';
import { waggle } from './helpers/cli.js';
import { Receiver } from './helpers/receivers.js';
import { commitAll, FIXTURES, repoFrom } from './helpers/repo.js';

const HOOK_SECRET = 'cli-hook-signing-secret';

describe('notifications from `waggle run`', () => {
  let receiver: Receiver;
  let repo: string;
  const run = (...args: string[]) =>
    waggle(['run', '--json', ...args], {
      cwd: repo,
      env: { WAGGLE_HOME: mkdtempSync(join(tmpdir(), 'waggle-cli-notify-')), CLI_HOOK_SECRET: HOOK_SECRET },
    });

  beforeAll(async () => {
    receiver = await Receiver.start();
    repo = repoFrom(join(FIXTURES, 'mini'));
    writeFileSync(
      join(repo, 'waggle.yml'),
      `name: fx
packages:
  lib: { path: packages/lib }
  app: { path: packages/app, service: { port: 4100 } }
contacts:
  - { name: ops hook, webhook: { url: "${receiver.url}/hook", secret: "\${{ secrets.CLI_HOOK_SECRET }}" }, on: [run.succeeded, run.failed] }
`,
    );
    commitAll(repo, 'a webhook contact');
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it('delivers one signed notification for the finished run', async () => {
    const result = await run();
    expect(result.code, result.stderr).toBe(0);
    const sha = JSON.parse(result.stdout).sha;
    const delivered = receiver.to('/hook');
    expect(delivered).toHaveLength(1);
    const [request] = delivered;
    const ok = verifyWebhookSignature(
      request?.body ?? '',
      request?.headers['x-waggle-timestamp'] as string,
      request?.headers['x-waggle-signature'] as string,
      HOOK_SECRET,
      Date.now(),
    );
    expect(ok).toBe(true);
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({
      event: 'run.succeeded',
      state: 'success',
      sha,
    });
  });

  it('tells nobody with --no-notify', async () => {
    const before = receiver.to('/hook').length;
    const result = await run('--no-notify', '--no-cache');
    expect(result.code, result.stderr).toBe(0);
    expect(receiver.to('/hook')).toHaveLength(before);
  });
});
