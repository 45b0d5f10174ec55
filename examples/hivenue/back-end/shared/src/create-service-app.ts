import express, { type Express, type Router } from 'express';
import { jsonErrorHandler, notFoundHandler } from './error-handlers';
import { readVersionInfo } from './version-info';

export interface ServiceAppOptions {
  /** Service name, reported by /version. */
  name: string;
  /** Checks the service's dependencies (its database); /healthz answers 503 when it fails. */
  ping?: () => Promise<unknown>;
  /** The service's own endpoints, mounted at the root. */
  routes?: Router;
}

// A health check that hangs is worse than one that fails: load balancers time out on it.
const PING_TIMEOUT_MS = 2_000;

/**
 * The Express app every Hivenue service is built on: JSON bodies, /healthz, /version, the
 * service's routes, and JSON answers for unknown routes and errors.
 */
export function createServiceApp({ name, ping, routes }: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json());

  app.get('/healthz', async (_req, res) => {
    try {
      if (ping) await withTimeout(ping(), PING_TIMEOUT_MS);
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });

  // Read on every request rather than at start-up, so the answer always matches the environment.
  app.get('/version', (_req, res) => {
    res.json(readVersionInfo(name));
  });

  if (routes) app.use(routes);
  app.use(notFoundHandler);
  app.use(jsonErrorHandler);
  return app;
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
