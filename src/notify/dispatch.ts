/**
 * Tells every contact that wants an event, each on its channel, all at once. Each delivery is
 * retried with exponential backoff and every attempt is recorded; a failing channel costs only
 * its own contact, and dispatch itself never throws.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Config, ContactConfig, EventName } from '../config/schema.js';
import { MissingVariableError } from '../config/secrets.js';
import type { Redactor } from '../exec/redact.js';
import { type ChannelContext, type ChannelId, DeliveryError } from './channel.js';
import { channelContext, rememberSecrets } from './channel-context.js';
import { CHANNELS, channelOf } from './channels.js';
import { type Notification, redactNotification } from './notification.js';
import { wants } from './wants.js';

/** One try at one delivery, as the store keeps it. */
export interface DeliveryAttempt {
  /** Position of the contact in waggle.yml's `contacts`. */
  contactIndex: number;
  contactName: string;
  channel: ChannelId;
  event: EventName;
  /** 1 for the first try. */
  attempt: number;
  ok: boolean;
  /** Why it failed, redacted. */
  error?: string;
  /** HTTP status or SMTP reply code, when there was an answer. */
  status?: number;
  /** When the attempt started, in milliseconds since the epoch. */
  at: number;
}

export interface DeliveryRecorder {
  attempt(record: DeliveryAttempt): void | Promise<void>;
}

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait before the second try; it doubles before each one after. */
  baseDelayMs: number;
}

export interface DispatchOptions {
  contacts: readonly ContactConfig[];
  config: Pick<Config, 'smtp' | 'github'>;
  env: NodeJS.ProcessEnv;
  /** Gets every secret the channels read; messages and errors pass through it. */
  redactor: Redactor;
  recorder: DeliveryRecorder;
  retry?: RetryPolicy;
  /** Longest one attempt may take. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** How one contact's delivery ended, after all its attempts. */
export interface DeliveryOutcome {
  contactIndex: number;
  contactName: string;
  channel: ChannelId;
  ok: boolean;
  attempts: number;
  /** The last attempt's error, redacted. */
  error?: string;
  status?: number;
  /** The recorder failed to keep an attempt; the delivery went on regardless. */
  recordError?: string;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 500 };
export const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_RETRY_AFTER_MS = 60_000;

export async function dispatch(
  notification: Notification,
  options: DispatchOptions,
): Promise<DeliveryOutcome[]> {
  const { contacts, config, env, redactor } = options;
  const now = options.now ?? Date.now;
  rememberSecrets(contacts, config, env, redactor);
  const safe = redactNotification(notification, redactor);
  const context = channelContext({
    config,
    env,
    redactor,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    now,
  });
  const deliveries = contacts.flatMap((contact, contactIndex) => {
    const channel = channelOf(contact);
    if (!channel || !wants(contact, notification.event)) return [];
    const contactName = contact.name ?? contact.email ?? channel;
    return [deliver(safe, contact, { contactIndex, contactName, channel }, context, options, now)];
  });
  return Promise.all(deliveries);
}

async function deliver(
  notification: Notification,
  contact: ContactConfig,
  who: { contactIndex: number; contactName: string; channel: ChannelId },
  context: ChannelContext,
  options: DispatchOptions,
  now: () => number,
): Promise<DeliveryOutcome> {
  const { attempts, baseDelayMs } = options.retry ?? DEFAULT_RETRY;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  let recordError: string | undefined;
  let outcome: DeliveryOutcome = { ...who, ok: false, attempts: 0 };
  for (let attempt = 1; ; attempt++) {
    const at = now();
    const { permanent, retryAfterMs, ...result } = await tryOnce(
      notification,
      contact,
      who.channel,
      context,
      options.redactor,
    );
    try {
      await options.recorder.attempt({ ...who, event: notification.event, attempt, at, ...result });
    } catch (error) {
      // Losing a record must not lose the message itself.
      recordError = options.redactor.redact(error instanceof Error ? error.message : String(error));
    }
    outcome = { ...who, attempts: attempt, ...result };
    if (result.ok || permanent || attempt >= attempts) break;
    // The receiver's Retry-After wins over our backoff, up to a minute: a run's news goes stale.
    await sleep(Math.min(MAX_RETRY_AFTER_MS, Math.max(baseDelayMs * 2 ** (attempt - 1), retryAfterMs ?? 0)));
  }
  return recordError === undefined ? outcome : { ...outcome, recordError };
}

interface AttemptResult {
  ok: boolean;
  status?: number;
  error?: string;
  permanent: boolean;
  retryAfterMs?: number;
}

async function tryOnce(
  notification: Notification,
  contact: ContactConfig,
  channelId: ChannelId,
  context: ChannelContext,
  redactor: Redactor,
): Promise<AttemptResult> {
  try {
    const channel = CHANNELS.get(channelId);
    if (!channel) throw new DeliveryError(`no channel named ${channelId}`, { permanent: true });
    const { status } = await channel.send(notification, contact, context);
    return { ok: true, permanent: false, ...(status !== undefined ? { status } : {}) };
  } catch (error) {
    const message = redactor.redact(error instanceof Error ? error.message : String(error));
    const status = error instanceof DeliveryError ? error.status : undefined;
    // Waiting neither sets an environment variable nor changes a 4xx answer.
    const permanent =
      error instanceof MissingVariableError || (error instanceof DeliveryError && error.permanent);
    const retryAfterMs = error instanceof DeliveryError ? error.retryAfterMs : undefined;
    return {
      ok: false,
      error: message,
      permanent,
      ...(status !== undefined ? { status } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
}
