/** Small renderings of a notification's facts that every channel shares, so they all agree. */
import type { FailedTest, Notification } from './notification.js';

/** How many failing tests a message lists; the rest are counted, the run's page has them all. */
const FIRST_FAILURES = 5;
const MESSAGE_LINES = 6;
const MESSAGE_CHARS = 500;

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

export function commitSubject(message: string): string {
  return message.split('\n', 1)[0]?.trim() ?? '';
}

export function testLabel(test: FailedTest): string {
  return [test.package, test.suite, test.name].filter(Boolean).join(' › ');
}

/** The start of a failure message: assertion messages lead, stack traces trail. */
function messageExcerpt(message: string | null): string {
  if (!message) return '';
  const lines = message
    .split('\n')
    .filter((line) => line.trim())
    .slice(0, MESSAGE_LINES)
    .join('\n');
  return truncate(lines, MESSAGE_CHARS);
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function duration(seconds: number): string {
  if (seconds < 59.95) return `${Math.round(seconds * 10) / 10}s`;
  // Round first, so 299.6 s reads 5m 0s, not 4m 60s.
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  return minutes < 60 ? `${minutes}m ${rest}s` : `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

const OUTCOME: Record<Notification['state'], string> = {
  pending: 'in progress',
  success: 'passed',
  failure: 'failed',
  error: 'did not finish',
};

/** "failed (40 passed, 2 failed, 1 skipped)" */
function outcomeLine(notification: Notification): string {
  const { tests } = notification;
  const counts =
    tests && tests.passed + tests.failed + tests.skipped > 0
      ? ` (${tests.passed} passed, ${tests.failed} failed, ${tests.skipped} skipped)`
      : '';
  return `${OUTCOME[notification.state]}${counts}`;
}

/** Failed steps worth naming: a failing test step already speaks through its tests. */
function otherFailedSteps(notification: Notification): { name: string; detail: string | null }[] {
  const steps = notification.failedSteps ?? [];
  return notification.failedTests.length === 0
    ? steps
    : steps.filter((step) => !step.name.startsWith('test '));
}

/** The facts every message lists, in this order, as label and value; Duration once a run has one. */
export function factRows(notification: Notification): [label: string, value: string][] {
  const n = notification;
  const rows: [string, string][] = [
    ['Repository', n.repository],
    ['Branch', n.branch],
    ['Commit', `${shortSha(n.sha)} by ${n.author}: ${commitSubject(n.commitMessage)}`],
    ['Result', outcomeLine(n)],
  ];
  if (n.durationSeconds !== undefined) rows.push(['Duration', duration(n.durationSeconds)]);
  return rows;
}

/** What a message says of a failure, before any channel's markup. */
export interface Failures {
  /** The first failing tests, each with the start of its message ('' when it has none). */
  shownTests: { label: string; message: string }[];
  /** Failing tests not shown; 0 when all are. */
  moreTests: number;
  steps: { name: string; detail: string | null }[];
}

export function failures(notification: Notification): Failures {
  const tests = notification.failedTests;
  return {
    shownTests: tests
      .slice(0, FIRST_FAILURES)
      .map((test) => ({ label: testLabel(test), message: messageExcerpt(test.message) })),
    moreTests: Math.max(0, tests.length - FIRST_FAILURES),
    steps: otherFailedSteps(notification),
  };
}
