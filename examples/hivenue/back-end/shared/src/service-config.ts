export interface ServiceConfig {
  host: string;
  port: number;
  mongoUri: string;
  databaseName: string;
}

export interface ServiceDefaults {
  name: string;
  defaultPort: number;
}

/**
 * Reads a service's settings from the environment:
 * - PORT (default: the service's own port; 0 picks a free one)
 * - HOST (default 127.0.0.1: services sit behind a router on the same machine)
 * - MONGODB_URI (required: a silent default could point a service at the wrong database)
 * - MONGODB_DB (default hivenue-<service>: each service owns its data)
 */
export function readServiceConfig(
  { name, defaultPort }: ServiceDefaults,
  env: NodeJS.ProcessEnv = process.env,
): ServiceConfig {
  const mongoUri = env.MONGODB_URI;
  if (!mongoUri) throw new Error('MONGODB_URI is not set');

  return {
    host: env.HOST || '127.0.0.1',
    port: parsePort(env.PORT, defaultPort),
    mongoUri,
    databaseName: env.MONGODB_DB || `hivenue-${name}`,
  };
}

function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be an integer between 0 and 65535, got "${value}"`);
  }
  return port;
}
