/**
 * Traffic at a site while it is deployed, counting every request that fails: a connection refused
 * or reset, a timeout, an answer cut short, or a status outside 2xx/3xx. Half the clients open a
 * fresh connection for each request; the other half reuse keep-alive sockets, which is where a
 * server closing its idle connections shows up as ECONNRESET (autocannon reconnects and resends,
 * hiding those). Each client sends its next request once the last one ended, after a short pause,
 * so the load is steady and small next to the builds it runs alongside.
 */
import { Agent, request } from 'node:http';

export interface LoadOptions {
  /** `http://host[:port]` */
  base: string;
  /** Paths asked in turn, e.g. `/` and `/api/billing/invoices`. */
  paths: readonly string[];
  /** Clients of each kind (fresh connection, keep-alive). */
  clientsPerKind?: number;
  pauseMs?: number;
  timeoutMs?: number;
}

export interface Failure {
  /** Milliseconds since the load started. */
  atMs: number;
  path: string;
  kind: 'fresh' | 'keep-alive';
  /** `503`, `ECONNRESET`, `timeout`... */
  what: string;
}

export interface LoadReport {
  requests: number;
  failed: number;
  failures: Failure[];
  seconds: number;
}

export interface RunningLoad {
  /** Resolves once `count` requests in a row have succeeded (the site is up). */
  healthy(count: number, withinMs: number): Promise<void>;
  /** Stops sending, waits for the requests in flight, and reports. */
  stop(): Promise<LoadReport>;
}

export function startLoad(options: LoadOptions): RunningLoad {
  const clients = options.clientsPerKind ?? 2;
  const pauseMs = options.pauseMs ?? 20;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const url = new URL(options.base);
  const keepAlive = new Agent({ keepAlive: true, maxSockets: clients });
  const started = performance.now();
  const failures: Failure[] = [];
  let requests = 0;
  let streak = 0;
  let stopping = false;
  let next = 0;
  const waiters = new Set<{ count: number; resolve: () => void }>();

  const once = (kind: Failure['kind']): Promise<void> => {
    const path = options.paths[next++ % options.paths.length] as string;
    return new Promise((resolve) => {
      let settled = false;
      const done = (what?: string) => {
        if (settled) return;
        settled = true;
        requests++;
        if (what === undefined) {
          streak++;
          for (const waiter of waiters)
            if (streak >= waiter.count) {
              waiters.delete(waiter);
              waiter.resolve();
            }
        } else {
          streak = 0;
          failures.push({ atMs: Math.round(performance.now() - started), path, kind, what });
        }
        resolve();
      };
      const req = request(
        {
          host: url.hostname,
          port: url.port || 80,
          path,
          agent: kind === 'fresh' ? false : keepAlive,
          headers: kind === 'fresh' ? { connection: 'close' } : {},
          timeout: timeoutMs,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          res.on('data', () => {});
          res.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
          res.on('aborted', () => done('aborted'));
          res.on('end', () => done(status >= 200 && status < 400 ? undefined : String(status)));
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
      req.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
      req.end();
    });
  };

  const client = async (kind: Failure['kind']) => {
    while (!stopping) {
      await once(kind);
      if (!stopping) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  };
  const running = [
    ...Array.from({ length: clients }, () => client('fresh')),
    ...Array.from({ length: clients }, () => client('keep-alive')),
  ];

  return {
    healthy: (count, withinMs) =>
      new Promise((resolve, reject) => {
        if (streak >= count) return resolve();
        const waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const last = failures.at(-1);
          reject(
            new Error(
              `${options.base} did not answer ${count} requests in a row within ${withinMs} ms${last ? ` (last failure: ${last.path} ${last.what})` : ''}`,
            ),
          );
        }, withinMs);
        waiters.add(waiter);
      }),
    stop: async () => {
      stopping = true;
      await Promise.all(running);
      keepAlive.destroy();
      return {
        requests,
        failed: failures.length,
        failures,
        seconds: (performance.now() - started) / 1000,
      };
    },
  };
}

/** Failures grouped by what they were: `ECONNRESET x3 (keep-alive), 502 x12 (fresh)`. */
export function describeFailures(failures: readonly Failure[]): string {
  const counts = new Map<string, number>();
  for (const f of failures) {
    const key = `${f.what} (${f.kind}, ${f.path})`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${n} x ${key}`).join(', ');
}
