/**
 * Slack, Teams and Discord are one kind of channel: a secret webhook URL in the contact, and a
 * JSON message of the service's own shape POSTed to it. Only the message differs.
 */
import type { Channel } from './channel.js';
import { required } from './channel.js';
import type { Notification } from './notification.js';
import { postJson } from './post-json.js';

export function chatWebhook(
  id: 'slack' | 'teams' | 'discord',
  service: string,
  message: (notification: Notification) => unknown,
): Channel {
  return {
    id,
    async send(notification, contact, context) {
      const url = context.secret(required(contact[id], `contacts[].${id}`));
      return postJson(url, JSON.stringify(message(notification)), { service, timeoutMs: context.timeoutMs });
    },
  };
}
