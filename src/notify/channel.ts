/**
 * What every channel is: a plain module that delivers one notification to one contact. A channel
 * resolves on delivery and rejects with a DeliveryError (or any error) otherwise; dispatch
 * records, retries and redacts, so channels stay small.
 */
import type { Config, ContactConfig } from '../config/schema.js';
import type { Notification } from './notification.js';

export const CHANNEL_IDS = ['email', 'slack', 'teams', 'discord', 'webhook', 'github'] as const;
export type ChannelId = (typeof CHANNEL_IDS)[number];

export interface DeliveryResult {
  /** HTTP status, or the SMTP reply code. */
  status?: number;
}

export interface ChannelContext {
  config: Pick<Config, 'smtp' | 'github'>;
  /** A secret setting (webhook URL, token, password), interpolated; the value joins the redactor. */
  secret(raw: string): string;
  /** A plain setting, interpolated; secrets it references join the redactor. */
  setting(raw: string): string;
  /** Longest one attempt may take. */
  timeoutMs: number;
  /** The clock, in milliseconds (signatures carry a timestamp). */
  now(): number;
}

export interface Channel {
  id: ChannelId;
  send(notification: Notification, contact: ContactConfig, context: ChannelContext): Promise<DeliveryResult>;
}

/**
 * A delivery that did not happen. `permanent` failures (a missing setting, a 4xx answer) are not
 * retried: the same request would fail the same way.
 */
export class DeliveryError extends Error {
  readonly status: number | undefined;
  readonly permanent: boolean;
  /** How long the receiver asked to be left alone (a 429's or 503's Retry-After). */
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    options: { status?: number; permanent?: boolean; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'DeliveryError';
    this.status = options.status;
    this.permanent = options.permanent ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** A setting the channel cannot work without. */
export function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null || value === '')
    throw new DeliveryError(`${what} is not set in waggle.yml`, { permanent: true });
  return value;
}
