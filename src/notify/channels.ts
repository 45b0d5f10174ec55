/** Every channel by id, and which one a contact uses. */
import type { ContactConfig } from '../config/schema.js';
import { CHANNEL_IDS, type Channel, type ChannelId } from './channel.js';
import { discord } from './discord.js';
import { email } from './email.js';
import { githubStatus } from './github-status.js';
import { slack } from './slack.js';
import { teams } from './teams.js';
import { webhook } from './webhook.js';

export const CHANNELS: ReadonlyMap<ChannelId, Channel> = new Map(
  [email, slack, teams, discord, webhook, githubStatus].map((channel) => [channel.id, channel]),
);

/**
 * The channel key a contact sets (validation allows exactly one); undefined for none, or for
 * `github: false`, which turns commit statuses off.
 */
export function channelOf(contact: ContactConfig): ChannelId | undefined {
  return CHANNEL_IDS.find((id) => contact[id] !== undefined && contact[id] !== false);
}
