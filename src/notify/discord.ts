/**
 * Discord webhook: `{ content, embeds }`. The embed carries the facts and the failing tests;
 * `allowed_mentions` is empty so an "@everyone" in a commit message pings nobody.
 * Discord's limits: content 2000 characters, embed title 256, description 4096, field value 1024.
 */
import { chatWebhook } from './chat-webhook.js';
import { factRows, failures, truncate } from './facts.js';
import type { Notification, NotificationState } from './notification.js';

export const discord = chatWebhook('discord', 'Discord', discordMessage);

/** Below the 4096 of a description, so the whole embed stays under Discord's 6000. */
const DESCRIPTION_CHARS = 3500;

const COLOR: Record<NotificationState, number> = {
  pending: 0x3b82f6,
  success: 0x22c55e,
  failure: 0xef4444,
  error: 0xf59e0b,
};

export function discordMessage(n: Notification): unknown {
  const { shownTests, moreTests, steps } = failures(n);
  const lines = shownTests.map(
    ({ label, message }) =>
      `✗ **${label}**${message ? `\n\`\`\`\n${message.replaceAll('```', "'''")}\n\`\`\`` : ''}`,
  );
  if (moreTests > 0) lines.push(`… and ${moreTests} more failing tests`);
  for (const step of steps) lines.push(`✗ **${step.name}**${step.detail ? `: ${step.detail}` : ''}`);
  return {
    content: truncate(n.title, 2000),
    embeds: [
      {
        title: truncate(n.title, 256),
        ...(n.url ? { url: n.url } : {}),
        color: COLOR[n.state],
        ...(lines.length > 0 ? { description: truncate(lines.join('\n'), DESCRIPTION_CHARS) } : {}),
        // The commit line is long; the short facts sit side by side.
        fields: factRows(n).map(([name, value]) => ({
          name,
          value: truncate(value || '-', 1024),
          ...(name === 'Commit' ? {} : { inline: true }),
        })),
      },
    ],
    allowed_mentions: { parse: [] },
  };
}
