import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TestServiceConfig } from '../config/schema.js';
import { Redactor } from '../exec/redact.js';
import { ServiceError, TestServices, type TestServicesOptions } from './test-services.js';

/** This file's own folder for what its services write: a port number is reused across runs and files. */
const SCRATCH = mkdtempSync(join(tmpdir(), 'waggle-services-'));

/** Running, as opposed to gone or a zombie nobody has reaped yet (containers often lack an init). */
const alive = (pid: number) => {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

const listen = (port = 0) =>
  new Promise<Server>((resolve) => {
    const server = createServer((socket) => socket.destroy()).listen(port, '127.0.0.1', () =>
      resolve(server),
    );
  });

/** A port on 127.0.0.1 that nothing listens on (the kernel picked it, then it was let go). */
const freePort = async () => {
  const server = await listen();
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
};

const until = async (check: () => boolean, ms = 5_000) => {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > ms) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** A node one-liner that appends to $STARTS (so starts can be counted), then listens on $PORT after $DELAY ms. */
const LISTENER = `require('node:fs').appendFileSync(process.env.STARTS, 'x');
  setTimeout(() => require('node:net').createServer((s) => s.end()).listen(Number(process.env.PORT), '127.0.0.1',
    () => console.log('listening for ' + process.env.DB_URI + ' server-only=' + process.env.SERVER_ONLY)), Number(process.env.DELAY ?? 0));`;

const created: TestServices[] = [];
afterEach(async () => {
  await Promise.all(created.splice(0).map((services) => services.stopAll()));
});

function setup(
  services: Record<string, Partial<TestServiceConfig>>,
  extra: Partial<TestServicesOptions> = {},
) {
  const cwd = mkdtempSync(join(tmpdir(), 'waggle-services-'));
  const lines: string[] = [];
  const testServices = new TestServices({
    services: Object.fromEntries(
      Object.entries(services).map(([name, service]) => [
        name,
        { run: ['true'], ready: { tcp: 1 }, timeout: '10s', env: {}, ...service },
      ]),
    ),
    cwd,
    env: { PATH: process.env.PATH },
    serverEnv: {},
    ...extra,
  });
  created.push(testServices);
  const log = (line: string, stream: string) => lines.push(`${stream}:${line}`);
  return { testServices, cwd, lines, log };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('the acquire should have failed'),
    (error: unknown) => {
      expect(error).toBeInstanceOf(ServiceError);
      return error as ServiceError;
    },
  );

describe('TestServices', () => {
  it('starts a service, waits for its port and hands back its env with variables filled in', async () => {
    const port = await freePort();
    const starts = join(SCRATCH, `starts-${port}`);
    const { testServices, lines, log } = setup(
      {
        db: {
          run: ['node', '-e', LISTENER],
          ready: { tcp: port },
          env: {
            PORT: String(port),
            STARTS: starts,
            DELAY: '300',
            DB_URI: 'mongodb://app:${{ secrets.DB_PASSWORD }}@127.0.0.1/${{ vars.DB_NAME }}',
          },
        },
      },
      {
        serverEnv: { DB_NAME: 'hive-test', DB_PASSWORD: 'hunter2-secret', SERVER_ONLY: 'leak' },
        redactor: new Redactor().add('hunter2-secret'),
      },
    );
    const env = await testServices.acquire(['db'], log);
    expect(lines.at(-1)).toMatch(/^stdout:\[db\] ready after 0\.[3-9] s$/);
    expect(env.DB_URI).toBe('mongodb://app:hunter2-secret@127.0.0.1/hive-test');
    // The service got its own env on top of the step environment, none of the server's, and its
    // output reached the log redacted. It prints once listening, so the line may come after the
    // port answered: wait for it.
    await vi.waitFor(() =>
      expect(lines).toContain(
        'stdout:[db] listening for mongodb://app:[REDACTED]@127.0.0.1/hive-test server-only=undefined',
      ),
    );
  });

  it('starts a service once for concurrent and later acquires', async () => {
    const port = await freePort();
    const starts = join(SCRATCH, `starts-${port}`);
    const { testServices, log } = setup({
      db: {
        run: ['node', '-e', LISTENER],
        ready: { tcp: `127.0.0.1:${port}` },
        env: { PORT: String(port), STARTS: starts, DELAY: '200' },
      },
    });
    const [first, second] = await Promise.all([
      testServices.acquire(['db'], log),
      testServices.acquire(['db'], log),
    ]);
    await testServices.acquire(['db'], log);
    expect(readFileSync(starts, 'utf8')).toBe('x');
    expect(first).toEqual(second);
  });

  it('waits for a 2xx from an HTTP readiness URL', async () => {
    const port = await freePort();
    const { testServices, cwd, lines, log } = setup({
      api: {
        run: 'node server.js',
        ready: { http: `http://127.0.0.1:${port}/healthz` },
        env: { PORT: String(port) },
      },
    });
    // Answers 503 twice before it is healthy: a service that merely accepts connections is not ready.
    writeFileSync(
      join(cwd, 'server.js'),
      `let hits = 0;
      require('node:http').createServer((req, res) => {
        hits += 1;
        console.log('hit ' + hits + ' ' + req.url);
        res.statusCode = hits < 3 ? 503 : 200;
        res.end();
      }).listen(Number(process.env.PORT), '127.0.0.1');`,
    );
    await testServices.acquire(['api'], log);
    expect(lines.filter((line) => line.startsWith('stdout:[api] hit '))).toEqual([
      'stdout:[api] hit 1 /healthz',
      'stdout:[api] hit 2 /healthz',
      'stdout:[api] hit 3 /healthz',
    ]);
  });

  it('names a command that cannot be found', async () => {
    const { testServices, log } = setup({ db: { run: 'waggle-no-such-db --port 1' } });
    const error = await failure(testServices.acquire(['db'], log));
    expect(error).toMatchObject({ service: 'db', reason: 'spawn' });
    expect(error.message).toBe('service db: cannot start waggle-no-such-db: not found on PATH (ENOENT)');
  });

  it('reports a service that exits before it is ready, with its exit code and last lines', async () => {
    const port = await freePort();
    const script = `for (let i = 1; i <= 25; i++) console.log('line ' + i); process.exit(3)`;
    const { testServices, log } = setup({ db: { run: ['node', '-e', script], ready: { tcp: port } } });
    const error = await failure(testServices.acquire(['db'], log));
    expect(error).toMatchObject({ service: 'db', reason: 'exit', exitCode: 3 });
    expect(error.output).toEqual(Array.from({ length: 20 }, (_, i) => `line ${i + 6}`));
    expect(error.message).toContain('service db: exited with code 3 before it was ready\nline 6\n');
  });

  it('gives up on a service that is never ready at its timeout', async () => {
    const port = await freePort();
    const { testServices, log } = setup({
      db: { run: ['node', '-e', 'setInterval(() => {}, 1000)'], ready: { tcp: port }, timeout: '700ms' },
    });
    const started = performance.now();
    const error = await failure(testServices.acquire(['db'], log));
    const waited = performance.now() - started;
    expect(error).toMatchObject({ reason: 'timeout' });
    expect(error.message).toBe(`service db: 127.0.0.1:${port} not ready within 700ms`);
    expect(waited).toBeGreaterThanOrEqual(700);
    expect(waited).toBeLessThan(1_500);
  });

  it('refuses a port something else already answers on, without starting the command', async () => {
    const taken = await listen();
    const port = (taken.address() as { port: number }).port;
    const starts = join(SCRATCH, `starts-${port}`);
    const { testServices, log } = setup({
      db: {
        run: ['node', '-e', LISTENER],
        ready: { tcp: port },
        env: { PORT: String(port), STARTS: starts },
      },
    });
    const error = await failure(testServices.acquire(['db'], log));
    taken.close();
    expect(error).toMatchObject({ reason: 'in-use' });
    expect(existsSync(starts)).toBe(false);
  });

  it('stops the service and what it started, once, and starts nothing afterwards', async () => {
    const port = await freePort();
    const pids = join(SCRATCH, `pids-${port}`);
    // The grandchild shrugs off SIGTERM: only the SIGKILL sent to the group takes it.
    const script = `const child = require('node:child_process').spawn(process.execPath,
        ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      require('node:fs').writeFileSync(${JSON.stringify(pids)}, process.pid + ' ' + child.pid);
      require('node:net').createServer().listen(${port}, '127.0.0.1');`;
    const { testServices, log } = setup({ db: { run: ['node', '-e', script], ready: { tcp: port } } });
    await testServices.acquire(['db'], log);
    const [service, grandchild] = readFileSync(pids, 'utf8').split(' ').map(Number) as [number, number];
    expect([alive(service), alive(grandchild)]).toEqual([true, true]);

    const stopping = testServices.stopAll();
    expect(testServices.stopAll()).toBe(stopping);
    await stopping;
    await until(() => !alive(grandchild), 1_000);
    expect(alive(service)).toBe(false);
    expect((await failure(testServices.acquire(['db'], log))).reason).toBe('cancelled');
  });

  it('kills a service that ignores SIGTERM after the grace period', async () => {
    const port = await freePort();
    const script = `process.on('SIGTERM', () => console.log('not stopping'));
      require('node:net').createServer().listen(${port}, '127.0.0.1', () => console.log(process.pid));`;
    const { testServices, lines, log } = setup({ db: { run: ['node', '-e', script], ready: { tcp: port } } });
    await testServices.acquire(['db'], log);
    const pid = Number(lines[0]?.replace('stdout:[db] ', ''));
    const started = performance.now();
    await testServices.stopAll();
    expect(performance.now() - started).toBeGreaterThanOrEqual(2_900);
    expect(alive(pid)).toBe(false);
    expect(lines).toContain('stdout:[db] not stopping');
  }, 10_000);

  it('reports a service that dies after it was ready, and refuses it to later suites', async () => {
    const port = await freePort();
    const script = `require('node:net').createServer().listen(${port}, '127.0.0.1');
      setTimeout(() => process.exit(7), 300);`;
    const { testServices, lines, log } = setup({ db: { run: ['node', '-e', script], ready: { tcp: port } } });
    await testServices.acquire(['db'], log);
    await until(() => lines.includes('stderr:[db] exited with code 7 after it was ready'));
    const error = await failure(testServices.acquire(['db'], () => {}));
    expect(error).toMatchObject({ reason: 'exit', exitCode: 7 });
  });

  it('stops waiting as soon as the run is cancelled', async () => {
    const port = await freePort();
    const controller = new AbortController();
    const { testServices, log } = setup(
      {
        db: {
          run: ['node', '-e', 'console.log("started"); setInterval(() => {}, 1000)'],
          ready: { tcp: port },
          timeout: '30s',
        },
      },
      { signal: controller.signal },
    );
    // Cancelled while the wait for its port is on: once the service has started and said so.
    let aborted = 0;
    const error = await failure(
      testServices.acquire(['db'], (line, stream) => {
        log(line, stream);
        if (line === '[db] started') {
          aborted = performance.now();
          controller.abort();
        }
      }),
    );
    expect(error.reason).toBe('cancelled');
    expect(aborted).toBeGreaterThan(0);
    expect(performance.now() - aborted).toBeLessThan(400);
  });

  it('starts nothing once the run is cancelled', async () => {
    const port = await freePort();
    const starts = join(SCRATCH, `starts-${port}`);
    const { testServices, log } = setup(
      {
        db: {
          run: ['node', '-e', LISTENER],
          ready: { tcp: port },
          env: { PORT: String(port), STARTS: starts },
        },
      },
      { signal: AbortSignal.abort() },
    );
    expect((await failure(testServices.acquire(['db'], log))).reason).toBe('cancelled');
    expect(existsSync(starts)).toBe(false);
  });
});
