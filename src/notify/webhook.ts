/**
 * The generic webhook: the notification as JSON, signed (see webhook-signature.ts) so a receiver
 * knows it came from this waggle and is fresh.
 */
import { type Channel, required } from './channel.js';
import { postJson } from './post-json.js';
import { SIGNATURE_HEADER, signWebhookBody, TIMESTAMP_HEADER } from './webhook-signature.js';

export const webhook: Channel = {
  id: 'webhook',
  async send(notification, contact, context) {
    const target = required(contact.webhook, 'contacts[].webhook');
    const url = context.secret(target.url);
    const secret = context.secret(target.secret);
    const body = JSON.stringify(notification);
    const timestamp = Math.floor(context.now() / 1000);
    return postJson(url, body, {
      service: 'Webhook receiver',
      timeoutMs: context.timeoutMs,
      headers: {
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhookBody(body, timestamp, secret),
        'X-Waggle-Event': notification.event,
      },
    });
  },
};
