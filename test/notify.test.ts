/**
 * Notifications delivered for real: nodemailer to an SMTP server, fetch to HTTP receivers and to a
 * server speaking GitHub's commit-status endpoint, all on 127.0.0.1.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config, ContactConfig } from '../src/config/schema.js';
import { secretValues } from '../src/config/secrets.js';
import { Redactor } from '../src/exec/redact.js';
import {
  type DeliveryAttempt,
  type DeliveryRecorder,
  type DispatchOptions,
  dispatch,
} from '../src/notify/dispatch.js';
import { type Notification, runNotification } from '../src/notify/notification.js';
import { verifyWebhookSignature } from '../src/notify/webhook-signature.js';
import type { RunSummary } from '../src/pipeline/summary.js';
import { startFakeGitHub } from './helpers/fake-github.js';
import {
  discordAnswer,
  discordRateLimit,
  type Mail,
  parseMail,
  Receiver,
  slackAnswer,
  slackError,
  slackRateLimit,
  startSmtp,
  teamsAnswer,
} from './helpers/receivers.js';

class MemoryRecorder implements DeliveryRecorder {
  readonly attempts: DeliveryAttempt[] = [];
  attempt(record: DeliveryAttempt): void {
    this.attempts.push(record);
  }
}

// ---------------------------------------------------------------------------------------------
// The world: servers, secrets, config, a failed run

const SHA = 'abc1234def5678900000000000000000000000ff';
const SMTP_PASSWORD = 'smtp-pass-5555';
const GITHUB_TOKEN = 'ghp_testtoken9999';
const HOOK_SECRET = 'hook-secret-3333';
const SLACK_PATH = '/services/T0001/B0002/xoxSlackToken7777';

let chat: Receiver;
let githubApi: Receiver;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let mails: Mail[];
let env: NodeJS.ProcessEnv;
let config: Pick<Config, 'smtp' | 'github'>;
let secrets: string[];

beforeAll(async () => {
  chat = await Receiver.start();
  githubApi = await startFakeGitHub({ token: GITHUB_TOKEN });
  smtp = await startSmtp({ user: 'waggle', password: SMTP_PASSWORD });
  mails = smtp.mails;
  const smtpPort = smtp.port;

  env = {
    SLACK_WEBHOOK_URL: chat.script(SLACK_PATH, slackAnswer),
    SMTP_PASSWORD,
    GITHUB_TOKEN,
    HOOK_SECRET,
  };
  secrets = [SLACK_PATH.split('/').at(-1) as string, SMTP_PASSWORD, GITHUB_TOKEN, HOOK_SECRET];
  config = {
    smtp: {
      host: '127.0.0.1',
      port: smtpPort,
      secure: false,
      user: 'waggle',
      password: '${{ secrets.SMTP_PASSWORD }}',
      from: 'waggle <waggle@hivenue.example>',
    },
    github: { repository: 'hivenue/hivenue', token: '${{ secrets.GITHUB_TOKEN }}', apiUrl: githubApi.url },
  };
});

afterAll(async () => {
  await Promise.all([chat?.close(), githubApi?.close(), smtp?.close()]);
});

function summary(status: RunSummary['status'], failedTests: RunSummary['failedTests']): RunSummary {
  return {
    run: 42,
    status,
    branch: 'riipen',
    sha: SHA,
    base: null,
    seconds: 83.4,
    stages: [],
    packages: {
      billing: {
        status: failedTests.length > 0 ? 'failed' : 'passed',
        build: 'passed',
        test: failedTests.length > 0 ? 'failed' : 'passed',
        detail: null,
        tests: { passed: 9, failed: failedTests.length, skipped: 0 },
      },
    },
    failedTests,
    failedSteps:
      failedTests.length > 0 ? [{ name: 'test billing', detail: `${failedTests.length} tests failed` }] : [],
    artifacts: [],
  };
}

const run = {
  id: 42,
  repo: 'hivenue/hivenue',
  branch: 'riipen',
  sha: SHA,
  author: 'Nassim',
  message: 'Round invoices half up\n\nThe billing service rounded down.',
};

/** A failed run whose failure messages print secrets, as a careless test might. */
function failedRun(): Notification {
  return runNotification(
    summary('failed', [
      {
        package: 'billing',
        suite: 'Invoices',
        name: 'rounds half up',
        file: 'src/invoice.test.ts',
        message: 'Expected 10.5 to equal 11',
      },
      {
        package: 'billing',
        suite: 'Notifier',
        name: 'posts to the team',
        file: 'src/notifier.test.ts',
        message: `POST ${chat.url}${SLACK_PATH} failed; smtp login waggle:${SMTP_PASSWORD}`,
      },
    ]),
    run,
    'hivenue',
    'run.failed',
    'https://ci.hivenue.example',
  );
}

function options(changes: Partial<DispatchOptions> & Pick<DispatchOptions, 'contacts'>) {
  const recorder = new MemoryRecorder();
  const delays: number[] = [];
  return {
    recorder,
    delays,
    options: {
      config,
      env,
      // As the caller seeds it: with the secrets of the whole waggle.yml, not only these contacts'.
      redactor: new Redactor().add(...secretValues({ ...config, contacts: [slackContact()] }, env)),
      recorder,
      retry: { attempts: 3, baseDelayMs: 5 },
      timeoutMs: 5_000,
      sleep: (ms: number) => {
        delays.push(ms);
        return delay(ms);
      },
      ...changes,
    } satisfies DispatchOptions,
  };
}

const slackContact = (url = '${{ secrets.SLACK_WEBHOOK_URL }}'): ContactConfig => ({
  name: 'team channel',
  slack: url,
  on: ['all'],
});

// ---------------------------------------------------------------------------------------------

describe('dispatch over real channels', () => {
  it('e-mails a failing run over SMTP: the title as subject, the failing test and its message in the text', async () => {
    const before = mails.length;
    const { options: opts, recorder } = options({
      contacts: [{ name: 'CTO', email: 'cto@hivenue.example', on: ['run.failed', 'approval.requested'] }],
    });
    const outcomes = await dispatch(failedRun(), opts);

    expect(outcomes).toEqual([
      { contactIndex: 0, contactName: 'CTO', channel: 'email', ok: true, attempts: 1, status: 250 },
    ]);
    expect(recorder.attempts).toMatchObject([
      { channel: 'email', event: 'run.failed', attempt: 1, ok: true },
    ]);
    const mail = mails[before] as Mail;
    expect(mails).toHaveLength(before + 1);
    expect(mail).toMatchObject({
      user: 'waggle',
      from: 'waggle@hivenue.example',
      to: ['cto@hivenue.example'],
    });
    const { headers, text } = parseMail(mail.raw);
    expect(headers.subject).toBe('[hivenue] Run 42 failed on riipen (abc1234): 2 tests failed');
    expect(headers['x-waggle-event']).toBe('run.failed');
    expect(text).toContain('Repository: hivenue/hivenue');
    expect(text).toContain('Branch:     riipen');
    expect(text).toContain('Commit:     abc1234 by Nassim: Round invoices half up');
    expect(text).toContain('Result:     failed (9 passed, 2 failed, 0 skipped)');
    expect(text).toContain('Duration:   1m 23s');
    expect(text).toContain('Details:    https://ci.hivenue.example/runs/42');
    expect(text).toContain('  ✗ billing › Invoices › rounds half up\n      Expected 10.5 to equal 11');
    expect(text).toContain(
      '  ✗ billing › Notifier › posts to the team\n      POST [REDACTED] failed; smtp login waggle:[REDACTED]',
    );
  });

  it('posts the same facts to a Slack incoming webhook', async () => {
    const { options: opts } = options({ contacts: [slackContact()] });
    const [outcome] = await dispatch(failedRun(), opts);

    expect(outcome).toMatchObject({ channel: 'slack', ok: true, attempts: 1, status: 200 });
    const [request] = chat.to(SLACK_PATH).slice(-1);
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/json');
    const message = JSON.parse(request?.body ?? '') as { text: string; blocks: unknown[] };
    for (const fact of [
      'hivenue/hivenue',
      'riipen',
      'abc1234 by Nassim: Round invoices half up',
      'billing › Invoices › rounds half up',
      'Expected 10.5 to equal 11',
      'https://ci.hivenue.example/runs/42',
    ]) {
      expect(message.text).toContain(fact);
      expect(JSON.stringify(message.blocks)).toContain(fact);
    }
    const perTest = message.blocks.filter((block) => JSON.stringify(block).includes('✗ *billing › '));
    expect(perTest).toHaveLength(2);
  });

  it('posts a Teams card and a Discord message', async () => {
    const teamsUrl = chat.script('/teams/webhook', teamsAnswer);
    const discordUrl = chat.script('/discord/api/webhooks/1/token', discordAnswer);
    const { options: opts } = options({
      contacts: [
        { teams: teamsUrl, on: ['run.*'] },
        { discord: discordUrl, on: ['run.failed'] },
      ],
    });
    const outcomes = await dispatch(failedRun(), opts);

    expect(outcomes.map((o) => [o.channel, o.ok, o.status])).toEqual([
      ['teams', true, 202],
      ['discord', true, 204],
    ]);
    const teams = JSON.parse(chat.to('/teams/webhook')[0]?.body ?? '') as {
      type: string;
      attachments: { contentType: string; content: { type: string; body: unknown[] } }[];
    };
    expect(teams.type).toBe('message');
    expect(teams.attachments[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(teams.attachments[0]?.content.body)).toContain('Expected 10.5 to equal 11');
    const discord = JSON.parse(chat.to('/discord/api/webhooks/1/token')[0]?.body ?? '') as {
      content: string;
      embeds: { title: string; url: string; description: string }[];
    };
    expect(discord.content).toBe('[hivenue] Run 42 failed on riipen (abc1234): 2 tests failed');
    expect(discord.embeds[0]?.url).toBe('https://ci.hivenue.example/runs/42');
    expect(discord.embeds[0]?.description).toContain('Expected 10.5 to equal 11');
  });

  it('posts the commit status to the GitHub API: state, sha, context and link', async () => {
    const { options: opts, recorder } = options({ contacts: [{ github: true, on: ['run.*'] }] });
    const started = runNotification(
      summary('running', []),
      run,
      'hivenue',
      'run.started',
      'https://ci.hivenue.example',
    );
    const outcomes = [...(await dispatch(started, opts)), ...(await dispatch(failedRun(), opts))];

    expect(outcomes.map((o) => [o.channel, o.ok, o.status])).toEqual([
      ['github', true, 201],
      ['github', true, 201],
    ]);
    expect(recorder.attempts.map((a) => a.event)).toEqual(['run.started', 'run.failed']);
    const requests = githubApi.requests.slice(-2);
    for (const request of requests) {
      expect(request.method).toBe('POST');
      expect(request.path).toBe(`/repos/hivenue/hivenue/statuses/${SHA}`);
      expect(request.headers.authorization).toBe(`Bearer ${GITHUB_TOKEN}`);
      expect(request.headers.accept).toBe('application/vnd.github+json');
      expect(request.headers['x-github-api-version']).toBe('2022-11-28');
    }
    expect(requests.map((request) => JSON.parse(request.body))).toEqual([
      {
        state: 'pending',
        target_url: 'https://ci.hivenue.example/runs/42',
        description: 'Run 42 started on riipen (abc1234)',
        context: 'waggle/hivenue',
      },
      {
        state: 'failure',
        target_url: 'https://ci.hivenue.example/runs/42',
        description: 'Run 42 failed on riipen (abc1234): 2 tests failed',
        context: 'waggle/hivenue',
      },
    ]);
  });

  it('signs the generic webhook so the receiver can verify it, and a tampered body fails', async () => {
    const url = chat.script('/hooks/signed');
    const { options: opts } = options({
      contacts: [{ webhook: { url, secret: '${{ secrets.HOOK_SECRET }}' }, on: ['all'] }],
    });
    const [outcome] = await dispatch(failedRun(), opts);

    expect(outcome).toMatchObject({ channel: 'webhook', ok: true });
    const [request] = chat.to('/hooks/signed');
    const timestamp = request?.headers['x-waggle-timestamp'] as string;
    const signature = request?.headers['x-waggle-signature'] as string;
    const body = request?.body ?? '';
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(body, timestamp, signature, HOOK_SECRET, Date.now())).toBe(true);
    expect(
      verifyWebhookSignature(
        body.replace('failure', 'success'),
        timestamp,
        signature,
        HOOK_SECRET,
        Date.now(),
      ),
    ).toBe(false);
    expect(verifyWebhookSignature(body, timestamp, signature, 'not-the-secret', Date.now())).toBe(false);
    expect(JSON.parse(body)).toMatchObject({
      event: 'run.failed',
      sha: SHA,
      state: 'failure',
      failedTests: [
        { name: 'rounds half up', message: 'Expected 10.5 to equal 11' },
        { name: 'posts to the team' },
      ],
    });
  });

  it('retries a receiver that fails twice, with backoff, and records all three attempts', async () => {
    const rollup = slackError(500, 'rollup_error');
    const url = chat.script('/flaky', rollup, rollup, slackAnswer);
    const { options: opts, recorder, delays } = options({ contacts: [slackContact(url)] });
    const [outcome] = await dispatch(failedRun(), opts);

    expect(outcome).toMatchObject({ ok: true, attempts: 3, status: 200 });
    expect(chat.to('/flaky')).toHaveLength(3);
    expect(delays).toEqual([5, 10]);
    expect(
      recorder.attempts.map(({ attempt, ok, status, error }) => ({ attempt, ok, status, error })),
    ).toEqual([
      { attempt: 1, ok: false, status: 500, error: 'Slack answered 500: rollup_error' },
      { attempt: 2, ok: false, status: 500, error: 'Slack answered 500: rollup_error' },
      { attempt: 3, ok: true, status: 200, error: undefined },
    ]);
    expect(recorder.attempts.every((a) => a.contactName === 'team channel' && a.event === 'run.failed')).toBe(
      true,
    );
  });

  it("waits as long as a 429's Retry-After asks before trying again", async () => {
    const url = chat.script('/busy', slackRateLimit(1), slackAnswer);
    const { options: opts, delays } = options({ contacts: [slackContact(url)] });
    const [outcome] = await dispatch(failedRun(), opts);
    expect(outcome).toMatchObject({ ok: true, attempts: 2 });
    expect(delays).toEqual([1000]);
  });

  it("waits out Discord's rate limit, then takes its empty 204 as delivered", async () => {
    const url = chat.script('/discord/busy', discordRateLimit(0.4), discordAnswer);
    const { options: opts, recorder, delays } = options({ contacts: [{ discord: url, on: ['all'] }] });
    const [outcome] = await dispatch(failedRun(), opts);
    expect(outcome).toMatchObject({ channel: 'discord', ok: true, attempts: 2, status: 204 });
    // Retry-After is the body's 0.4 s rounded up to whole seconds.
    expect(delays).toEqual([1000]);
    expect(recorder.attempts.map(({ attempt, ok, status }) => [attempt, ok, status])).toEqual([
      [1, false, 429],
      [2, true, 204],
    ]);
    expect(recorder.attempts[0]?.error).toMatch(/^Discord answered 429: .*You are being rate limited/);
  });

  it('gives up on a receiver that always fails, resolves, and still tells the others', async () => {
    const down = chat.script('/down', { status: 503, body: 'upstream unavailable' });
    const hook = chat.script('/hooks/fine');
    const { options: opts, recorder } = options({
      contacts: [
        slackContact(down),
        { webhook: { url: hook, secret: 'literal-hook-secret' }, on: ['all'] },
        { github: true, on: ['all'] },
      ],
    });
    const outcomes = await dispatch(failedRun(), opts);

    expect(outcomes).toMatchObject([
      {
        contactIndex: 0,
        ok: false,
        attempts: 3,
        status: 503,
        error: 'Slack answered 503: upstream unavailable',
      },
      { contactIndex: 1, channel: 'webhook', ok: true, attempts: 1 },
      { contactIndex: 2, channel: 'github', ok: true, attempts: 1, status: 201 },
    ]);
    const failures = recorder.attempts.filter((a) => a.contactIndex === 0);
    expect(failures.map((a) => [a.attempt, a.ok, a.status])).toEqual([
      [1, false, 503],
      [2, false, 503],
      [3, false, 503],
    ]);
    expect(recorder.attempts).toHaveLength(5);
  });

  it('delivers to all contacts at once', async () => {
    // Each receiver answers only once the other has been called: one after the other would time out.
    const first = chat.script('/together/a', { ...slackAnswer, after: () => chat.waitFor('/together/b') });
    const second = chat.script('/together/b', { ...slackAnswer, after: () => chat.waitFor('/together/a') });
    const { options: opts } = options({
      contacts: [slackContact(first), slackContact(second)],
      timeoutMs: 2_000,
      retry: { attempts: 1, baseDelayMs: 5 },
    });
    const outcomes = await dispatch(failedRun(), opts);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
  });

  it('does not retry what cannot succeed: a 404, a missing variable, a missing setting, a refused login', async () => {
    const gone = chat.script('/gone', slackError(404, 'no_service'));
    const { options: opts, recorder } = options({
      contacts: [
        slackContact(gone),
        { teams: '${{ secrets.TEAMS_WEBHOOK_URL }}', on: ['all'] },
        { email: 'cto@hivenue.example', on: ['all'] },
        { github: true, on: ['all'] },
      ],
      config: {
        smtp: { ...(config.smtp as NonNullable<Config['smtp']>), password: 'wrong-password-8888' },
        github: { repository: 'hivenue/hivenue', apiUrl: githubApi.url },
      },
    });
    const outcomes = await dispatch(failedRun(), opts);

    expect(outcomes.map(({ channel, ok, attempts, error }) => ({ channel, ok, attempts, error }))).toEqual([
      { channel: 'slack', ok: false, attempts: 1, error: 'Slack answered 404: no_service' },
      {
        channel: 'teams',
        ok: false,
        attempts: 1,
        error: 'environment variable TEAMS_WEBHOOK_URL is not set',
      },
      { channel: 'email', ok: false, attempts: 1, error: expect.stringMatching(/^SMTP: Invalid login: 535/) },
      { channel: 'github', ok: false, attempts: 1, error: 'github.token is not set in waggle.yml' },
    ]);
    expect(outcomes[2]?.status).toBe(535);
    expect(chat.to('/gone')).toHaveLength(1);
    expect(recorder.attempts).toHaveLength(4);
    expect(JSON.stringify(recorder.attempts)).not.toContain('wrong-password-8888');
  });

  it('reports a receiver that never answers, or cannot be reached, without its URL', async () => {
    const silent = chat.script('/silent', { ...slackAnswer, after: () => new Promise(() => {}) });
    const closed = await Receiver.start();
    const unreachable = `${closed.url}/services/T9/B9/unreachableToken`;
    await closed.close();
    const { options: opts, recorder } = options({
      contacts: [slackContact(silent), { discord: unreachable, on: ['all'] }],
      timeoutMs: 200,
      retry: { attempts: 1, baseDelayMs: 5 },
    });
    const outcomes = await dispatch(failedRun(), opts);

    expect(outcomes[0]).toMatchObject({ ok: false, error: 'Slack: no answer within 0.2s' });
    expect(outcomes[1]).toMatchObject({ ok: false, error: expect.stringContaining('ECONNREFUSED') });
    expect(JSON.stringify(recorder.attempts)).not.toContain('unreachableToken');
    expect(JSON.stringify(recorder.attempts)).not.toContain('/silent');
  });

  it('tells only the contacts that want the event', async () => {
    const url = chat.script('/deploys-only', slackAnswer);
    const { options: opts } = options({
      contacts: [
        { name: 'ops', slack: url, on: ['deploy.*'] },
        { name: 'CTO', github: true, on: ['run.failed'] },
        { name: 'off', github: false, on: ['all'] },
      ],
    });
    const outcomes = await dispatch(failedRun(), opts);
    expect(outcomes.map((o) => [o.contactIndex, o.contactName])).toEqual([[1, 'CTO']]);
    expect(chat.to('/deploys-only')).toHaveLength(0);
  });

  it('keeps delivering when the recorder fails, and says so', async () => {
    const url = chat.script('/unrecorded', slackAnswer);
    const { options: opts } = options({
      contacts: [slackContact(url)],
      recorder: {
        attempt: () => {
          throw new Error('database is locked');
        },
      },
    });
    const [outcome] = await dispatch(failedRun(), opts);
    expect(outcome).toMatchObject({ ok: true, recordError: 'database is locked' });
  });

  it('lets no secret reach a receiver, a mail or a recorded error', async () => {
    const before = { chat: chat.requests.length, github: githubApi.requests.length, mails: mails.length };
    // A receiver that echoes the token in its error answer.
    const echo = chat.script('/echo', {
      status: 500,
      body: `invalid token ${GITHUB_TOKEN} for ${SLACK_PATH}`,
    });
    const { options: opts, recorder } = options({
      contacts: [
        slackContact(),
        slackContact(echo),
        { email: 'cto@hivenue.example', on: ['all'] },
        { teams: chat.script('/teams/secret-check', teamsAnswer), on: ['all'] },
        { discord: chat.script('/discord/secret-check', discordAnswer), on: ['all'] },
        {
          webhook: { url: chat.script('/hooks/secret-check'), secret: '${{ secrets.HOOK_SECRET }}' },
          on: ['all'],
        },
        { github: true, on: ['all'] },
      ],
      // Empty: dispatch itself must learn every secret the contacts and settings hold.
      redactor: new Redactor(),
    });
    const outcomes = await dispatch(failedRun(), opts);

    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true, true, true, true, true]);
    expect(outcomes[1]?.error).toBe('Slack answered 500: invalid token [REDACTED] for [REDACTED]');
    const delivered = [
      ...chat.requests.slice(before.chat).map((r) => r.body),
      ...githubApi.requests.slice(before.github).map((r) => r.body),
      ...mails.slice(before.mails).flatMap((mail) => [mail.raw, parseMail(mail.raw).text]),
    ];
    expect(delivered.length).toBeGreaterThanOrEqual(9);
    const recorded = JSON.stringify([recorder.attempts, outcomes]);
    for (const secret of secrets) {
      for (const body of delivered) expect(body).not.toContain(secret);
      expect(recorded).not.toContain(secret);
    }
    const slackBody = chat.to(SLACK_PATH).slice(-1)[0]?.body ?? '';
    expect(slackBody).toContain('[REDACTED]');
  });
});
