/**
 * The part of DigitalOcean's API waggle speaks, on 127.0.0.1, answering as the API reference
 * documents it: GET /v2/droplets filtered by tag_name, in pages (per_page up to 200, page from 1)
 * linked by absolute URLs to itself and counted in meta.total; bearer tokens checked; and on
 * demand, the rate limit's 429 with its RateLimit-* headers, or a 5xx.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { type Answer, type Received, Receiver } from './receivers.js';

/** A droplet to serve, reduced to what a test chooses; the rest is filled in as the API shows it. */
export interface FakeDroplet {
  id: number;
  name: string;
  tags: string[];
  publicIp?: string;
  privateIp?: string;
}

export interface DropletRequest {
  /** Milliseconds since the epoch when the request arrived. */
  at: number;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

export interface FakeDigitalOcean {
  readonly url: string;
  /** Served droplets; tests may change them between requests. */
  droplets: FakeDroplet[];
  readonly requests: DropletRequest[];
  /**
   * The next `count` requests are refused with a 429; the limit resets `resetInSeconds` from now
   * (a whole epoch second, as the API gives it). Returns that reset time in epoch seconds.
   */
  rateLimitNext(count: number, resetInSeconds?: number): number;
  /** The next `count` requests fail with `status` (a 5xx). */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

const RATE_LIMIT = 5000;
const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
});

export async function startFakeDigitalOcean(options: {
  token: string;
  droplets?: FakeDroplet[];
  /** Base URL the page links point at; default the server itself. */
  linkBase?: string;
}): Promise<FakeDigitalOcean> {
  const requests: DropletRequest[] = [];
  let limited = { count: 0, reset: 0 };
  let failing = { count: 0, status: 503 };
  let remaining = RATE_LIMIT;
  let base = '';

  const route = (request: Received): Answer => {
    const url = new URL(request.path, 'http://127.0.0.1');
    requests.push({
      at: Date.now(),
      method: request.method,
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
    });
    if (request.headers.authorization !== `Bearer ${options.token}`)
      return json(401, { id: 'Unauthorized', message: 'Unable to authenticate you' });
    if (limited.count > 0) {
      limited.count--;
      return json(
        429,
        { id: 'too_many_requests', message: 'API Rate limit exceeded.' },
        {
          'ratelimit-limit': String(RATE_LIMIT),
          'ratelimit-remaining': '0',
          'ratelimit-reset': String(limited.reset),
        },
      );
    }
    if (failing.count > 0) {
      failing.count--;
      return json(failing.status, { id: 'server_error', message: 'Unexpected server-side error' });
    }
    const rateHeaders = {
      'ratelimit-limit': String(RATE_LIMIT),
      'ratelimit-remaining': String(--remaining),
      'ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 60),
    };
    if (url.pathname !== '/v2/droplets' || request.method !== 'GET')
      return json(
        404,
        { id: 'not_found', message: 'The resource you were accessing could not be found.' },
        rateHeaders,
      );
    return json(200, dropletPage(server.droplets, url.searchParams, options.linkBase ?? base), rateHeaders);
  };

  const receiver = await Receiver.start(route);
  base = receiver.url;
  const server: FakeDigitalOcean = {
    url: receiver.url,
    droplets: options.droplets ?? [],
    requests,
    rateLimitNext(count, resetInSeconds = 1) {
      limited = { count, reset: Math.round(Date.now() / 1000 + resetInSeconds) };
      return limited.reset;
    },
    failNext(count, status = 503) {
      failing = { count, status };
    },
    close: () => receiver.close(),
  };
  return server;
}

/** One page of GET /v2/droplets: `droplets`, `links.pages` (first/prev, next/last), `meta.total`. */
function dropletPage(all: readonly FakeDroplet[], query: URLSearchParams, base: string): unknown {
  const tag = query.get('tag_name');
  const matching = [...all]
    .filter((droplet) => tag === null || droplet.tags.includes(tag))
    .sort((a, b) => a.id - b.id);
  const perPage = Math.min(Math.max(Number(query.get('per_page') ?? 20) || 20, 1), 200);
  const page = Math.max(Number(query.get('page') ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(matching.length / perPage), 1);
  const link = (to: number) => {
    const target = new URL('/v2/droplets', base);
    target.searchParams.set('page', String(to));
    target.searchParams.set('per_page', String(perPage));
    if (tag !== null) target.searchParams.set('tag_name', tag);
    return target.href;
  };
  const pages: Record<string, string> = {};
  if (page > 1) Object.assign(pages, { first: link(1), prev: link(Math.min(page - 1, last)) });
  if (page < last) Object.assign(pages, { next: link(page + 1), last: link(last) });
  return {
    droplets: matching.slice((page - 1) * perPage, page * perPage).map(dropletJson),
    links: { pages },
    meta: { total: matching.length },
  };
}

function dropletJson(droplet: FakeDroplet): unknown {
  const v4 = [
    ...(droplet.privateIp
      ? [{ ip_address: droplet.privateIp, netmask: '255.255.240.0', gateway: '10.114.0.1', type: 'private' }]
      : []),
    ...(droplet.publicIp
      ? [{ ip_address: droplet.publicIp, netmask: '255.255.240.0', gateway: '203.0.113.1', type: 'public' }]
      : []),
  ];
  return {
    id: droplet.id,
    name: droplet.name,
    memory: 1024,
    vcpus: 1,
    disk: 25,
    locked: false,
    status: 'active',
    kernel: null,
    created_at: '2026-01-05T10:00:00Z',
    features: ['monitoring', 'private_networking'],
    backup_ids: [],
    next_backup_window: null,
    snapshot_ids: [],
    image: { id: 1, name: '24.04 (LTS) x64', distribution: 'Ubuntu', slug: 'ubuntu-24-04-x64', public: true },
    volume_ids: [],
    size_slug: 's-1vcpu-1gb',
    networks: { v4, v6: [] },
    region: { name: 'Frankfurt 1', slug: 'fra1', features: ['metadata'], available: true, sizes: [] },
    tags: droplet.tags,
    vpc_uuid: droplet.privateIp ? '5a4981aa-9653-4bd1-bef5-d6bff52042e4' : undefined,
  };
}

/** `count` droplets named `${prefix}-001`... with a public and a private address, carrying `tags`. */
export function fakeDroplets(count: number, prefix: string, tags: string[], firstId = 1000): FakeDroplet[] {
  return Array.from({ length: count }, (_, index) => ({
    id: firstId + index,
    name: `${prefix}-${String(index + 1).padStart(3, '0')}`,
    tags,
    publicIp: `203.0.${113 + Math.floor(index / 250)}.${(index % 250) + 1}`,
    privateIp: `10.114.${Math.floor(index / 250)}.${(index % 250) + 1}`,
  }));
}
