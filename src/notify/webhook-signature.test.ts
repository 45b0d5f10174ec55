import { describe, expect, it } from 'vitest';
import { signWebhookBody, verifyWebhookSignature } from './webhook-signature.js';

const SECRET = 'shh-its-a-secret';
const BODY = '{"a":1}';
const AT = 1_700_000_000;
const NOW_MS = AT * 1000 + 20_000;

describe('webhook signature', () => {
  it('is the hex HMAC-SHA256 of "<timestamp>.<body>"', () => {
    // Computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac shh-its-a-secret
    expect(signWebhookBody(BODY, AT, SECRET)).toBe(
      'sha256=3e78993992baf7ea00403c3dfc56344a69682d813dca5bd9b2c6fc9dcb95aabb',
    );
    expect(signWebhookBody(Buffer.from(BODY), AT, SECRET)).toBe(signWebhookBody(BODY, AT, SECRET));
  });

  it('verifies a fresh, untouched delivery', () => {
    const signature = signWebhookBody(BODY, AT, SECRET);
    expect(verifyWebhookSignature(BODY, String(AT), signature, SECRET, NOW_MS)).toBe(true);
    expect(verifyWebhookSignature(Buffer.from(BODY), String(AT), signature, SECRET, NOW_MS)).toBe(true);
  });

  it.each([
    ['a tampered body', '{"a":2}', String(AT), SECRET],
    ['a changed timestamp', BODY, String(AT + 1), SECRET],
    ['another secret', BODY, String(AT), 'another-secret'],
  ])('refuses %s', (_, body, timestamp, secret) => {
    const signature = signWebhookBody(BODY, AT, SECRET);
    expect(verifyWebhookSignature(body, timestamp, signature, secret, NOW_MS)).toBe(false);
  });

  it('refuses a delivery older or newer than the tolerance', () => {
    const signature = signWebhookBody(BODY, AT, SECRET);
    expect(verifyWebhookSignature(BODY, String(AT), signature, SECRET, (AT + 301) * 1000)).toBe(false);
    expect(verifyWebhookSignature(BODY, String(AT), signature, SECRET, (AT - 301) * 1000)).toBe(false);
    expect(verifyWebhookSignature(BODY, String(AT), signature, SECRET, (AT + 301) * 1000, 600)).toBe(true);
  });

  it('refuses missing or malformed headers', () => {
    const signature = signWebhookBody(BODY, AT, SECRET);
    expect(verifyWebhookSignature(BODY, undefined, signature, SECRET, NOW_MS)).toBe(false);
    expect(verifyWebhookSignature(BODY, String(AT), undefined, SECRET, NOW_MS)).toBe(false);
    expect(verifyWebhookSignature(BODY, '17e8', signature, SECRET, NOW_MS)).toBe(false);
    expect(verifyWebhookSignature(BODY, String(AT), signature.slice(0, -2), SECRET, NOW_MS)).toBe(false);
    expect(
      verifyWebhookSignature(BODY, String(AT), signature.replace('sha256=', 'sha1='), SECRET, NOW_MS),
    ).toBe(false);
  });
});
