import { describe, expect, it } from 'vitest';
import { Redactor } from '../exec/redact.js';
import type { RunSummary } from '../pipeline/summary.js';
import type { RunStatus } from '../store/schema.js';
import { deployEnvironment, redactNotification, runNotification } from './notification.js';

const run = {
  id: 42,
  repo: 'hivenue/hivenue',
  branch: 'riipen',
  sha: 'abc1234def5678900000000000000000000000ff',
  author: 'Nassim',
  message: 'Round invoices half up\n\nThe billing service rounded down.',
};

function summary(status: RunStatus, failedTests: RunSummary['failedTests'] = []): RunSummary {
  return {
    run: 42,
    status,
    branch: 'riipen',
    sha: run.sha,
    base: null,
    seconds: 83.4,
    stages: [],
    packages: {
      billing: {
        status: 'failed',
        build: 'passed',
        test: 'failed',
        detail: null,
        tests: { passed: 9, failed: 1, skipped: 2 },
      },
      web: {
        status: 'passed',
        build: 'passed',
        test: 'passed',
        detail: null,
        tests: { passed: 30, failed: 0, skipped: 0 },
      },
    },
    failedTests,
    failedSteps: failedTests.length > 0 ? [{ name: 'test billing', detail: '1 test failed' }] : [],
    artifacts: [],
  };
}

const failing = {
  package: 'billing',
  suite: 'Invoices',
  name: 'rounds half up',
  file: 'src/invoice.test.ts',
  message: 'Expected 10.5 to equal 11',
};

describe('runNotification', () => {
  it('states a failed run with its failing tests, counts, duration and link', () => {
    const n = runNotification(
      summary('failed', [failing]),
      run,
      'hivenue',
      'run.failed',
      'https://ci.example/',
    );
    expect(n).toMatchObject({
      event: 'run.failed',
      project: 'hivenue',
      repository: 'hivenue/hivenue',
      branch: 'riipen',
      sha: run.sha,
      author: 'Nassim',
      commitMessage: run.message,
      state: 'failure',
      title: '[hivenue] Run 42 failed on riipen (abc1234): 1 test failed',
      failedTests: [
        {
          package: 'billing',
          suite: 'Invoices',
          name: 'rounds half up',
          message: 'Expected 10.5 to equal 11',
        },
      ],
      tests: { passed: 39, failed: 1, skipped: 2 },
      durationSeconds: 83.4,
      url: 'https://ci.example/runs/42',
    });
    expect(n.failedTests[0]).not.toHaveProperty('file');
  });

  it.each([
    ['run.started', 'running', 'pending', '[hivenue] Run 42 started on riipen (abc1234)'],
    ['run.succeeded', 'passed', 'success', '[hivenue] Run 42 passed on riipen (abc1234)'],
    ['run.failed', 'failed', 'failure', '[hivenue] Run 42 failed on riipen (abc1234)'],
    ['run.failed', 'cancelled', 'error', '[hivenue] Run 42 cancelled on riipen (abc1234)'],
  ] as const)('%s of a %s run is %s', (event, status, state, title) => {
    const n = runNotification(summary(status), run, 'hivenue', event);
    expect(n.state).toBe(state);
    expect(n.title).toBe(title);
    expect(n.url).toBeUndefined();
  });

  it('gives a started run no duration yet', () => {
    expect(
      runNotification(summary('running'), run, 'hivenue', 'run.started').durationSeconds,
    ).toBeUndefined();
  });
});

describe('redactNotification', () => {
  it('redacts every string, nested ones included', () => {
    const n = runNotification(
      summary('failed', [{ ...failing, message: 'connect to mongodb://admin:hunter2-pw@db failed' }]),
      { ...run, message: 'oops, committed hunter2-pw' },
      'hivenue',
      'run.failed',
    );
    const clean = redactNotification(n, new Redactor().add('hunter2-pw'));
    expect(JSON.stringify(clean)).not.toContain('hunter2-pw');
    expect(clean.failedTests[0]?.message).toBe('connect to mongodb://admin:[REDACTED]@db failed');
    expect(clean.commitMessage).toBe('oops, committed [REDACTED]');
    expect(clean.durationSeconds).toBe(83.4);
  });
});

describe('notifications of a deploy', () => {
  const deploy = {
    id: 9,
    repo: 'hivenue/app',
    branch: 'riipen',
    sha: 'abcdef1234567',
    author: 'nassim',
    message: 'billing: retry payments',
    kind: 'deploy',
    options: JSON.stringify({ environment: 'staging', sourceRun: 4 }),
  };

  it('names the environment in the title and the notification', () => {
    const finished = runNotification(summary('passed'), deploy, 'hivenue', 'deploy.succeeded');
    expect(finished).toMatchObject({ state: 'success', environment: 'staging' });
    expect(finished.title).toBe('[hivenue] Deploy 9 to staging succeeded (riipen, abcdef1)');
    expect(runNotification(summary('failed'), deploy, 'hivenue', 'deploy.failed').title).toBe(
      '[hivenue] Deploy 9 to staging failed (riipen, abcdef1)',
    );
    expect(runNotification(summary('running'), deploy, 'hivenue', 'deploy.started').state).toBe('pending');
  });

  it('leaves a CI run without an environment', () => {
    expect(deployEnvironment({ kind: 'ci', options: '{}' })).toBeUndefined();
    expect(
      runNotification(summary('passed'), { ...deploy, kind: 'ci' }, 'hivenue', 'run.succeeded').environment,
    ).toBeUndefined();
  });
});

describe('notifications of end-to-end tests after a deploy', () => {
  const deploy = {
    id: 12,
    repo: 'hivenue/app',
    branch: 'riipen',
    sha: 'abcdef1234567',
    author: 'nassim',
    message: 'front-end: new footer',
    kind: 'deploy',
    options: JSON.stringify({ environment: 'staging', sourceRun: 11 }),
  };
  const failing = summary('failed', [
    { package: 'e2e', suite: 'home', name: 'shows the release', file: null, message: 'expected footer' },
  ]);

  it('tells the deploy as succeeded and the suite as failed, naming the failing test', () => {
    expect(runNotification(failing, deploy, 'hivenue', 'deploy.succeeded').state).toBe('success');
    const e2e = runNotification(failing, deploy, 'hivenue', 'e2e.failed');
    expect(e2e).toMatchObject({ state: 'failure', environment: 'staging' });
    expect(e2e.title).toBe(
      '[hivenue] End-to-end tests of staging failed after deploy 12 (abcdef1): 1 test failed',
    );
    expect(e2e.failedTests).toEqual([
      { package: 'e2e', suite: 'home', name: 'shows the release', message: 'expected footer' },
    ]);
  });
});
