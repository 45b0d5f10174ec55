/**
 * Every value from config that lands in nginx.conf passes one of these checks first. nginx has no
 * escaping a renderer could rely on everywhere (`;`, `{`, `#`, quotes and whitespace end a word;
 * `$` starts a variable inside paths), so the checks admit only characters that can never be
 * syntax: a config value stays one word and cannot add a directive. Failures are bad input, named
 * by where the value came from.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { BadInputError } from '../errors.js';

/** Letters, digits and a few punctuation marks that mean nothing to nginx, in `/`-separated segments. */
const SAFE_PATH = /^(?:\/[A-Za-z0-9._@+,=~-]+)+$/;
const NAME = /^[a-z0-9-]+$/;
const HOSTNAME_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

function refuse(where: string, value: unknown, what: string): never {
  throw new BadInputError(`${where}: ${JSON.stringify(value)} is not ${what}`);
}

/** An absolute path of plain characters, without `.` or `..` segments; a trailing `/` is dropped. */
export function safePath(where: string, value: string): string {
  const path = value.length > 1 ? value.replace(/\/+$/, '') : value;
  if (!SAFE_PATH.test(path) || path.split('/').some((segment) => segment === '.' || segment === '..'))
    refuse(
      where,
      value,
      'an absolute path of letters, digits and ._@+,=~- (no whitespace, quotes, semicolons, $ or . and .. segments)',
    );
  return path;
}

/** A module or upstream name: it becomes part of a URL prefix and of an upstream's name. */
export function safeName(where: string, value: string): string {
  if (!NAME.test(value) || value.length > 63) refuse(where, value, 'a name of a-z, 0-9 and - (at most 63)');
  return value;
}

export function safePort(where: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) refuse(where, value, 'a port (1-65535)');
  return value;
}

/** A weight of an upstream server, as nginx takes it. */
export function safeWeight(where: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 1000) refuse(where, value, 'a weight (1-1000)');
  return value;
}

export function isHostname(value: string): boolean {
  return value.length <= 253 && value.split('.').every((label) => HOSTNAME_LABEL.test(label));
}

/** IPv6 without a zone (`%eth0` means nothing to nginx's parser). */
function isPlainIPv6(value: string): boolean {
  return isIPv6(value) && !value.includes('%');
}

/** An IPv4 or IPv6 address or a hostname, as `host` or `[v6]` ready to be followed by `:port`. */
export function safeHost(where: string, value: string): string {
  if (isIPv4(value) || isHostname(value)) return value;
  if (isPlainIPv6(value)) return `[${value}]`;
  return refuse(where, value, 'an IPv4 or IPv6 address or a hostname');
}

/** An address to listen on: an IP only (nginx would resolve a hostname once, at start). */
export function safeListenAddress(where: string, value: string): string {
  if (isIPv4(value)) return value;
  if (isPlainIPv6(value)) return `[${value}]`;
  return refuse(where, value, 'an IPv4 or IPv6 address');
}

/** A server name: a hostname, or one with a leading `*.` wildcard. */
export function safeServerName(where: string, value: string): string {
  const host = value.startsWith('*.') ? value.slice(2) : value;
  if (!isHostname(host)) refuse(where, value, 'a hostname (or *.hostname)');
  return value.toLowerCase();
}
