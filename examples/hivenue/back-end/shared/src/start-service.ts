import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Router } from 'express';
import type { Db } from 'mongodb';
import { connectMongo } from './connect-mongo';
import { createServiceApp } from './create-service-app';
import { readServiceConfig } from './service-config';

export interface StartServiceOptions {
  name: string;
  defaultPort: number;
  /** Builds the service's endpoints on its database (and may prepare indexes first). */
  createRoutes: (db: Db) => Router | Promise<Router>;
  env?: NodeJS.ProcessEnv;
  /** Signals that trigger a graceful shutdown. */
  shutdownSignals?: NodeJS.Signals[];
}

export interface RunningService {
  url: string;
  port: number;
  /** Stops accepting connections, lets requests in flight finish, then closes the database client. */
  stop(): Promise<void>;
}

// Requests still running after this long are cut off, so a shutdown always ends.
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Connects to MongoDB, serves the service's app and shuts down gracefully on SIGTERM/SIGINT.
 * Once the server and the client are closed nothing keeps the event loop alive, so the process
 * exits by itself with code 0.
 */
export async function startService({
  name,
  defaultPort,
  createRoutes,
  env = process.env,
  shutdownSignals = ['SIGTERM', 'SIGINT'],
}: StartServiceOptions): Promise<RunningService> {
  const config = readServiceConfig({ name, defaultPort }, env);
  const client = await connectMongo(config.mongoUri, { appName: `hivenue-${name}` });

  let server: Server;
  try {
    const db = client.db(config.databaseName);
    const app = createServiceApp({
      name,
      ping: () => db.command({ ping: 1 }),
      routes: await createRoutes(db),
    });
    server = await listen(app, config.port, config.host);
  } catch (error) {
    await client.close();
    throw error;
  }

  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host}:${port}`;
  console.log(`${name} listening on ${url} (database ${config.databaseName})`);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      for (const signal of shutdownSignals) process.off(signal, onSignal);
      await closeServer(server);
      await client.close();
      console.log(`${name} stopped`);
    })();
    return stopping;
  };

  function onSignal(signal: NodeJS.Signals) {
    console.log(`${name} received ${signal}, shutting down`);
    stop().catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
  }
  for (const signal of shutdownSignals) process.on(signal, onSignal);

  return { url, port, stop };
}

function listen(app: RequestListener, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(app);
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  const forceClose = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  forceClose.unref();
  return new Promise((resolve, reject) => {
    server.close((error) => {
      clearTimeout(forceClose);
      if (error) reject(error);
      else resolve();
    });
  });
}
