/** A notification as plain text: the e-mail body, and the fallback text of chat messages. */
import {
  commitSubject,
  duration,
  FIRST_FAILURES,
  messageExcerpt,
  otherFailedSteps,
  outcomeLine,
  shortSha,
  testLabel,
} from './facts.js';
import type { Notification } from './notification.js';

export function plainText(notification: Notification): string {
  const n = notification;
  const out = [
    n.title,
    '',
    `Repository: ${n.repository}`,
    `Branch:     ${n.branch}`,
    `Commit:     ${shortSha(n.sha)} by ${n.author}: ${commitSubject(n.commitMessage)}`,
    `Result:     ${outcomeLine(n)}`,
  ];
  if (n.durationSeconds !== undefined) out.push(`Duration:   ${duration(n.durationSeconds)}`);
  if (n.url) out.push(`Details:    ${n.url}`);

  if (n.failedTests.length > 0) {
    out.push('', `Failed tests (${n.failedTests.length}):`);
    for (const test of n.failedTests.slice(0, FIRST_FAILURES)) {
      out.push(`  ✗ ${testLabel(test)}`);
      for (const line of messageExcerpt(test.message).split('\n')) if (line) out.push(`      ${line}`);
    }
    const more = n.failedTests.length - FIRST_FAILURES;
    if (more > 0) out.push(`  … and ${more} more${n.url ? ` (${n.url})` : ''}`);
  }
  const steps = otherFailedSteps(n);
  if (steps.length > 0) {
    out.push('', 'Failed steps:');
    for (const step of steps) out.push(`  ✗ ${step.name}${step.detail ? `: ${step.detail}` : ''}`);
  }
  return out.join('\n');
}
