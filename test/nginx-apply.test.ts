/**
 * A real nginx on loopback, driven through the local transport: the site with its SPA fallback,
 * an API reaching its upstream without the /api/<module> prefix, idle upstream connections closed
 * by nginx before a Node service would, reloads that keep the master,
 * configurations nginx refuses (or cannot bind) leaving the old one serving, and TLS.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalTransport } from '../src/deploy/local-transport.js';
import { HostNginx } from '../src/router/nginx.js';
import { type NginxState, renderNginxConfig } from '../src/router/nginx-config.js';
import { isRunning } from './helpers/processes.js';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One GET on a fresh connection (a kept-alive socket could meet a worker that a reload retired). */
function get(url: string, options: { ca?: Buffer; localAddress?: string } = {}): Promise<Answer> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { agent: false, ca: options.ca, servername: 'localhost', localAddress: options.localAddress },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function listen(server: Server | ReturnType<typeof createNetServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An API service: answers its name, the path it was asked for and the headers it got. */
function upstream(name: string): Server {
  return createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ name, path: req.url, headers: req.headers }));
  });
}

describe('nginx applied on a host', () => {
  let dir: string;
  let prefix: string;
  let nginx: HostNginx;
  let other: HostNginx;
  /** An nginx of the stop test's own, so that stopping it takes nothing from the other tests. */
  let stoppable: HostNginx;
  let http: number;
  let https: number;
  const servers: Server[] = [];
  const blocker = createNetServer();
  let blockedPort: number;
  const upstreamPort: Record<string, number> = {};
  let cert: Buffer;
  /** The first apply, in beforeAll: it started the master every test but the stop test works with. */
  let started: Awaited<ReturnType<HostNginx['apply']>>;
  let firstPid: number;

  const state = (billing: string, extra: Partial<NginxState> = {}): NginxState => ({
    prefix,
    listen: { http, address: '127.0.0.1' },
    site: { root: join(dir, 'web', 'current') },
    apis: [
      { name: 'billing', upstreams: [{ address: '127.0.0.1', port: upstreamPort[billing] ?? 0 }] },
      { name: 'platform', upstreams: [{ address: '127.0.0.1', port: upstreamPort.platform ?? 0 }] },
    ],
    accessLog: join(dir, 'logs', 'access.log'),
    ...extra,
  });
  const tls = (extra: Partial<NginxState> = {}): Partial<NginxState> => ({
    listen: { http, https, address: '127.0.0.1' },
    tls: { certificate: join(dir, 'tls', 'cert.pem'), key: join(dir, 'tls', 'key.pem'), hsts: true },
    ...extra,
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'waggle-nginx-'));
    chmodSync(dir, 0o755); // nginx's workers run as nobody
    prefix = join(dir, 'nginx');
    const transport = new LocalTransport('web', dir);
    nginx = new HostNginx(transport, prefix);
    other = new HostNginx(transport, join(dir, 'nginx-other'));
    stoppable = new HostNginx(transport, join(dir, 'nginx-stoppable'));

    const release = join(dir, 'web', 'releases', 'r1');
    mkdirSync(release, { recursive: true });
    writeFileSync(
      join(release, 'index.html'),
      '<!doctype html><title>hivenue r1</title><app-root></app-root>\n',
    );
    writeFileSync(join(release, 'main-ABCD1234.js'), 'console.log("hivenue");\n');
    symlinkSync(join('releases', 'r1'), join(dir, 'web', 'current'));
    mkdirSync(join(prefix, 'acme', '.well-known', 'acme-challenge'), { recursive: true });
    writeFileSync(join(prefix, 'acme', '.well-known', 'acme-challenge', 'token-1'), 'token-1.key\n');

    for (const name of ['billing-blue', 'billing-green', 'platform']) {
      const server = upstream(name);
      servers.push(server);
      upstreamPort[name] = await listen(server);
    }
    blockedPort = await listen(blocker);
    http = await freePort();
    https = await freePort();

    mkdirSync(join(dir, 'tls'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        join(dir, 'tls', 'key.pem'),
        '-out',
        join(dir, 'tls', 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'tls', 'cert.pem'));

    started = await nginx.apply(state('billing-blue'));
    firstPid = started.pid;
  });

  afterAll(async () => {
    await nginx?.stop().catch(() => undefined);
    await other?.stop().catch(() => undefined);
    await stoppable?.stop().catch(() => undefined);
    await Promise.all([...servers, blocker].map((s) => new Promise((resolve) => s.close(resolve))));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('starts nginx, serves the site with its SPA fallback and proxies /api/<module>/ without the prefix', async () => {
    expect(started.action).toBe('started');
    expect(started.version).toBe(renderNginxConfig(state('billing-blue')).version);
    expect(isRunning(firstPid)).toBe(true);
    expect(readFileSync(join(prefix, 'logs', 'nginx.pid'), 'utf8').trim()).toBe(String(firstPid));
    // Serving what it started with again, whatever the tests before this one applied.
    await nginx.apply(state('billing-blue'));

    const home = await get(`http://127.0.0.1:${http}/`);
    expect(home.status).toBe(200);
    expect(home.body).toContain('hivenue r1');
    expect(home.headers['cache-control']).toBe('no-cache');
    expect(home.headers['x-content-type-options']).toBe('nosniff');
    expect(home.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(home.headers.server).toBe('nginx');
    expect(home.headers['strict-transport-security']).toBeUndefined();

    const deep = await get(`http://127.0.0.1:${http}/some/deep/route`);
    expect(deep.status).toBe(200);
    expect(deep.body).toContain('hivenue r1');
    expect(deep.headers['cache-control']).toBe('no-cache');

    const asset = await get(`http://127.0.0.1:${http}/main-ABCD1234.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['x-content-type-options']).toBe('nosniff');
    expect((await get(`http://127.0.0.1:${http}/main-ZZZZ9999.js`)).status).toBe(404);

    const api = await get(`http://127.0.0.1:${http}/api/billing/health?deep=1`);
    expect(api.status).toBe(200);
    const seen = JSON.parse(api.body) as { name: string; path: string; headers: IncomingHttpHeaders };
    expect(seen).toMatchObject({ name: 'billing-blue', path: '/health?deep=1' });
    expect(seen.headers).toMatchObject({
      host: '127.0.0.1',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-prefix': '/api/billing',
    });
    expect(seen.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.parse((await get(`http://127.0.0.1:${http}/api/platform/v1/users`)).body)).toMatchObject({
      name: 'platform',
      path: '/v1/users',
    });

    // The access log: one JSON object a line, the upstream and its timing as strings.
    const accessLog = join(dir, 'logs', 'access.log');
    // nginx writes the line once the request is done: wait for it to be there.
    const logged = (uri: string): Promise<Record<string, unknown>> =>
      vi.waitFor(
        () => {
          const lines = readFileSync(accessLog, 'utf8').trim().split('\n');
          const found = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.uri === uri);
          if (!found) throw new Error(`no line for ${uri} in ${accessLog}`);
          return found;
        },
        { timeout: 1_000, interval: 50 },
      );
    const line = await logged('/api/billing/health?deep=1');
    expect(line).toMatchObject({
      method: 'GET',
      uri: '/api/billing/health?deep=1',
      status: 200,
      upstream: 'api_billing',
      upstream_addr: `127.0.0.1:${upstreamPort['billing-blue']}`,
      request_id: seen.headers['x-request-id'],
    });
    expect(typeof line?.upstream_response_time).toBe('string');
    expect(typeof line?.msec).toBe('number');
    expect(typeof line?.request_time).toBe('number');
    expect(typeof line?.bytes_sent).toBe('number');
    // The proving requests stay out of it.
    expect(readFileSync(accessLog, 'utf8')).not.toContain('__waggle');
  });

  it('closes an idle upstream connection itself, before a Node service would', async () => {
    await nginx.apply(state('billing-blue'));
    const platform = servers[2] as Server;
    // The connection nginx answers this request on, and who closes it once it is idle: nginx
    // (the service sees the connection end) or the service, at its keepAliveTimeout (5 s).
    const closedBy = new Promise<string>((resolve) =>
      platform.once('request', (req) => {
        let ended = false;
        req.socket.once('end', () => {
          ended = true;
        });
        req.socket.once('close', () => resolve(ended ? 'nginx' : 'the service'));
      }),
    );
    expect((await get(`http://127.0.0.1:${http}/api/platform/idle`)).status).toBe(200);
    expect(platform.keepAliveTimeout).toBe(5_000);
    expect(await closedBy).toBe('nginx');
  });

  it('answers its version on loopback only', async () => {
    await nginx.apply(state('billing-blue'));
    const { version } = renderNginxConfig(state('billing-blue'));
    expect((await get(`http://127.0.0.1:${http}/__waggle/config`)).body).toBe(version);
    const elsewhere = await get(`http://127.0.0.1:${http}/__waggle/config`, { localAddress: '127.0.0.2' });
    expect(elsewhere.status).toBe(403);
  });

  it('reloads a changed upstream into the same master', async () => {
    await nginx.apply(state('billing-blue'));
    const applied = await nginx.apply(state('billing-green'));
    expect(applied).toMatchObject({ action: 'reloaded', pid: firstPid });
    expect(JSON.parse((await get(`http://127.0.0.1:${http}/api/billing/health`)).body)).toMatchObject({
      name: 'billing-green',
      path: '/health',
    });
    // Applying the same state again is a reload to the same version.
    expect(await nginx.apply(state('billing-green'))).toMatchObject({
      action: 'reloaded',
      pid: firstPid,
      version: applied.version,
    });
  });

  it('keeps serving the old configuration when nginx -t refuses the new one', async () => {
    await nginx.apply(state('billing-green'));
    const conf = join(prefix, 'nginx.conf');
    const before = readFileSync(conf, 'utf8');
    const { version } = renderNginxConfig(state('billing-green'));
    // Valid values, but a certificate that is not there: only nginx can tell.
    const missing = state(
      'billing-blue',
      tls({ tls: { certificate: join(dir, 'nope.pem'), key: join(dir, 'nope.key') } }),
    );
    await expect(nginx.apply(missing)).rejects.toThrow(/nginx refused the new configuration[\s\S]*nope\.pem/);
    // And a bad file through the lower level.
    const rendered = renderNginxConfig(state('billing-blue'));
    await expect(nginx.install({ ...rendered, text: `${rendered.text}bogus;\n` })).rejects.toThrow(
      /unknown directive "bogus" in .*nginx\.conf\.next/,
    );
    expect(readFileSync(conf, 'utf8')).toBe(before);
    expect(await nginx.masterPid()).toBe(firstPid);
    expect((await get(`http://127.0.0.1:${http}/__waggle/config`)).body).toBe(version);
    expect(JSON.parse((await get(`http://127.0.0.1:${http}/api/billing/health`)).body).name).toBe(
      'billing-green',
    );
  });

  it('says so when a reload cannot bind a port, and puts the previous file back', async () => {
    await nginx.apply(state('billing-green'));
    const conf = join(prefix, 'nginx.conf');
    const before = readFileSync(conf, 'utf8');
    const errorLog = join(prefix, 'logs', 'error.log');
    const logFrom = readFileSync(errorLog).length;
    const busy = state('billing-blue', tls({ listen: { http, https: blockedPort, address: '127.0.0.1' } }));
    await expect(nginx.apply(busy)).rejects.toThrow(
      /nginx kept its previous configuration \(a port it listens on is in use[\s\S]*bind\(\) to 127\.0\.0\.1:\d+ failed/,
    );
    // The master retries the bind for a few seconds, logging each failure: the apply waits until it
    // gives up, so whatever is applied next at once does not meet those errors as its own.
    expect(readFileSync(errorLog).subarray(logFrom).toString()).toContain('still could not bind()');
    expect(readFileSync(conf, 'utf8')).toBe(before);
    expect(await nginx.masterPid()).toBe(firstPid);
    expect(JSON.parse((await get(`http://127.0.0.1:${http}/api/billing/health`)).body).name).toBe(
      'billing-green',
    );
    expect(await nginx.apply(state('billing-blue'))).toMatchObject({ action: 'reloaded', pid: firstPid });
  });

  it('says so when a start cannot bind a port', async () => {
    const taken = { ...state('billing-blue'), prefix: other.paths.prefix, listen: { http: blockedPort } };
    await expect(other.apply(taken)).rejects.toThrow(/nginx did not start \(a port it listens on is in use/);
    expect(await other.masterPid()).toBeUndefined();
  });

  it('serves HTTPS with HSTS and redirects HTTP there, except for ACME challenges', async () => {
    const applied = await nginx.apply(state('billing-green', tls()));
    expect(applied).toMatchObject({ action: 'reloaded', pid: firstPid });

    const home = await get(`https://127.0.0.1:${https}/`, { ca: cert });
    expect(home.status).toBe(200);
    expect(home.body).toContain('hivenue r1');
    expect(home.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(home.headers['cache-control']).toBe('no-cache');
    const api = await get(`https://127.0.0.1:${https}/api/billing/health`, { ca: cert });
    expect(JSON.parse(api.body).headers['x-forwarded-proto']).toBe('https');

    const plain = await get(`http://127.0.0.1:${http}/some/route?x=1`);
    expect(plain.status).toBe(301);
    expect(plain.headers.location).toBe(`https://127.0.0.1:${https}/some/route?x=1`);
    const challenge = await get(`http://127.0.0.1:${http}/.well-known/acme-challenge/token-1`);
    expect(challenge).toMatchObject({ status: 200, body: 'token-1.key\n' });
  });

  it('stops the master', async () => {
    const own = {
      ...state('billing-blue'),
      prefix: stoppable.paths.prefix,
      listen: { http: await freePort(), address: '127.0.0.1' },
      accessLog: join(dir, 'logs', 'stoppable-access.log'),
    };
    const { pid } = await stoppable.apply(own);
    expect(await stoppable.stop()).toBe(true);
    expect(isRunning(pid)).toBe(false);
    expect(await stoppable.masterPid()).toBeUndefined();
    expect(await stoppable.stop()).toBe(false);
  });
});
