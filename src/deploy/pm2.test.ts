/**
 * A service's port handed from release to release under a real pm2: the new release listens
 * alongside the old one (cluster mode), the old one is stopped only then and finishes what it is
 * answering, so clients sending requests throughout, on fresh and on keep-alive connections, see
 * none fail. Each release runs from its own real folder, whatever `current` points at.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/helpers/ports.js';
import { LocalTransport } from './local-transport.js';
import { Pm2, type ServiceStart, type ServiceState } from './pm2.js';

interface Answer {
  release: string;
  cwd: string;
  pid: number;
}

/** Requests sent one after another by two clients (fresh connections, keep-alive) until stopped. */
function traffic(port: number) {
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
  const answers: Answer[] = [];
  const failures: string[] = [];
  let stopping = false;
  const once = (fresh: boolean) =>
    new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/', agent: fresh ? false : keepAlive }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('error', (error: NodeJS.ErrnoException) => {
          failures.push(error.code ?? error.message);
          resolve();
        });
        res.on('end', () => {
          if (res.statusCode === 200) answers.push(JSON.parse(body) as Answer);
          else failures.push(`${res.statusCode} ${body}`);
          resolve();
        });
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        failures.push(`${fresh ? 'fresh' : 'keep-alive'}: ${error.code ?? error.message}`);
        resolve();
      });
      req.end();
    });
  const client = async (fresh: boolean) => {
    while (!stopping) await once(fresh);
  };
  const running = [client(true), client(false)];
  return {
    answers,
    failures,
    stop: async () => {
      stopping = true;
      await Promise.all(running);
      keepAlive.destroy();
    },
  };
}

describe('a service handed from release to release under pm2', () => {
  let dir: string;
  let base: string;
  let port: number;
  let pm2: Pm2;
  const releases = () => join(base, 'shop', 'api', 'releases');
  const service = (release: string): ServiceStart => ({
    name: 'shop-api',
    releaseDir: join(releases(), release),
    start: ['node', 'index.js'],
    envFile: join(base, 'shop', 'api', 'shared', '.env'),
    env: { PORT: String(port) },
    logDir: join(base, 'shop', 'api', 'shared', 'logs'),
  });
  /**
   * A release of a service that answers a little slowly (so requests are in flight at each switch)
   * and stops gracefully, as most do: on SIGINT it closes its server and lets the process end by
   * itself, which it notes in its folder (a process pm2 kills notes nothing).
   */
  const release = (name: string) => {
    mkdirSync(join(releases(), name), { recursive: true });
    writeFileSync(
      join(releases(), name, 'index.js'),
      `const http = require('node:http');
const server = http.createServer((req, res) => {
  setTimeout(() => res.end(JSON.stringify({ release: ${JSON.stringify(name)}, cwd: process.cwd(), pid: process.pid })), 20);
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGINT', () => server.close());
process.on('exit', () => require('node:fs').appendFileSync('ended', process.pid + '\\n'));
`,
    );
  };
  /** Pids of a release's processes that ended by themselves. */
  const ended = (name: string) => {
    const file = join(releases(), name, 'ended');
    return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').map(Number) : [];
  };
  const pm2Apps = () =>
    (
      JSON.parse(
        execFileSync('pm2', ['jlist'], {
          env: { ...process.env, PM2_HOME: join(base, '.pm2') },
          encoding: 'utf8',
        }),
      ) as { name: string }[]
    )
      .map((p) => p.name)
      .sort();

  let handover: {
    answers: Answer[];
    failures: string[];
    state: ServiceState | undefined;
    apps: string[];
    /** Pids of release one that ended by themselves. */
    ended: number[];
  };
  let restart: {
    answers: Answer[];
    failures: string[];
    state: ServiceState | undefined;
    before: ServiceState | undefined;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'waggle-pm2-'));
    base = join(dir, 'host');
    port = await freePort();
    pm2 = new Pm2(new LocalTransport('api-1', base), join(base, '.pm2'));
    for (const name of ['one', 'two']) release(name);
    mkdirSync(join(base, 'shop', 'api', 'shared'), { recursive: true });
    writeFileSync(join(base, 'shop', 'api', 'shared', '.env'), 'SHOP_KEY=x\n', { mode: 0o600 });
    // `current` still names the old release while the new one starts, as in a deploy.
    symlinkSync(join(releases(), 'one'), join(base, 'shop', 'api', 'current'));
    await pm2.start(service('one'));

    let load = traffic(port);
    await pm2.start(service('two'));
    const switched = load.answers.length;
    // The handover is over once the new release has answered both clients a few more times.
    while (load.answers.slice(switched).filter((a) => a.release === 'two').length < 10)
      await new Promise((resolve) => setImmediate(resolve));
    await load.stop();
    handover = {
      answers: load.answers,
      failures: load.failures,
      state: await pm2.state('shop-api'),
      apps: pm2Apps(),
      ended: ended('one'),
    };

    const before = await pm2.state('shop-api');
    load = traffic(port);
    await pm2.start(service('two'));
    await load.stop();
    restart = { answers: load.answers, failures: load.failures, state: await pm2.state('shop-api'), before };
  }, 120_000);
  afterAll(async () => {
    await pm2?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands the port to a new release with no failed request, then stops the old one', () => {
    expect(handover.failures).toEqual([]);
    const served = new Set(handover.answers.map((a) => a.release));
    expect(served).toEqual(new Set(['one', 'two']));
    expect(handover.answers.at(-1)?.release).toBe('two');
    expect(handover.apps).toEqual(['shop-api@two']);
    // The old release's process ended by itself once it had answered, as it would outside pm2.
    const one = handover.answers.filter((a) => a.release === 'one').map((a) => a.pid);
    expect(handover.ended).toEqual([...new Set(one)]);
    expect(handover.state).toMatchObject({
      status: 'online',
      app: 'shop-api@two',
      cwd: join(releases(), 'two'),
    });
  });

  it('runs each release from its own folder, not from where `current` points', () => {
    const two = handover.answers.filter((a) => a.release === 'two');
    expect(new Set(two.map((a) => a.cwd))).toEqual(new Set([join(releases(), 'two')]));
  });

  it('restarts the release that runs as a fresh process from the same folder, with no failed request', () => {
    expect(restart.failures).toEqual([]);
    expect(restart.state).toMatchObject({
      status: 'online',
      app: 'shop-api@two',
      cwd: join(releases(), 'two'),
    });
    expect(restart.state?.pid).not.toBe(restart.before?.pid);
    expect(restart.answers.length).toBeGreaterThan(0);
    expect(new Set(restart.answers.map((a) => a.release))).toEqual(new Set(['two']));
  });
});

describe('pm2 with what an older waggle or a failed release left', () => {
  let dir: string;
  let port: number;
  let pm2: Pm2;
  const home = () => join(dir, '.pm2');
  const releaseDir = (name: string) => join(dir, 'releases', name);
  const service = (name: string, readyWithinMs?: number): ServiceStart => ({
    name: 'shop-api',
    releaseDir: releaseDir(name),
    start: ['node', 'index.js'],
    envFile: join(dir, '.env'),
    env: { PORT: String(port) },
    logDir: join(dir, 'logs'),
    ...(readyWithinMs ? { readyWithinMs } : {}),
  });
  const release = (name: string, code: string) => {
    mkdirSync(releaseDir(name), { recursive: true });
    writeFileSync(join(releaseDir(name), 'index.js'), code);
  };
  const answering = (name: string) =>
    `require('node:http').createServer((req, res) => res.end(${JSON.stringify(name)})).listen(Number(process.env.PORT), '127.0.0.1');\n`;
  const apps = () =>
    (
      JSON.parse(
        execFileSync('pm2', ['jlist'], { env: { ...process.env, PM2_HOME: home() }, encoding: 'utf8' }),
      ) as { name: string; pm2_env: { exec_mode: string } }[]
    ).map((p) => `${p.name} ${p.pm2_env.exec_mode}`);
  const ask = async () => (await fetch(`http://127.0.0.1:${port}/`)).text();

  let legacy: { before: string[]; after: string[]; answer: string };
  let failed: { apps: string[]; answer: string };
  let stopped: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'waggle-pm2-left-'));
    port = await freePort();
    writeFileSync(join(dir, '.env'), '');
    pm2 = new Pm2(new LocalTransport('api-1', dir), home());
    release('old', answering('old'));
    release('new', answering('new'));
    // This service's app as waggle used to start it: fork mode, named after the service alone.
    execFileSync('pm2', ['start', join(releaseDir('old'), 'index.js'), '--name', 'shop-api'], {
      env: { ...process.env, PM2_HOME: home(), PORT: String(port) },
      stdio: 'ignore',
    });
    const before = apps();
    await pm2.start(service('new'));
    legacy = { before, after: apps(), answer: await ask() };

    // A release that exits before it ever listens: the start does not wait for it past its exit.
    release('broken', "console.error('cannot start'); process.exit(1);\n");
    await pm2.start(service('broken', 600_000));
    failed = { apps: apps(), answer: await ask().catch((error: Error) => `no answer: ${error.message}`) };

    await pm2.stop('shop-api');
    stopped = apps();
  }, 120_000);
  afterAll(async () => {
    await pm2?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('replaces a fork-mode process an older waggle left under the service name', () => {
    expect(legacy.before).toEqual(['shop-api fork_mode']);
    expect(legacy.after).toEqual(['shop-api@new cluster_mode']);
    expect(legacy.answer).toBe('new');
  });

  it('does not wait out a release that exits before it listens, and leaves it alone to fail its health check', () => {
    expect(failed.apps).toEqual(['shop-api@broken cluster_mode']);
    expect(failed.answer).toMatch(/^no answer/);
  });

  it('stops every release of the service', () => {
    expect(stopped).toEqual([]);
  });
});
