import { describe, expect, it } from 'vitest';
import type { ContactConfig } from '../config/schema.js';
import { CHANNEL_IDS } from './channel.js';
import { CHANNELS, channelOf } from './channels.js';

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
