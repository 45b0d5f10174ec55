/** The transport for each host of an environment, and the folder waggle works under there. */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { BadInputError } from '../errors.js';
import type { Host } from './inventory.js';
import { LocalTransport } from './local-transport.js';
import { DEFAULT_SSH_TIMING, type SshTiming, SshTransport } from './ssh-transport.js';
import type { Transport } from './transport.js';

export interface HostTransport {
  host: Host;
  transport: Transport;
  /** waggle's folder on the host: releases, env files, logs and nginx live under it. */
  base: string;
  /** The address other hosts and nginx reach this host at; loopback for a local host. */
  address: string;
}

export interface TransportOptions {
  /** Folder on SSH hosts when the host names none (environments.<name>.base). */
  base: string;
  /** Where relative paths of local hosts start: the folder of waggle.yml. */
  configDir: string;
  knownHostsFiles?: readonly string[];
  timing?: SshTiming;
}

export function transportFor(host: Host, options: TransportOptions): HostTransport {
  if (!host.address) {
    if (!host.path) throw new BadInputError(`host ${host.name} has neither an address nor a path`);
    const base = resolve(options.configDir, host.path);
    return { host, transport: new LocalTransport(host.name, base), base, address: '127.0.0.1' };
  }
  const base = host.path ?? options.base;
  const transport = new SshTransport(
    {
      name: host.name,
      address: host.address,
      port: host.port,
      user: host.user,
      privateKey: privateKeyOf(host),
      hostKey: host.hostKey,
      knownHostsFiles: options.knownHostsFiles ?? [join(homedir(), '.ssh', 'known_hosts')],
    },
    options.timing ?? DEFAULT_SSH_TIMING,
  );
  return { host, transport, base, address: host.address };
}

/** The key itself when the value is one (a secret), else the file it names, else the user's default key. */
function privateKeyOf(host: Host): string {
  if (host.key?.includes('PRIVATE KEY-----')) return host.key;
  const candidates = host.key
    ? [host.key.replace(/^~(?=\/)/, homedir())]
    : ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => join(homedir(), '.ssh', name));
  const file = candidates.find((candidate) => existsSync(candidate));
  if (!file)
    throw new BadInputError(
      host.key
        ? // The value is not shown: it may have come from a secret.
          `host ${host.name}: its key is neither a private key (-----BEGIN … PRIVATE KEY-----) nor a file that exists`
        : `host ${host.name}: no key given and none in ~/.ssh (id_ed25519, id_ecdsa, id_rsa); set key: to a file or a secret`,
    );
  return readFileSync(file, 'utf8');
}
