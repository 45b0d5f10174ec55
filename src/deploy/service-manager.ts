/**
 * What keeps an environment's services running on a host: pm2 (the default; it needs nothing
 * but Node and `npm install -g pm2`), or systemd units on servers that run systemd.
 */
import { posix } from 'node:path';
import type { EnvironmentConfig } from '../config/schema.js';
import { Pm2 } from './pm2.js';
import { Systemd } from './systemd.js';
import type { HostTransport } from './transports.js';

export type ServiceManager = Pick<Pm2, 'start' | 'stop' | 'lastLines'>;

export function serviceManager(
  input: { app: string; environment: Pick<EnvironmentConfig, 'services'> },
  on: HostTransport,
): ServiceManager {
  const { services } = input.environment;
  if (services.manager === 'systemd') return new Systemd(on.transport, services.user);
  return new Pm2(on.transport, posix.join(on.base, input.app, '.pm2'));
}
