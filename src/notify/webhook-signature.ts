/**
 * The signature of waggle's generic webhook, for senders and receivers alike.
 *
 *   X-Waggle-Timestamp: <unix seconds>
 *   X-Waggle-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>", keyed with the secret>
 *
 * Signing the timestamp with the body lets a receiver refuse replays of an old delivery. A receiver
 * checks the raw bytes it got, before parsing them:
 *
 *   verifyWebhookSignature(rawBody, req.headers['x-waggle-timestamp'],
 *                          req.headers['x-waggle-signature'], secret, Date.now())
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'X-Waggle-Timestamp';
export const SIGNATURE_HEADER = 'X-Waggle-Signature';

export function signWebhookBody(body: string | Buffer, timestamp: number, secret: string): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`);
  hmac.update(body);
  return `sha256=${hmac.digest('hex')}`;
}

/**
 * True when `signature` is the secret's signature of this body at this timestamp and the timestamp
 * is within `toleranceSeconds` of `nowMs` (milliseconds, as Date.now()). Headers may be missing.
 */
export function verifyWebhookSignature(
  body: string | Buffer,
  timestamp: string | undefined,
  signature: string | undefined,
  secret: string,
  nowMs: number,
  toleranceSeconds = 300,
): boolean {
  if (!timestamp || !signature || !/^\d{1,15}$/.test(timestamp)) return false;
  const seconds = Number(timestamp);
  if (Math.abs(nowMs / 1000 - seconds) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhookBody(body, seconds, secret));
  const given = Buffer.from(signature);
  // timingSafeEqual needs equal lengths; the length of a well-formed signature is no secret.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
