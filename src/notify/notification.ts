/**
 * One notification, whatever the channel: the facts of an event that a person or a receiver
 * needs. Channels only render it; what it says is decided here, once.
 */
import type { EventName } from '../config/schema.js';
import type { Redactor } from '../exec/redact.js';
import type { RunSummary } from '../pipeline/summary.js';

export type NotificationState = 'pending' | 'success' | 'failure' | 'error';

export interface FailedTest {
  package: string;
  suite: string;
  name: string;
  message: string | null;
}

export interface Notification {
  event: EventName;
  project: string;
  repository: string;
  branch: string;
  sha: string;
  author: string;
  commitMessage: string;
  /** The GitHub commit-status vocabulary: every channel can map it to a colour or an icon. */
  state: NotificationState;
  /** One line: an e-mail subject, a card title. */
  title: string;
  failedTests: FailedTest[];
  /** Steps that failed, for a failure without failing tests (a build that broke). */
  failedSteps?: { name: string; detail: string | null }[];
  /** Test counts over the run's packages. */
  tests?: { passed: number; failed: number; skipped: number };
  durationSeconds?: number;
  /** Link to the run's page. */
  url?: string;
  /** The environment a deploy went to; absent for a CI run. */
  environment?: string;
}

/** The run row's fields a notification needs (a store `Run` fits). */
export interface RunFacts {
  id: number;
  repo: string;
  branch: string;
  sha: string;
  author: string;
  message: string;
  /** 'ci', or 'deploy' with its environment in options. */
  kind?: string;
  options?: string | null;
}

/** The environment of a deploy job; undefined for a CI run. */
export function deployEnvironment(run: Pick<RunFacts, 'kind' | 'options'>): string | undefined {
  if (run.kind !== 'deploy') return undefined;
  const environment = (JSON.parse(run.options ?? '{}') as { environment?: unknown }).environment;
  return typeof environment === 'string' ? environment : undefined;
}

/** The notification of a CI run that started or finished. */
export function runNotification(
  summary: RunSummary,
  run: RunFacts,
  project: string,
  event: EventName,
  publicUrl?: string,
): Notification {
  const state = runState(summary, event);
  const tests = Object.values(summary.packages).reduce(
    (total, pkg) => ({
      passed: total.passed + pkg.tests.passed,
      failed: total.failed + pkg.tests.failed,
      skipped: total.skipped + pkg.tests.skipped,
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  const finished = state !== 'pending';
  return {
    event,
    project,
    repository: run.repo,
    branch: run.branch,
    sha: run.sha,
    author: run.author,
    commitMessage: run.message,
    state,
    title: event.startsWith('e2e.')
      ? e2eTitle(project, run, summary, state)
      : runTitle(project, run, summary, state),
    ...(deployEnvironment(run) ? { environment: deployEnvironment(run) } : {}),
    failedTests: summary.failedTests.map(({ package: pkg, suite, name, message }) => ({
      package: pkg,
      suite,
      name,
      message,
    })),
    failedSteps: summary.failedSteps.map(({ name, detail }) => ({ name, detail })),
    tests,
    ...(finished ? { durationSeconds: summary.seconds } : {}),
    ...(publicUrl ? { url: `${publicUrl.replace(/\/+$/, '')}/runs/${run.id}` } : {}),
  };
}

function runState(summary: RunSummary, event: EventName): NotificationState {
  if (event === 'run.started' || event === 'deploy.started') return 'pending';
  // A deploy that moved the release succeeded even when the suite after it failed.
  if (event === 'deploy.succeeded' || event === 'e2e.passed') return 'success';
  if (event === 'deploy.failed' || event === 'e2e.failed') return 'failure';
  switch (summary.status) {
    case 'passed':
      return 'success';
    case 'failed':
      return 'failure';
    case 'queued':
    case 'running':
      return 'pending';
    default:
      // Cancelled or interrupted: nothing was judged, so it is not the code's failure.
      return 'error';
  }
}

function e2eTitle(project: string, run: RunFacts, summary: RunSummary, state: NotificationState): string {
  const failed = summary.failedTests.length;
  const count = failed > 0 ? `: ${failed} ${failed === 1 ? 'test' : 'tests'} failed` : '';
  return `[${project}] End-to-end tests of ${deployEnvironment(run)} ${state === 'success' ? 'passed' : 'failed'} after deploy ${run.id} (${run.sha.slice(0, 7)})${count}`;
}

function runTitle(project: string, run: RunFacts, summary: RunSummary, state: NotificationState): string {
  const outcome =
    state === 'pending'
      ? 'started'
      : state === 'success'
        ? 'passed'
        : state === 'failure'
          ? 'failed'
          : summary.status;
  const failed = summary.failedTests.length;
  const count =
    state === 'failure' && failed > 0 ? `: ${failed} ${failed === 1 ? 'test' : 'tests'} failed` : '';
  const environment = deployEnvironment(run);
  if (environment)
    return `[${project}] Deploy ${run.id} to ${environment} ${outcome === 'passed' ? 'succeeded' : outcome} (${run.branch}, ${run.sha.slice(0, 7)})`;
  return `[${project}] Run ${run.id} ${outcome} on ${run.branch} (${run.sha.slice(0, 7)})${count}`;
}

/** The same notification with every string passed through the redactor. */
export function redactNotification(notification: Notification, redactor: Redactor): Notification {
  const clean = (value: unknown): unknown => {
    if (typeof value === 'string') return redactor.redact(value);
    if (Array.isArray(value)) return value.map(clean);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, clean(inner)]));
    return value;
  };
  return clean(notification) as Notification;
}
