/**
 * A service's variables in an environment: its package's `service.env`, then the environment's
 * `env.<package>`, with `${{ secrets.X }}`/`${{ vars.X }}` read from the server's environment and
 * `${{ hosts.<role> }}` made the address of the first host with that role, as the service's own
 * host reaches it (loopback when it is that host).
 */
import type { EnvironmentConfig, PackageConfig } from '../config/schema.js';
import { interpolate } from '../config/secrets.js';
import { BadInputError } from '../errors.js';
import type { Role } from './inventory.js';
import type { HostTransport } from './transports.js';

const HOST_REFERENCE = /\$\{\{\s*hosts\.([a-z]+)\s*\}\}/g;

export function serviceVariables(input: {
  pkg: string;
  config: PackageConfig;
  environmentName: string;
  environment: EnvironmentConfig;
  hosts: readonly HostTransport[];
  /** The host the service runs on. */
  on: HostTransport;
  env: NodeJS.ProcessEnv;
}): Record<string, string> {
  const merged = { ...(input.config.service?.env ?? {}), ...(input.environment.env[input.pkg] ?? {}) };
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(merged)) {
    const withHosts = raw.replace(HOST_REFERENCE, (_, role: string) => {
      const host = input.hosts.find((h) => h.host.roles.includes(role as Role));
      if (!host)
        throw new BadInputError(
          `environments.${input.environmentName}.env.${input.pkg}.${name}: no host has the role ${role}`,
        );
      return host === input.on ? '127.0.0.1' : host.address;
    });
    out[name] = interpolate(withHosts, input.env);
  }
  return out;
}
