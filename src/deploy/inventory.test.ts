/**
 * An environment's hosts from waggle.yml as parsed: static lists with their vars and secrets,
 * and a DigitalOcean tag read from a server speaking the API as documented.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type FakeDigitalOcean,
  fakeDroplets,
  startFakeDigitalOcean,
} from '../../test/helpers/fake-digitalocean.js';
import { configSchema, type EnvironmentConfig } from '../config/schema.js';
import { MissingVariableError } from '../config/secrets.js';
import { BadInputError } from '../errors.js';
import { resolveHosts } from './inventory.js';

const HOST_KEY = `SHA256:${'q'.repeat(43)}`;

/** The `staging` environment of a waggle.yml with these hosts, defaults filled in by the schema. */
function environment(hosts: unknown): EnvironmentConfig {
  const config = configSchema.parse({
    name: 'hivenue',
    packages: { api: { path: 'api' } },
    environments: { staging: { hosts } },
  });
  return config.environments.staging as EnvironmentConfig;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (reason: Error) => reason,
  );
}

describe('static hosts', () => {
  it('reads vars and secrets into each host, with the defaults of waggle.yml', async () => {
    const hosts = environment([
      {
        name: 'app-1',
        address: '${{ vars.APP_IP }}',
        key: '${{ secrets.SSH_KEY }}',
        hostKey: HOST_KEY,
        roles: ['web', 'api'],
      },
      { name: 'db-1', address: 'db.internal', user: '${{ vars.DB_USER }}', port: 2222, roles: ['db'] },
      { name: 'local', path: '/srv/waggle/${{ vars.SLOT }}', roles: ['web', 'api', 'db'] },
    ]);
    const env = { APP_IP: '10.0.0.5', SSH_KEY: 'PRIVATE KEY BYTES', DB_USER: 'mongo', SLOT: 'a' };
    expect(await resolveHosts('staging', hosts, env)).toEqual([
      {
        name: 'app-1',
        roles: ['web', 'api'],
        address: '10.0.0.5',
        port: 22,
        user: 'root',
        key: 'PRIVATE KEY BYTES',
        hostKey: HOST_KEY,
      },
      { name: 'db-1', roles: ['db'], address: 'db.internal', port: 2222, user: 'mongo' },
      { name: 'local', roles: ['web', 'api', 'db'], port: 22, user: 'root', path: '/srv/waggle/a' },
    ]);
  });

  it('names a missing secret and where it is used, and shows no value', async () => {
    const hosts = environment([
      { name: 'app-1', address: '${{ vars.APP_IP }}', key: '${{ secrets.SSH_KEY }}', roles: ['web'] },
    ]);
    const error = await failure(resolveHosts('staging', hosts, { APP_IP: '10.0.0.5', OTHER: 'hunter2' }));
    expect(error).toBeInstanceOf(MissingVariableError);
    expect((error as MissingVariableError).variable).toBe('SSH_KEY');
    expect(error.message).toBe('environments.staging.hosts[0].key: environment variable SSH_KEY is not set');
  });

  it('names a variable that is set but empty', async () => {
    const hosts = environment([{ name: 'app-1', address: '${{ vars.APP_IP }}', roles: ['web'] }]);
    const error = await failure(resolveHosts('staging', hosts, { APP_IP: '' }));
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.message).toBe('environments.staging.hosts[0].address is empty (APP_IP is set, but empty)');
  });

  it('names a host with neither an address nor a path by its place', async () => {
    const hosts = environment([
      { name: 'app-1', address: '10.0.0.5', roles: ['web'] },
      { name: 'app-2', roles: ['api'] },
    ]);
    const error = await failure(resolveHosts('staging', hosts, {}));
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.message).toBe(
      'environments.staging.hosts[1]: app-2 has neither an address (a server reached over SSH) nor a path (a folder on this machine); give it one',
    );
  });

  it('refuses two hosts of one name', async () => {
    const hosts = environment([
      { name: 'app', address: '10.0.0.5', roles: ['web'] },
      { name: 'db', address: '10.0.0.6', roles: ['db'] },
      { name: 'app', address: '10.0.0.7', roles: ['api'] },
    ]);
    const error = await failure(resolveHosts('staging', hosts, {}));
    expect(error.message).toBe(
      'environments.staging.hosts[2].name: app is already the name of environments.staging.hosts[0]; host names must be unique in an environment',
    );
  });

  it('refuses an address that SSH would take for an option, without showing it', async () => {
    const hosts = environment([{ name: 'app', address: '${{ secrets.APP_ADDRESS }}', roles: ['web'] }]);
    const error = await failure(
      resolveHosts('staging', hosts, { APP_ADDRESS: '-oProxyCommand=touch /tmp/x' }),
    );
    expect(error.message).toBe(
      'environments.staging.hosts[0].address is not a host name or IP address: it starts with "-" or holds spaces or control characters',
    );
  });
});

describe('DigitalOcean hosts', () => {
  const TOKEN = `dop_v1_${'5ec2'.repeat(16)}`;
  const tagged = (extra: Record<string, unknown> = {}) =>
    environment({
      digitalocean: {
        tag: '${{ vars.DO_TAG }}',
        token: '${{ secrets.DIGITALOCEAN_ACCESS_TOKEN }}',
        key: '${{ secrets.SSH_KEY }}',
        ...extra,
      },
    });
  const env = { DO_TAG: 'hivenue-prod', DIGITALOCEAN_ACCESS_TOKEN: TOKEN, SSH_KEY: 'KEY' };
  let api: FakeDigitalOcean;
  beforeEach(async () => {
    api = await startFakeDigitalOcean({ token: TOKEN });
  });
  afterEach(() => api.close());

  it('lists the 250 droplets of the tag over two pages, sorted by name', async () => {
    // Created out of name order, with droplets of another environment between them.
    api.droplets = [
      ...fakeDroplets(120, 'prod', ['hivenue-prod'], 5000),
      ...fakeDroplets(40, 'staging', ['hivenue-staging'], 3000),
      ...fakeDroplets(130, 'app', ['hivenue-prod', 'waggle-role-api'], 1000),
    ];
    const hosts = await resolveHosts('production', tagged(), env, { digitalOceanApi: api.url });
    expect(hosts).toHaveLength(250);
    expect(hosts[0]).toEqual({
      name: 'app-001',
      roles: ['api'],
      address: '203.0.113.1',
      port: 22,
      user: 'root',
      key: 'KEY',
    });
    expect(hosts[249]).toMatchObject({ name: 'prod-120', roles: ['web', 'api', 'db'] });
    const names = hosts.map((host) => host.name);
    expect(names).toEqual([...names].sort());
    expect(names.some((name) => name.startsWith('staging'))).toBe(false);

    expect(api.requests.map((request) => [request.path, Object.fromEntries(request.query)])).toEqual([
      ['/v2/droplets', { tag_name: 'hivenue-prod', per_page: '200' }],
      ['/v2/droplets', { page: '2', per_page: '200', tag_name: 'hivenue-prod' }],
    ]);
    for (const request of api.requests) expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('takes the private addresses when the network is private', async () => {
    api.droplets = fakeDroplets(2, 'app', ['hivenue-prod']);
    const hosts = await resolveHosts('production', tagged({ network: 'private' }), env, {
      digitalOceanApi: api.url,
    });
    expect(hosts.map((host) => host.address)).toEqual(['10.114.0.1', '10.114.0.2']);
  });

  it('names a missing token secret, and asks nothing of the API', async () => {
    const error = await failure(
      resolveHosts(
        'production',
        tagged(),
        { DO_TAG: 'hivenue-prod', SSH_KEY: 'KEY' },
        { digitalOceanApi: api.url },
      ),
    );
    expect(error).toBeInstanceOf(MissingVariableError);
    expect(error.message).toBe(
      'environments.production.hosts.digitalocean.token: environment variable DIGITALOCEAN_ACCESS_TOKEN is not set',
    );
    expect(api.requests).toHaveLength(0);
  });
});
