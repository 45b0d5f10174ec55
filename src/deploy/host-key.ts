/**
 * Which SSH host keys waggle trusts: the one pinned in waggle.yml (its SHA256 fingerprint), else
 * the ones listed in a known_hosts file. An unknown key is never accepted silently: the error
 * says how to check it and pin it.
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { FailedOperationError } from '../errors.js';

/** As `ssh-keygen -lf` prints it: SHA256: and the unpadded base64 of the key blob's digest. */
export function fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

export interface HostKeyPolicy {
  /** The host's name in waggle.yml, for messages. */
  name: string;
  address: string;
  port: number;
  /** Pinned fingerprint: the only key accepted. */
  hostKey?: string;
  /** known_hosts files consulted when nothing is pinned. */
  knownHostsFiles: readonly string[];
}

/** Throws, saying what to do, unless the key the host presented is the one trusted for it. */
export function checkHostKey(policy: HostKeyPolicy, keyBlob: Buffer): void {
  const presented = fingerprint(keyBlob);
  const where = `${policy.name} (${policy.address}:${policy.port})`;
  if (policy.hostKey) {
    if (presented === policy.hostKey) return;
    throw new FailedOperationError(
      `the SSH host key of ${where} is ${presented}, not the pinned ${policy.hostKey}: refusing to connect. ` +
        'If the host was rebuilt, check its key on the host (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) and pin the new one; otherwise someone may be in between.',
    );
  }
  const known = knownKeys(policy);
  if (known.revoked.some((blob) => blob.equals(keyBlob)))
    throw new FailedOperationError(
      `the SSH host key of ${where} (${presented}) is marked @revoked in known_hosts`,
    );
  if (known.keys.some((blob) => blob.equals(keyBlob))) return;
  const changed = known.keys.length > 0 ? ' known_hosts lists another key for it: it changed.' : '';
  throw new FailedOperationError(
    `the SSH host key of ${where} is not known: ${presented}; waggle never accepts an unknown key.${changed} ` +
      `If that is the host's key (check on the host: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), pin it with hostKey: "${presented}" on that host in waggle.yml, or add the host to ${policy.knownHostsFiles[0] ?? '~/.ssh/known_hosts'}.`,
  );
}

/** The keys known_hosts lists for the host at this address and port. */
function knownKeys(policy: HostKeyPolicy): { keys: Buffer[]; revoked: Buffer[] } {
  const names =
    policy.port === 22 ? [policy.address, `[${policy.address}]:22`] : [`[${policy.address}]:${policy.port}`];
  const keys: Buffer[] = [];
  const revoked: Buffer[] = [];
  for (const file of policy.knownHostsFiles) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // a known_hosts that is not there lists nothing
    }
    for (const raw of text.split('\n')) {
      const fields = raw.trim().split(/\s+/);
      if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) continue;
      const marker = fields[0].startsWith('@') ? fields.shift() : undefined;
      if (marker === '@cert-authority') continue;
      const [patterns, , key] = fields;
      if (!patterns || !key) continue;
      if (!names.some((name) => matchesPatterns(patterns, name))) continue;
      (marker === '@revoked' ? revoked : keys).push(Buffer.from(key, 'base64'));
    }
  }
  return { keys, revoked };
}

/** known_hosts host patterns: comma-separated names, * and ? wildcards, ! negation, or one hashed name. */
export function matchesPatterns(patterns: string, name: string): boolean {
  if (patterns.startsWith('|1|')) {
    const [, , salt, hash] = patterns.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  let matched = false;
  for (const pattern of patterns.split(',')) {
    const negated = pattern.startsWith('!');
    const glob = negated ? pattern.slice(1) : pattern;
    const regex = new RegExp(
      `^${glob
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replaceAll('*', '.*')
        .replaceAll('?', '.')}$`,
    );
    if (!regex.test(name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}
