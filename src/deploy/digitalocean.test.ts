/**
 * The DigitalOcean inventory against a server speaking the API as documented: roles, networks,
 * refused tokens, rate limits, failures and retries. Every error is checked for the token.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type FakeDigitalOcean,
  fakeDroplets,
  startFakeDigitalOcean,
} from '../../test/helpers/fake-digitalocean.js';
import { Receiver } from '../../test/helpers/receivers.js';
import { type Clock, systemClock } from '../clock.js';
import { BadInputError, FailedOperationError } from '../errors.js';
import { type DigitalOceanInventory, digitalOceanHosts } from './digitalocean.js';

const TOKEN = `dop_v1_${'7f3a'.repeat(16)}`;
const TAG = 'hivenue-prod';

/** The system's time, with waits that return at once and are only noted. */
function notingClock(): Clock & { waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    now: () => Date.now(),
    sleep: async (ms) => {
      waits.push(ms);
    },
  };
}

function inventory(overrides: Partial<DigitalOceanInventory> = {}): DigitalOceanInventory {
  return {
    tag: TAG,
    token: TOKEN,
    user: 'deploy',
    network: 'public',
    roleTagPrefix: 'waggle-role-',
    where: 'environments.production.hosts.digitalocean',
    tokenFrom: 'secrets.DIGITALOCEAN_ACCESS_TOKEN',
    ...overrides,
  };
}

/** The error `promise` rejects with, after checking that neither it nor its causes show a token. */
async function failure(promise: Promise<unknown>, ...tokens: string[]): Promise<Error> {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(Error);
  for (const token of [TOKEN, ...tokens]) expect(inspect(error, { depth: 10 })).not.toContain(token);
  return error as Error;
}

describe('DigitalOcean inventory', () => {
  let api: FakeDigitalOcean;
  beforeEach(async () => {
    api = await startFakeDigitalOcean({ token: TOKEN });
  });
  afterEach(() => api.close());

  it('gives each droplet the roles of its role tags, all roles without one, sorted by name', async () => {
    api.droplets = [
      { id: 3, name: 'web-1', tags: [TAG, 'waggle-role-web'], publicIp: '203.0.113.3' },
      { id: 1, name: 'api-1', tags: ['waggle-role-db', TAG, 'waggle-role-api'], publicIp: '203.0.113.1' },
      { id: 2, name: 'all-in-one', tags: ['monitoring', TAG], publicIp: '203.0.113.2' },
      { id: 4, name: 'staging-1', tags: ['staging', 'waggle-role-web'], publicIp: '203.0.113.4' },
    ];
    const hosts = await digitalOceanHosts(inventory({ key: '/keys/deploy' }), { api: api.url });
    expect(hosts).toEqual([
      {
        name: 'all-in-one',
        roles: ['web', 'api', 'db'],
        address: '203.0.113.2',
        port: 22,
        user: 'deploy',
        key: '/keys/deploy',
      },
      {
        name: 'api-1',
        roles: ['api', 'db'],
        address: '203.0.113.1',
        port: 22,
        user: 'deploy',
        key: '/keys/deploy',
      },
      {
        name: 'web-1',
        roles: ['web'],
        address: '203.0.113.3',
        port: 22,
        user: 'deploy',
        key: '/keys/deploy',
      },
    ]);
  });

  it('reads roles with the configured prefix', async () => {
    api.droplets = [
      { id: 1, name: 'db-1', tags: [TAG, 'role:db', 'waggle-role-web'], publicIp: '203.0.113.1' },
    ];
    const hosts = await digitalOceanHosts(inventory({ roleTagPrefix: 'role:' }), { api: api.url });
    expect(hosts.map((host) => host.roles)).toEqual([['db']]);
  });

  it('refuses a role tag that names no role', async () => {
    api.droplets = [{ id: 1, name: 'cache-1', tags: [TAG, 'waggle-role-cache'], publicIp: '203.0.113.1' }];
    const error = await failure(digitalOceanHosts(inventory(), { api: api.url }));
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.message).toBe(
      'droplet cache-1 is tagged waggle-role-cache, which names no role; the roles are web, api, db',
    );
  });

  it('connects over the public or the private network, as configured', async () => {
    api.droplets = [{ id: 1, name: 'app-1', tags: [TAG], publicIp: '203.0.113.7', privateIp: '10.114.0.7' }];
    const [publicHost] = await digitalOceanHosts(inventory(), { api: api.url });
    const [privateHost] = await digitalOceanHosts(inventory({ network: 'private' }), { api: api.url });
    expect(publicHost?.address).toBe('203.0.113.7');
    expect(privateHost?.address).toBe('10.114.0.7');
  });

  it('names a droplet without an address on the chosen network', async () => {
    api.droplets = [
      { id: 1, name: 'app-1', tags: [TAG], publicIp: '203.0.113.1', privateIp: '10.114.0.1' },
      { id: 2, name: 'app-2', tags: [TAG], publicIp: '203.0.113.2' },
    ];
    const error = await failure(digitalOceanHosts(inventory({ network: 'private' }), { api: api.url }));
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.message).toBe(
      'droplet app-2 (id 2) has no private IPv4 address; give it one, or choose the other network in environments.production.hosts.digitalocean.network',
    );
  });

  it('names the tag when no droplet carries it', async () => {
    api.droplets = fakeDroplets(3, 'staging', ['staging']);
    const error = await failure(digitalOceanHosts(inventory(), { api: api.url }));
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.message).toBe(
      "environments.production.hosts.digitalocean.tag: no droplets are tagged hivenue-prod; tag the environment's droplets with it, or correct the tag",
    );
  });

  it('refuses two droplets of one name: host names are unique', async () => {
    api.droplets = [
      { id: 8, name: 'app', tags: [TAG], publicIp: '203.0.113.1' },
      { id: 9, name: 'app', tags: [TAG], publicIp: '203.0.113.2' },
    ];
    const error = await failure(digitalOceanHosts(inventory(), { api: api.url }));
    expect(error.message).toContain('droplets 8 and 9 (tagged hivenue-prod) are both named app');
  });

  it('says a refused token (401) needs read access to droplets, and never shows it', async () => {
    api.droplets = fakeDroplets(2, 'app', [TAG]);
    const wrong = `dop_v1_${'0bad'.repeat(16)}`;
    const error = await failure(digitalOceanHosts(inventory({ token: wrong }), { api: api.url }), wrong);
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.message).toBe(
      'environments.production.hosts.digitalocean.token: DigitalOcean refused the token (secrets.DIGITALOCEAN_ACCESS_TOKEN) (401 Unauthorized: Unable to authenticate you): it is mistyped, revoked or expired; use a token with read access to droplets (scopes droplet:read and tag:read)',
    );
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${wrong}`);
  });

  it('refuses a token with spaces inside before sending it, and trims one around it', async () => {
    api.droplets = fakeDroplets(1, 'app', [TAG]);
    const error = await failure(
      digitalOceanHosts(inventory({ token: `${TOKEN.slice(0, 20)}\n${TOKEN.slice(20)}` }), { api: api.url }),
      TOKEN.slice(0, 20),
      TOKEN.slice(20),
    );
    expect(error.message).toBe(
      'environments.production.hosts.digitalocean.token holds spaces or control characters; a DigitalOcean token is one word',
    );
    expect(api.requests).toHaveLength(0);
    await expect(
      digitalOceanHosts(inventory({ token: `${TOKEN}\n` }), { api: api.url }),
    ).resolves.toHaveLength(1);
  });

  it('waits until the rate limit resets, then lists the droplets', async () => {
    api.droplets = fakeDroplets(2, 'app', [TAG]);
    // Start a fifth into a second: the reset (a whole second) is then ~0.8 s ahead, a wait no
    // backoff would happen to match.
    await delay((1200 - (Date.now() % 1000)) % 1000);
    const reset = api.rateLimitNext(1, 1);
    const waits: number[] = [];
    const clock: Clock = {
      now: () => systemClock.now(),
      sleep: (ms, signal) => {
        waits.push(ms);
        return systemClock.sleep(ms, signal);
      },
    };
    const started = Date.now();
    const hosts = await digitalOceanHosts(inventory(), { api: api.url, clock });
    expect(hosts.map((host) => host.name)).toEqual(['app-001', 'app-002']);
    expect(api.requests).toHaveLength(2);
    // The wait ran to the reset time, not a backoff of its own; timers may fire a millisecond
    // early by Date.now().
    expect(waits).toHaveLength(1);
    expect(Math.abs((waits[0] ?? 0) - (reset * 1000 - (api.requests[0]?.at ?? 0)))).toBeLessThan(100);
    expect(api.requests[1]?.at).toBeGreaterThanOrEqual(reset * 1000 - 5);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('waits a minute at most for a rate limit, and gives up after a bounded number of tries', async () => {
    api.droplets = fakeDroplets(2, 'app', [TAG]);
    api.rateLimitNext(100, 3600);
    const clock = notingClock();
    const error = await failure(digitalOceanHosts(inventory(), { api: api.url, clock }));
    expect(error).toBeInstanceOf(FailedOperationError);
    expect(error.message).toMatch(
      /^DigitalOcean: the API rate limit for this token is used up \(429 Too Many Requests\); it resets at \d{4}-\d\d-\d\dT[\d:.]+Z, still after 5 attempts; try again later$/,
    );
    expect(clock.waits).toEqual([60_000, 60_000, 60_000, 60_000]);
    expect(api.requests).toHaveLength(5);
  });

  it('stops waiting for a rate limit as soon as the signal aborts', async () => {
    api.droplets = fakeDroplets(2, 'app', [TAG]);
    api.rateLimitNext(1, 30);
    const controller = new AbortController();
    const reason = new Error('deploy cancelled');
    // Aborted once the wait for the reset has begun, not after a guess at when that will be.
    const clock: Clock = {
      now: () => systemClock.now(),
      sleep: (ms, signal) => {
        const waiting = systemClock.sleep(ms, signal);
        controller.abort(reason);
        return waiting;
      },
    };
    const started = Date.now();
    await expect(
      digitalOceanHosts(inventory(), { api: api.url, signal: controller.signal, clock }),
    ).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(api.requests).toHaveLength(1);
  });

  it('retries a 5xx with growing waits, then lists the droplets', async () => {
    api.droplets = fakeDroplets(2, 'app', [TAG]);
    api.failNext(2, 503);
    const clock = notingClock();
    const hosts = await digitalOceanHosts(inventory(), { api: api.url, clock });
    expect(hosts).toHaveLength(2);
    expect(clock.waits).toEqual([1000, 2000]);
    expect(api.requests).toHaveLength(3);
  });

  it('gives up on a 5xx that persists after a bounded number of tries', async () => {
    api.droplets = fakeDroplets(2, 'app', [TAG]);
    api.failNext(100, 500);
    const clock = notingClock();
    const error = await failure(digitalOceanHosts(inventory(), { api: api.url, clock }));
    expect(error).toBeInstanceOf(FailedOperationError);
    expect(error.message).toBe(
      'DigitalOcean: answered 500: Unexpected server-side error, still after 5 attempts; try again later',
    );
    expect(clock.waits).toEqual([1000, 2000, 4000, 8000]);
  });

  it('retries when the API cannot be reached, then says why', async () => {
    const closed = createServer().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const clock = notingClock();
    const error = await failure(digitalOceanHosts(inventory(), { api: `http://127.0.0.1:${port}`, clock }));
    expect(error).toBeInstanceOf(FailedOperationError);
    expect(error.message).toMatch(/^DigitalOcean: no answer \(.*ECONNREFUSED.*\), still after 5 attempts/);
    expect(clock.waits).toHaveLength(4);
  });

  it('refuses a list that changed between its pages rather than miss a droplet', async () => {
    api.droplets = fakeDroplets(250, 'app', [TAG]);
    // A droplet is destroyed while the first page is read: the second page shifts by one.
    const fetchThenDestroy: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      api.droplets = api.droplets.filter((droplet) => droplet.name !== 'app-010');
      return response;
    };
    const error = await failure(digitalOceanHosts(inventory(), { api: api.url, fetch: fetchThenDestroy }));
    expect(error.message).toBe(
      'DigitalOcean: the droplets tagged hivenue-prod changed while they were listed (250, then 249); try again',
    );
  });

  it('does not follow a next page to another origin: the token goes only to the API', async () => {
    const elsewhere = await Receiver.start();
    const api2 = await startFakeDigitalOcean({
      token: TOKEN,
      droplets: fakeDroplets(250, 'app', [TAG]),
      linkBase: elsewhere.url,
    });
    try {
      const error = await failure(digitalOceanHosts(inventory(), { api: api2.url }));
      expect(error.message).toBe(
        `DigitalOcean: the droplet list's next page is not on ${api2.url}; the token is only sent there`,
      );
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await api2.close();
      await elsewhere.close();
    }
  });

  it('says so when the answer is not a droplet list', async () => {
    const page = await Receiver.start(() => ({
      status: 200,
      body: '<html>Welcome</html>',
      headers: { 'content-type': 'text/html' },
    }));
    try {
      const error = await failure(digitalOceanHosts(inventory(), { api: page.url }));
      expect(error.message).toBe(
        `DigitalOcean: the answer from ${page.url} is not a droplet list; is that the DigitalOcean API?`,
      );
    } finally {
      await page.close();
    }
  });
});
