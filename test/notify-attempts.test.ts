/**
 * Failed and retried deliveries as the store keeps them: a run's end goes through the same
 * subscriber the server and `waggle run` use, to receivers that answer as Slack and Discord do,
 * and every attempt is read back from the store's notification_attempts table.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { RunNotifications } from '../src/notify/run-notifications.js';
import { RunNotifier } from '../src/notify/run-notifier.js';
import { Store } from '../src/store/store.js';
import {
  discordAnswer,
  discordRateLimit,
  Receiver,
  slackAnswer,
  slackError,
  slackRateLimit,
} from './helpers/receivers.js';

const SLACK_TOKEN = 'slackAttemptsSecret5151';
const DISCORD_TOKEN = 'discordAttemptsSecret6262';
const SLACK_PATH = `/services/T0001/B0002/${SLACK_TOKEN}`;
const DISCORD_PATH = `/api/webhooks/1234/${DISCORD_TOKEN}`;

describe('notification attempts, as the store records them', () => {
  let store: Store;
  let chat: Receiver;

  beforeAll(async () => {
    store = Store.open(mkdtempSync(join(tmpdir(), 'waggle-notify-attempts-')));
    chat = await Receiver.start();
  });
  afterAll(async () => {
    await Promise.all([store?.close(), chat?.close()]);
  });

  it('keeps every failed, rate-limited and retried attempt with the run, without the webhook secrets', async () => {
    const env = {
      SLACK_WEBHOOK_URL: chat.script(
        SLACK_PATH,
        slackError(500, 'rollup_error'),
        slackRateLimit(1),
        slackAnswer,
      ),
      DISCORD_WEBHOOK_URL: chat.script(DISCORD_PATH, discordRateLimit(0.5), discordAnswer),
    };
    const config = parseConfig(`
name: hivenue
packages:
  billing: { path: back-end/billing }
contacts:
  - { name: team channel, slack: "\${{ secrets.SLACK_WEBHOOK_URL }}", on: [run.failed] }
  - { name: release room, discord: "\${{ secrets.DISCORD_WEBHOOK_URL }}", on: [run.failed] }
`);
    const runId = await store.runs.create({
      repo: '/src/hivenue',
      branch: 'riipen',
      sha: 'abc1234def5678900000000000000000000000ff',
      author: 'Nassim',
      message: 'billing: expect the wrong tax',
      trigger: 'push',
    });
    await store.runs.update(runId, { status: 'failed', started_at: Date.now(), finished_at: Date.now() });
    const notifier = new RunNotifier({
      store,
      config,
      env,
      repository: 'hivenue/hivenue',
      retry: { attempts: 3, baseDelayMs: 5 },
    });
    const notifications = new RunNotifications(store, notifier);

    notifications.onEvent({ type: 'run.ended', runId, status: 'failed' });
    await notifications.drain();

    const attempts = await store.notifications.ofRun(runId);
    const of = (channel: string) =>
      attempts
        .filter((attempt) => attempt.channel === channel)
        .map(({ contact, event, attempt, ok, status, error }) => ({
          contact,
          event,
          attempt,
          ok,
          status,
          error,
        }));
    const slack = { contact: 'team channel', event: 'run.failed' };
    expect(of('slack')).toEqual([
      { ...slack, attempt: 1, ok: false, status: 500, error: 'Slack answered 500: rollup_error' },
      { ...slack, attempt: 2, ok: false, status: 429, error: 'Slack answered 429' },
      { ...slack, attempt: 3, ok: true, status: 200, error: null },
    ]);
    const discord = { contact: 'release room', event: 'run.failed' };
    expect(of('discord')).toEqual([
      {
        ...discord,
        attempt: 1,
        ok: false,
        status: 429,
        error:
          'Discord answered 429: {"message":"You are being rate limited.","retry_after":0.5,"global":false}',
      },
      { ...discord, attempt: 2, ok: true, status: 204, error: null },
    ]);
    expect(attempts).toHaveLength(5);
    expect(chat.to(SLACK_PATH)).toHaveLength(3);
    expect(chat.to(DISCORD_PATH)).toHaveLength(2);

    // Each retry after a 429 waited its Retry-After: 1 s, Discord's 0.5 rounded up. (A little
    // slack below, as timers and the wall clock tick apart.)
    const at = (channel: string, attempt: number) =>
      attempts.find((row) => row.channel === channel && row.attempt === attempt)?.at ?? Number.NaN;
    expect(at('slack', 3) - at('slack', 2)).toBeGreaterThanOrEqual(980);
    expect(at('discord', 2) - at('discord', 1)).toBeGreaterThanOrEqual(980);

    const recorded = JSON.stringify(attempts);
    for (const secret of [SLACK_TOKEN, DISCORD_TOKEN, chat.url]) expect(recorded).not.toContain(secret);
  });
});
