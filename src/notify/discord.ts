/**
 * Discord webhook: `{ content, embeds }`. The embed carries the facts and the failing tests;
 * `allowed_mentions` is empty so an "@everyone" in a commit message pings nobody.
 * Discord's limits: content 2000 characters, embed title 256, description 4096, field value 1024.
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
  truncate,
} from './facts.js';
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
  const fields = [
    { name: 'Repository', value: n.repository, inline: true },
    { name: 'Branch', value: n.branch, inline: true },
    { name: 'Commit', value: `${shortSha(n.sha)} by ${n.author}: ${commitSubject(n.commitMessage)}` },
    { name: 'Result', value: outcomeLine(n), inline: true },
    ...(n.durationSeconds !== undefined
      ? [{ name: 'Duration', value: duration(n.durationSeconds), inline: true }]
      : []),
  ];
  const failures = n.failedTests.slice(0, FIRST_FAILURES).map((test) => {
    const message = messageExcerpt(test.message);
    return `✗ **${testLabel(test)}**${message ? `\n\`\`\`\n${message.replaceAll('```', "'''")}\n\`\`\`` : ''}`;
  });
  const more = n.failedTests.length - FIRST_FAILURES;
  if (more > 0) failures.push(`… and ${more} more failing tests`);
  for (const step of otherFailedSteps(n))
    failures.push(`✗ **${step.name}**${step.detail ? `: ${step.detail}` : ''}`);
  return {
    content: truncate(n.title, 2000),
    embeds: [
      {
        title: truncate(n.title, 256),
        ...(n.url ? { url: n.url } : {}),
        color: COLOR[n.state],
        ...(failures.length > 0 ? { description: truncate(failures.join('\n'), DESCRIPTION_CHARS) } : {}),
        fields: fields.map((field) => ({ ...field, value: truncate(field.value || '-', 1024) })),
      },
    ],
    allowed_mentions: { parse: [] },
  };
}
