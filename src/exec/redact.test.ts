import { describe, expect, it } from 'vitest';
import { Redactor } from './redact.js';

describe('Redactor', () => {
  const secret = 'sk_live_51Hivenue-billing-key';
  const redactor = new Redactor().add(secret, 'abc');

  it('hides a secret as it is, wherever it appears', () => {
    expect(redactor.redact(`KEY=${secret} and again ${secret}`)).toBe('KEY=[REDACTED] and again [REDACTED]');
    expect(redactor.redact('abc stays: too short to be a secret')).toBe(
      'abc stays: too short to be a secret',
    );
  });

  it('hides it inside base64 output, at any byte offset and among any neighbours', () => {
    for (const before of ['', 'a', 'ab', 'abc', '{"KEY":"', 'é']) {
      for (const after of ['', 'z', '"}', 'xyz\n']) {
        const encoded = Buffer.from(`${before}${secret}${after}`).toString('base64');
        const shown = redactor.redact(encoded);
        expect(shown, `${before}|${after}`).toContain('[REDACTED]');
        // What is left cannot be decoded back into the secret.
        expect(Buffer.from(shown.replace('[REDACTED]', ''), 'base64').toString()).not.toContain(secret);
      }
    }
  });
});
