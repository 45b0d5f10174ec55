/**
 * The preload waggle gives services under pm2, in real Node processes: `ready` once the service
 * listens on its PORT, `Connection: close` on what a closing server still answers, and a gentle
 * stop on SIGINT for a service that has no handler of its own.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/helpers/ports.js';
import { PM2_PRELOAD } from './pm2-preload.js';

let dir: string;
let preload: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'waggle-preload-'));
  preload = join(dir, 'preload.cjs');
  writeFileSync(preload, PM2_PRELOAD);
});
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A service started as pm2 starts it: an IPC channel, the preload required first. */
function service(code: string, env: Record<string, string>) {
  const file = join(dir, `service-${children.length}.js`);
  writeFileSync(file, code);
  const child = fork(file, [], {
    execArgv: ['--require', preload],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  const said: unknown[] = [];
  const waiting = new Map<unknown, () => void>();
  child.on('message', (message) => {
    said.push(message);
    waiting.get(message)?.();
  });
  /** Resolves once the service has said `message` (IPC keeps the order messages were sent in). */
  const hears = (message: unknown) =>
    new Promise<void>((resolve) => (said.includes(message) ? resolve() : waiting.set(message, resolve)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, said, hears, exited };
}

/**
 * Holds every request until told `release` over IPC; says `holding` for each, and answers `ping`
 * with `pong`, or `pong, closed` once its server no longer listens.
 */
const HOLDING = `const http = require('node:http');
const held = [];
const server = http.createServer((req, res) => { held.push(res); process.send('holding'); });
process.on('message', (message) => {
  if (message === 'release') for (const res of held.splice(0)) res.end('held');
  if (message === 'ping') process.send(server.listening ? 'pong' : 'pong, closed');
});
server.listen(Number(process.env.LISTEN), '127.0.0.1', () => process.send('listening'));
`;

interface Answer {
  body: string;
  connection: string | undefined;
}

/** A GET asking to keep the connection alive; the answer's body and its Connection header. */
function get(port: number, path: string): Promise<Answer> {
  const agent = new Agent({ keepAlive: true });
  const answer = new Promise<Answer>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ body, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end();
  });
  return answer.finally(() => agent.destroy());
}

describe('the preload of services under pm2', () => {
  it('says ready once the service listens on its PORT, and not for another port', async () => {
    const port = await freePort();
    const ours = service(HOLDING, { PORT: String(port), LISTEN: String(port) });
    const elsewhere = service(HOLDING, { PORT: String(port), LISTEN: String(await freePort()) });
    await Promise.all([ours.hears('listening'), elsewhere.hears('listening')]);
    elsewhere.child.send('ping');
    await elsewhere.hears('pong');
    expect(ours.said.slice(0, 2)).toEqual(['ready', 'listening']);
    expect(elsewhere.said).toEqual(['listening', 'pong']);
  });

  it('stops a service with no SIGINT handler gently: what it answers ends, with Connection: close, then it exits', async () => {
    const port = await freePort();
    const running = service(HOLDING, { PORT: String(port), LISTEN: String(port) });
    await running.hears('listening');
    const inFlight = get(port, '/');
    await running.hears('holding');
    running.child.kill('SIGINT');
    // SIGINT did not end it: once its server no longer listens it is closing, still holding the request.
    const closed = running.hears('pong, closed');
    running.child.on('message', (message) => message === 'pong' && running.child.send('ping'));
    running.child.send('ping');
    await closed;
    running.child.send('release');
    expect(await inFlight).toEqual({ body: 'held', connection: 'close' });
    expect(await running.exited).toBe(0);
    await expect(get(port, '/')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('lets a service that closes its server on SIGINT end by itself, IPC channel and all', async () => {
    const port = await freePort();
    const running = service(`${HOLDING}process.on('SIGINT', () => server.close());\n`, {
      PORT: String(port),
      LISTEN: String(port),
    });
    await running.hears('listening');
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
  });

  it('leaves a service that handles SIGINT to stop itself', async () => {
    const port = await freePort();
    const running = service(`${HOLDING}process.on('SIGINT', () => process.send('stopping myself'));\n`, {
      PORT: String(port),
      LISTEN: String(port),
    });
    await running.hears('listening');
    running.child.kill('SIGINT');
    await running.hears('stopping myself');
    // Still serving, keep-alive and all: the preload closed nothing.
    const answer = get(port, '/');
    await running.hears('holding');
    running.child.send('release');
    expect(await answer).toEqual({ body: 'held', connection: 'keep-alive' });
  });
});
