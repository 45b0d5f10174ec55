/**
 * Microsoft Teams: an Adaptive Card in a message envelope (`{ type: "message", attachments }`).
 * Teams Workflows webhooks ("Post to a channel when a webhook request is received"), which replace
 * the retired Office 365 connectors, read exactly this shape; legacy incoming webhooks take it too.
 */
import { chatWebhook } from './chat-webhook.js';
import { factRows, failures } from './facts.js';
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
  const body: unknown[] = [
    text(n.title, { size: 'Medium', weight: 'Bolder', color: COLOR[n.state] }),
    { type: 'FactSet', facts: factRows(n).map(([title, value]) => ({ title, value })) },
  ];
  const { shownTests, moreTests, steps } = failures(n);
  for (const { label, message } of shownTests) {
    body.push(text(`✗ ${label}`, { weight: 'Bolder', spacing: 'Medium' }));
    if (message) body.push(text(message, { fontType: 'Monospace', spacing: 'None' }));
  }
  if (moreTests > 0) body.push(text(`… and ${moreTests} more failing tests`, { isSubtle: true }));
  for (const step of steps) body.push(text(`✗ ${step.name}${step.detail ? `: ${step.detail}` : ''}`));
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
