/**
 * Which hosts make up an environment: the list in waggle.yml, or the droplets carrying a
 * DigitalOcean tag. Secrets and vars in the entries are read here, from the env given, so every
 * later step sees plain values; messages name the config path and the variable, never a value.
 */
import type { Clock } from '../clock.js';
import type { EnvironmentConfig } from '../config/schema.js';
import { interpolate, MissingVariableError, references } from '../config/secrets.js';
import { BadInputError } from '../errors.js';
import { digitalOceanHosts } from './digitalocean.js';

type StaticHostConfig = Extract<EnvironmentConfig['hosts'], unknown[]>[number];
export type Role = StaticHostConfig['roles'][number];

/** A host of an environment. With `path` and no address, it is a folder on this machine. */
export interface Host {
  name: string;
  roles: Role[];
  address?: string;
  port: number;
  user: string;
  /** SSH private key, or a path to it. */
  key?: string;
  /** The host's SSH key fingerprint (SHA256:...). */
  hostKey?: string;
  path?: string;
}

export interface ResolveOptions {
  /** Base URL of the DigitalOcean API; default https://api.digitalocean.com. */
  digitalOceanApi?: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Times the waits between retries of the DigitalOcean API. */
  clock?: Clock;
}

export async function resolveHosts(
  environmentName: string,
  environment: EnvironmentConfig,
  env: NodeJS.ProcessEnv,
  options: ResolveOptions = {},
): Promise<Host[]> {
  const where = `environments.${environmentName}.hosts`;
  const { hosts } = environment;
  if (Array.isArray(hosts)) return staticHosts(hosts, where, env);
  const config = hosts.digitalocean;
  const at = `${where}.digitalocean`;
  const tokenFrom = references(config.token)
    .map((reference) => `${reference.kind}.${reference.name}`)
    .join(', ');
  return digitalOceanHosts(
    {
      tag: read(config.tag, `${at}.tag`, env),
      token: read(config.token, `${at}.token`, env),
      user: checkedWord(read(config.user, `${at}.user`, env), `${at}.user`, 'a user name'),
      ...(config.key === undefined ? {} : { key: read(config.key, `${at}.key`, env) }),
      network: config.network,
      roleTagPrefix: config.roleTagPrefix,
      where: at,
      ...(tokenFrom ? { tokenFrom } : {}),
    },
    {
      ...(options.digitalOceanApi === undefined ? {} : { api: options.digitalOceanApi }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    },
  );
}

function staticHosts(hosts: readonly StaticHostConfig[], where: string, env: NodeJS.ProcessEnv): Host[] {
  const named = new Map<string, number>();
  return hosts.map((host, index) => {
    const at = `${where}[${index}]`;
    const earlier = named.get(host.name);
    if (earlier !== undefined)
      throw new BadInputError(
        `${at}.name: ${host.name} is already the name of ${where}[${earlier}]; host names must be unique in an environment`,
      );
    named.set(host.name, index);
    const address =
      host.address === undefined
        ? undefined
        : checkedWord(read(host.address, `${at}.address`, env), `${at}.address`, 'a host name or IP address');
    const path = host.path === undefined ? undefined : read(host.path, `${at}.path`, env);
    if (address === undefined && path === undefined)
      throw new BadInputError(
        `${at}: ${host.name} has neither an address (a server reached over SSH) nor a path (a folder on this machine); give it one`,
      );
    return {
      name: host.name,
      roles: [...new Set(host.roles)],
      ...(address === undefined ? {} : { address }),
      port: host.port,
      user: checkedWord(read(host.user, `${at}.user`, env), `${at}.user`, 'a user name'),
      ...(host.key === undefined ? {} : { key: read(host.key, `${at}.key`, env) }),
      ...(host.hostKey === undefined ? {} : { hostKey: host.hostKey }),
      ...(path === undefined ? {} : { path }),
    };
  });
}

/** `text` with its secrets and vars read; a missing variable, or an empty result, named by path. */
function read(text: string, path: string, env: NodeJS.ProcessEnv): string {
  let value: string;
  try {
    value = interpolate(text, env);
  } catch (error) {
    if (error instanceof MissingVariableError)
      throw new MissingVariableError(error.variable, `${path}: ${error.message}`);
    throw error;
  }
  if (value.trim() === '') {
    const variables = references(text).map((reference) => reference.name);
    throw new BadInputError(
      `${path} is empty${variables.length > 0 ? ` (${variables.join(', ')} is set, but empty)` : ''}`,
    );
  }
  return value;
}

/**
 * An address or a user ends up as an argument to SSH: one word that cannot pass for an option.
 * The message leaves the value out, as it may come from a secret.
 */
function checkedWord(value: string, path: string, what: string): string {
  if (value.startsWith('-') || /[\s\p{Cc}]/u.test(value))
    throw new BadInputError(
      `${path} is not ${what}: it starts with "-" or holds spaces or control characters`,
    );
  return value;
}
