/**
 * Microsoft Teams: an Adaptive Card in a message envelope (`{ type: "message", attachments }`).
 * Teams Workflows webhooks ("Post to a channel when a webhook request is received"), which replace
 * the retired Office 365 connectors, read exactly this shape; legacy incoming webhooks take it too.
 */
import { chatWebhook } from './chat-webhook.js';
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
import type { Notification, NotificationState } from './notification.js';

export const teams = chatWebhook('teams', 'Teams', teamsMessage);

const COLOR: Record<NotificationState, string> = {
  pending: 'accent',
  success: 'good',
  failure: 'attention',
  error: 'warning',
};

export function teamsMessage(n: Notification): unknown {
  const text = (value: string, extra: Record<string, unknown> = {}) => ({
    type: 'TextBlock',
    text: value,
    wrap: true,
    ...extra,
  });
  const facts: [string, string][] = [
    ['Repository', n.repository],
    ['Branch', n.branch],
    ['Commit', `${shortSha(n.sha)} by ${n.author}: ${commitSubject(n.commitMessage)}`],
    ['Result', outcomeLine(n)],
  ];
  if (n.durationSeconds !== undefined) facts.push(['Duration', duration(n.durationSeconds)]);
  const body: unknown[] = [
    text(n.title, { size: 'Medium', weight: 'Bolder', color: COLOR[n.state] }),
    { type: 'FactSet', facts: facts.map(([title, value]) => ({ title, value })) },
  ];
  for (const test of n.failedTests.slice(0, FIRST_FAILURES)) {
    body.push(text(`✗ ${testLabel(test)}`, { weight: 'Bolder', spacing: 'Medium' }));
    const message = messageExcerpt(test.message);
    if (message) body.push(text(message, { fontType: 'Monospace', spacing: 'None' }));
  }
  const more = n.failedTests.length - FIRST_FAILURES;
  if (more > 0) body.push(text(`… and ${more} more failing tests`, { isSubtle: true }));
  for (const step of otherFailedSteps(n))
    body.push(text(`✗ ${step.name}${step.detail ? `: ${step.detail}` : ''}`));
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          ...(n.url ? { actions: [{ type: 'Action.OpenUrl', title: 'Open the run', url: n.url }] } : {}),
          msteams: { width: 'Full' },
        },
      },
    ],
  };
}
