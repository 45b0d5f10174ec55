/**
 * Settings as channels read them: interpolated from the environment, with every secret value
 * handed to the redactor the moment it is known.
 */
import type { Config, ContactConfig } from '../config/schema.js';
import { interpolate, secretValues } from '../config/secrets.js';
import type { Redactor } from '../exec/redact.js';
import type { ChannelContext } from './channel.js';

export interface ContextOptions {
  config: Pick<Config, 'smtp' | 'github'>;
  env: NodeJS.ProcessEnv;
  redactor: Redactor;
  timeoutMs: number;
  now: () => number;
}

export function channelContext({ config, env, redactor, timeoutMs, now }: ContextOptions): ChannelContext {
  const setting = (raw: string) => {
    redactor.add(...secretValues(raw, env));
    return interpolate(raw, env);
  };
  return {
    config,
    timeoutMs,
    now,
    setting,
    secret: (raw) => {
      const value = setting(raw);
      // Written literally in waggle.yml, a webhook URL is still a credential.
      redactor.add(...secretForms(value));
      return value;
    },
  };
}

/**
 * Every secret the contacts and the channel settings hold, so the redactor knows them all before
 * any message is rendered: a failing test may print the Slack URL that only a later contact uses.
 */
export function rememberSecrets(
  contacts: readonly ContactConfig[],
  config: Pick<Config, 'smtp' | 'github'>,
  env: NodeJS.ProcessEnv,
  redactor: Redactor,
): void {
  redactor.add(...secretValues({ contacts, smtp: config.smtp, github: config.github }, env));
  const literal = [
    ...contacts.flatMap((contact) => [
      contact.slack,
      contact.teams,
      contact.discord,
      contact.webhook?.url,
      contact.webhook?.secret,
    ]),
    config.smtp?.password,
    config.github?.token,
  ];
  for (const raw of literal) {
    if (raw === undefined) continue;
    try {
      redactor.add(...secretForms(interpolate(raw, env)));
    } catch {
      // A missing variable fails that contact's delivery later, with its name in the error.
    }
  }
}

/** Shortest URL part taken for a token: Slack's are 24 characters, Discord's 68, Teams' sig 43. */
const TOKEN_CHARS = 16;

/**
 * A secret, and for a URL also the parts that carry the credential (its path and query, long path
 * segments and parameter values), since a receiver or a log may echo those without the host.
 */
export function secretForms(value: string): string[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [value];
  }
  const path = url.pathname + url.search;
  return [
    value,
    ...(path.length > 1 ? [path] : []),
    ...[...url.pathname.split('/'), ...url.searchParams.values(), url.password].filter(
      (part) => part.length >= TOKEN_CHARS,
    ),
  ];
}
