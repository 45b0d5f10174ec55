/** A notification as plain text: the e-mail body, and the fallback text of chat messages. */
import { factRows, failures } from './facts.js';
import type { Notification } from './notification.js';

/** "Repository: " is the longest label; the values line up after it. */
const LABEL_WIDTH = 12;

export function plainText(notification: Notification): string {
  const n = notification;
  const rows = factRows(n);
  if (n.url) rows.push(['Details', n.url]);
  const out = [n.title, '', ...rows.map(([label, value]) => `${`${label}:`.padEnd(LABEL_WIDTH)}${value}`)];

  const { shownTests, moreTests, steps } = failures(n);
  if (n.failedTests.length > 0) {
    out.push('', `Failed tests (${n.failedTests.length}):`);
    for (const { label, message } of shownTests) {
      out.push(`  ✗ ${label}`);
      for (const line of message.split('\n')) if (line) out.push(`      ${line}`);
    }
    if (moreTests > 0) out.push(`  … and ${moreTests} more${n.url ? ` (${n.url})` : ''}`);
  }
  if (steps.length > 0) {
    out.push('', 'Failed steps:');
    for (const step of steps) out.push(`  ✗ ${step.name}${step.detail ? `: ${step.detail}` : ''}`);
  }
  return out.join('\n');
}
