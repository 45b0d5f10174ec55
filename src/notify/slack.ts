/**
 * Slack incoming webhook: POST `{ text, blocks }`. `text` is the whole message in plain words (what
 * notifications and old clients show); `blocks` lay out the same facts with one section per
 * failing test. Both use Slack's mrkdwn, in which only &, < and > must be escaped.
 */
import { chatWebhook } from './chat-webhook.js';
import { factRows, failures, truncate } from './facts.js';
import type { Notification } from './notification.js';
import { plainText } from './plain-text.js';

/** Slack refuses a section whose text passes 3000 characters. */
const SECTION_CHARS = 3000;
/** Slack takes at most 50 blocks a message. */
const MAX_STEPS = 20;

export const slack = chatWebhook('slack', 'Slack', slackMessage);

export function slackMessage(n: Notification): { text: string; blocks: unknown[] } {
  const section = (text: string) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(text, SECTION_CHARS) },
  });
  const title = n.url ? `*<${n.url}|${mrkdwn(n.title)}>*` : `*${mrkdwn(n.title)}*`;
  const blocks: unknown[] = [
    section(title),
    {
      type: 'section',
      fields: factRows(n).map(([label, value]) => ({
        type: 'mrkdwn',
        text: truncate(`*${label}*\n${mrkdwn(value)}`, 2000),
      })),
    },
  ];
  const { shownTests, moreTests, steps } = failures(n);
  for (const { label, message } of shownTests)
    blocks.push(section(`✗ *${mrkdwn(label)}*${message ? `\n\`\`\`${mrkdwn(message)}\`\`\`` : ''}`));
  if (moreTests > 0) blocks.push(section(`… and ${moreTests} more failing tests`));
  for (const step of steps.slice(0, MAX_STEPS))
    blocks.push(section(`✗ *${mrkdwn(step.name)}*${step.detail ? `: ${mrkdwn(step.detail)}` : ''}`));
  return { text: mrkdwn(plainText(n)), blocks };
}

function mrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
