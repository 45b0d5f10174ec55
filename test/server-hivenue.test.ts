/**
 * The server on the Hivenue reference app, with every neighbour real: a push breaking a billing
 * assertion is e-mailed (a real SMTP server) naming the test, the same facts reach a Slack-style
 * receiver, and commit statuses reach a server speaking GitHub's API. A fix that arrives without a
 * webhook is found by polling GitHub for branch heads.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Store } from '../src/store/store.js';
import { git } from '../src/workspace/git.js';
import { startFakeGitHub } from './helpers/fake-github.js';
import { deliver, pushPayload } from './helpers/github.js';
import { hivenueRepo } from './helpers/hivenue.js';
import { type Mail, parseMail, Receiver, slackAnswer, startSmtp } from './helpers/receivers.js';
import { commitAll } from './helpers/repo.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const SECRET = 'hivenue-webhook-secret';
const GITHUB_TOKEN = 'ghp_hivenueTestToken123456';
const SLACK_PATH = '/services/T01/B02/hivenueSlackSecret42';

describe('waggle serve on the reference app', () => {
  let repo: string;
  let store: Store;
  let started: TestServer;
  let url: string;
  let slack: Receiver;
  let github: Receiver;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const runOf = (sha: string) =>
    vi.waitFor(
      async () => {
        const run = (await store.runs.recent(1_000)).findLast((row) => row.sha === sha);
        expect(['passed', 'failed']).toContain(run?.status);
        return run as NonNullable<typeof run>;
      },
      { timeout: 600_000, interval: 500 },
    );

  beforeAll(async () => {
    slack = await Receiver.start();
    slack.script(SLACK_PATH, slackAnswer);
    github = await startFakeGitHub({
      token: GITHUB_TOKEN,
      heads: () => ({ riipen: git(repo, ['rev-parse', 'riipen']) }),
    });
    smtp = await startSmtp({ user: 'waggle', password: 'smtp-secret' });
    repo = await hivenueRepo();
    // Hivenue's waggle.yml, pointed at the neighbours of this test.
    const config = readFileSync(join(repo, 'waggle.yml'), 'utf8')
      .replace(/contacts:\n( {2}- .*\n)+/, '')
      .replace(
        'environments:',
        [
          'contacts:',
          '  - { name: CTO, email: cto@hivenue.example, on: [run.failed] }',
          '  - { name: team channel, slack: "${{ secrets.SLACK_WEBHOOK_URL }}", on: [run.succeeded, run.failed] }',
          '  - { name: commit status, github: true, on: [run.*] }',
          `smtp: { host: 127.0.0.1, port: ${smtp.port}, user: waggle, password: "\${{ secrets.SMTP_PASSWORD }}", from: "waggle <ci@hivenue.example>" }`,
          `github: { repository: hivenue/hivenue, token: "\${{ secrets.GITHUB_TOKEN }}", apiUrl: "${github.url}" }`,
          'server: { publicUrl: "https://ci.hivenue.example", poll: 500ms }',
          'environments:',
        ].join('\n'),
      );
    writeFileSync(join(repo, 'waggle.yml'), config);
    commitAll(repo, 'waggle.yml: the test neighbours');
    started = await startTestServer(repo, SECRET, {
      env: {
        ...process.env,
        SLACK_WEBHOOK_URL: `${slack.url}${SLACK_PATH}`,
        SMTP_PASSWORD: 'smtp-secret',
        GITHUB_TOKEN,
      },
      notifyRetry: { attempts: 2, baseDelayMs: 50 },
    });
    ({ store, url } = started);
  }, 60_000);
  afterAll(async () => {
    await started?.close();
    await Promise.all([slack?.close(), github?.close(), smtp?.close()]);
  });

  // One story, in order: the fix is the fix of the break, and the mail count after it counts the
  // break's mail. Splitting it would make the second half depend on the first having run.
  it('tells every channel which test a push broke, then finds the fix by polling the branch head and reports success', async () => {
    // A push that breaks billing.
    const spec = join(repo, 'back-end/billing/test/invoice-totals.test.ts');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('taxCents: 83,', 'taxCents: 84,'));
    const sha = commitAll(repo, 'billing: expect the wrong tax');
    const response = await deliver(url, SECRET, pushPayload('riipen', sha, 'billing: expect the wrong tax'));
    expect(response.status, 'the push of the break').toBe(202);
    const run = await runOf(sha);
    expect(run.status, 'the run of the break').toBe('failed');
    const failing = 'applies the tax rate once to the subtotal, rounding half up to the cent';

    await vi.waitFor(() => expect(smtp.mails).toHaveLength(1), { timeout: 10_000 });
    const mail = smtp.mails[0] as Mail;
    expect(mail.to).toEqual(['cto@hivenue.example']);
    const { headers, text } = parseMail(mail.raw);
    expect(headers.subject).toContain(`Run ${run.id} failed on riipen`);
    expect(text).toContain(failing);
    expect(text).toContain('84');
    expect(text).toContain(`https://ci.hivenue.example/runs/${run.id}`);

    await vi.waitFor(() => expect(slack.to(SLACK_PATH)).toHaveLength(1), { timeout: 10_000 });
    const chat = slack.to(SLACK_PATH)[0]?.body ?? '';
    expect(chat).toContain(failing);
    expect(chat).toContain(sha.slice(0, 7));
    expect(chat).not.toContain('hivenueSlackSecret42');

    const statuses = github.requests
      .filter((r) => r.path === `/repos/hivenue/hivenue/statuses/${sha}`)
      .map((r) => JSON.parse(r.body));
    expect(statuses.map((s) => s.state)).toEqual(['pending', 'failure']);
    expect(statuses[1]).toMatchObject({
      context: 'waggle/hivenue',
      target_url: `https://ci.hivenue.example/runs/${run.id}`,
    });

    const attempts = await store.notifications.ofRun(run.id);
    expect(
      attempts
        .filter((a) => a.ok)
        .map((a) => a.channel)
        .sort(),
    ).toEqual(['email', 'github', 'github', 'slack']);

    // The fix, committed while webhooks were lost: found by polling the branch head.
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('taxCents: 84,', 'taxCents: 83,'));
    const fix = commitAll(repo, 'billing: expect the right tax again');
    const fixed = await runOf(fix);
    expect(fixed, 'the run of the fix').toMatchObject({
      status: 'passed',
      trigger: 'poll',
      author: 'Hivenue Dev',
    });
    await vi.waitFor(
      () => {
        const states = github.requests
          .filter((r) => r.path.endsWith(`/statuses/${fix}`))
          .map((r) => JSON.parse(r.body).state);
        expect(states, 'the commit statuses of the fix').toEqual(['pending', 'success']);
      },
      { timeout: 10_000 },
    );
    expect(smtp.mails, 'mails after the fix: the CTO asked for failures only').toHaveLength(1);
  }, 1_200_000);
});
