import { describe, expect, it } from 'vitest';
import type { ContactConfig } from '../config/schema.js';
import { CHANNEL_IDS } from './channel.js';
import { CHANNELS, channelOf } from './channels.js';
import { retryAfter } from './post-json.js';

describe('channel registry', () => {
  it('has one module for every channel key of a contact', () => {
    expect([...CHANNELS.keys()].sort()).toEqual([...CHANNEL_IDS].sort());
    for (const [id, channel] of CHANNELS) expect(channel.id).toBe(id);
  });

  it.each([
    [{ email: 'cto@hivenue.example' }, 'email'],
    [{ slack: '${{ secrets.SLACK_WEBHOOK_URL }}' }, 'slack'],
    [{ webhook: { url: 'https://x', secret: 's' } }, 'webhook'],
    [{ github: true }, 'github'],
    [{ github: false }, undefined],
    [{}, undefined],
  ])('%j uses %s', (channel, expected) => {
    const contact: ContactConfig = { on: ['all'], ...channel };
    expect(channelOf(contact)).toBe(expected);
  });
});

describe('retryAfter', () => {
  it.each([
    ['120', 120_000],
    [' 3 ', 3_000],
    ['Wed, 21 Oct 2015 07:28:05 GMT', 5_000],
    ['soon', undefined],
    [null, undefined],
  ])('%s', (header, ms) => {
    expect(retryAfter(header, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(ms);
  });
});
