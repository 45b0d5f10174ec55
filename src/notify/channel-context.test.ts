import { describe, expect, it } from 'vitest';
import { MissingVariableError } from '../config/secrets.js';
import { Redactor } from '../exec/redact.js';
import { channelContext, rememberSecrets } from './channel-context.js';

const env = { SLACK_TOKEN: 'xoxb-slack-token', HOST_NAME: 'smtp.example', SMTP_PW: 'smtp-password-1' };

describe('channelContext', () => {
  it('hands a secret setting, literal or interpolated, to the redactor', () => {
    const redactor = new Redactor();
    const context = channelContext({ config: {}, env, redactor, timeoutMs: 1000, now: Date.now });
    expect(context.secret('https://hooks.example/${{ secrets.SLACK_TOKEN }}')).toBe(
      'https://hooks.example/xoxb-slack-token',
    );
    expect(context.secret('https://literal.example/T1/B2/abcdef')).toBe(
      'https://literal.example/T1/B2/abcdef',
    );
    expect(redactor.redact('xoxb-slack-token https://literal.example/T1/B2/abcdef')).toBe(
      '[REDACTED] [REDACTED]',
    );
  });

  it('keeps a plain setting readable', () => {
    const redactor = new Redactor();
    const context = channelContext({ config: {}, env, redactor, timeoutMs: 1000, now: Date.now });
    expect(context.setting('${{ vars.HOST_NAME }}')).toBe('smtp.example');
    expect(redactor.redact('smtp.example')).toBe('smtp.example');
  });

  it('names a missing variable', () => {
    const context = channelContext({
      config: {},
      env: {},
      redactor: new Redactor(),
      timeoutMs: 1,
      now: Date.now,
    });
    expect(() => context.secret('${{ secrets.SLACK_WEBHOOK_URL }}')).toThrow(MissingVariableError);
    expect(() => context.secret('${{ secrets.SLACK_WEBHOOK_URL }}')).toThrow(
      'environment variable SLACK_WEBHOOK_URL is not set',
    );
  });
});

describe('rememberSecrets', () => {
  it('knows every secret of the contacts and channel settings up front', () => {
    const redactor = new Redactor();
    rememberSecrets(
      [
        { on: ['all'], slack: 'https://hooks.example/${{ secrets.SLACK_TOKEN }}' },
        { on: ['all'], discord: 'https://discord.example/api/webhooks/1/literal-token' },
        { on: ['all'], teams: '${{ secrets.NOT_SET }}' },
      ],
      { smtp: { host: 'h', port: 25, secure: false, from: 'f', password: '${{ secrets.SMTP_PW }}' } },
      env,
      redactor,
    );
    const text = 'xoxb-slack-token https://discord.example/api/webhooks/1/literal-token smtp-password-1';
    expect(redactor.redact(text)).toBe('[REDACTED] [REDACTED] [REDACTED]');
  });
});
