/**
 * Where nginx keeps its files under a private prefix. Both the renderer (which writes these paths
 * into nginx.conf) and the host side (which writes, tests and signals) take them from here.
 */
import { posix } from 'node:path';

export interface NginxPaths {
  prefix: string;
  /** The configuration the master runs. */
  conf: string;
  /** A candidate, written and tested here before it replaces `conf`. */
  next: string;
  /** The configuration `conf` replaced, kept to put back when a reload is refused. */
  previous: string;
  pid: string;
  errorLog: string;
  /** Parent of the five `*_temp_path`s (nginx creates the last segment of each, not their parents). */
  temp: string;
  logs: string;
  /** Default webroot for certbot's `/.well-known/acme-challenge/` files. */
  acme: string;
}

export function nginxPaths(prefix: string): NginxPaths {
  const logs = posix.join(prefix, 'logs');
  return {
    prefix,
    conf: posix.join(prefix, 'nginx.conf'),
    next: posix.join(prefix, 'nginx.conf.next'),
    previous: posix.join(prefix, 'nginx.conf.previous'),
    pid: posix.join(logs, 'nginx.pid'),
    errorLog: posix.join(logs, 'error.log'),
    temp: posix.join(prefix, 'temp'),
    logs,
    acme: posix.join(prefix, 'acme'),
  };
}
