/** The shapes each service documents, and the limits each enforces. */
import { describe, expect, it } from 'vitest';
import { failedRunNotification } from '../../test/helpers/notification.js';
import { discordMessage } from './discord.js';
import { commitStatus } from './github-status.js';
import type { Notification } from './notification.js';
import { slackMessage } from './slack.js';
import { teamsMessage } from './teams.js';

/** With text that each service's markup must escape. */
function notification(changes: Partial<Notification> = {}): Notification {
  return failedRunNotification({
    commitMessage: 'Compare a < b && b > c\n\nbody',
    failedTests: [
      {
        package: 'billing',
        suite: 'Invoices',
        name: 'rounds <half> up',
        message: 'Expected 10.5 to equal 11',
      },
    ],
    ...changes,
  });
}

const many = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    package: 'web',
    suite: 'suite',
    name: `case ${i} ${'n'.repeat(300)}`,
    message: 'm'.repeat(5000),
  }));

describe('slackMessage', () => {
  it('escapes &, < and > and gives each failing test its own section', () => {
    const { text, blocks } = slackMessage(notification());
    expect(text).toContain('Compare a &lt; b &amp;&amp; b &gt; c');
    expect(JSON.stringify(blocks)).toContain('rounds &lt;half&gt; up');
    expect(blocks[0]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '*<https://ci.example/runs/42|[hivenue] Run 42 failed on riipen (abc1234): 1 test failed>*',
      },
    });
    expect(
      blocks.filter((block) => JSON.stringify(block).includes('Expected 10.5 to equal 11')),
    ).toHaveLength(1);
  });

  it('stays within 50 blocks and 3000 characters a section', () => {
    const failedSteps = Array.from({ length: 80 }, (_, i) => ({
      name: `build p${i}`,
      detail: 'exited with 1',
    }));
    const { blocks } = slackMessage(notification({ failedTests: [], failedSteps }));
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const block of slackMessage(notification({ failedTests: many(30) })).blocks) {
      const text = (block as { text?: { text: string } }).text?.text ?? '';
      expect(text.length).toBeLessThanOrEqual(3000);
    }
  });
});

describe('teamsMessage', () => {
  it('is an Adaptive Card in a message envelope', () => {
    const message = teamsMessage(notification()) as {
      type: string;
      attachments: {
        contentType: string;
        content: { type: string; version: string; body: unknown[]; actions: unknown[] };
      }[];
    };
    expect(message.type).toBe('message');
    expect(message.attachments).toHaveLength(1);
    const card = message.attachments[0]?.content;
    expect(message.attachments[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(card?.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open the run', url: 'https://ci.example/runs/42' },
    ]);
    expect(JSON.stringify(card?.body)).toContain('Expected 10.5 to equal 11');
  });
});

describe('discordMessage', () => {
  it('keeps within Discord limits and mentions nobody', () => {
    const message = discordMessage(
      notification({ title: 't'.repeat(3000), commitMessage: '@everyone look', failedTests: many(30) }),
    ) as {
      content: string;
      embeds: { title: string; description: string; fields: { value: string }[] }[];
      allowed_mentions: unknown;
    };
    expect(message.content.length).toBeLessThanOrEqual(2000);
    const [embed] = message.embeds;
    expect(embed?.title.length).toBeLessThanOrEqual(256);
    const total =
      (embed?.title.length ?? 0) + (embed?.description.length ?? 0) + JSON.stringify(embed?.fields).length;
    expect(total).toBeLessThanOrEqual(6000);
    expect(message.allowed_mentions).toEqual({ parse: [] });
  });
});

describe('commitStatus', () => {
  it('names the project in the context and fits the description in 140 characters', () => {
    expect(commitStatus(notification())).toEqual({
      state: 'failure',
      target_url: 'https://ci.example/runs/42',
      description: 'Run 42 failed on riipen (abc1234): 1 test failed',
      context: 'waggle/hivenue',
    });
    const long = commitStatus(notification({ title: `[hivenue] ${'x'.repeat(500)}`, url: undefined }));
    expect(long.description.length).toBe(140);
    expect(long).not.toHaveProperty('target_url');
  });
});
