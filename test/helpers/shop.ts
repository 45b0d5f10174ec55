/**
 * The shop fixture deployed to a one-host staging on this machine: a repository of it with this
 * machine's ports and host folder in waggle.yml, the CLI run inside it, and the host's pm2 and
 * nginx stopped when the test is done.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalTransport } from '../../src/deploy/local-transport.js';
import { Pm2 } from '../../src/deploy/pm2.js';
import { HostNginx } from '../../src/router/nginx.js';
import { type CliResult, waggle } from './cli.js';
import { freePort } from './ports.js';
import { commitAll, FIXTURES, repoFrom } from './repo.js';

export interface ShopStaging {
  /** The test's folder: the repository's state (`home`) and the host live under it. */
  dir: string;
  repo: string;
  /** WAGGLE_HOME of the CLI runs. */
  home: string;
  /** The host's folder: releases, pm2's home and nginx under `shop/`. */
  host: string;
  /** nginx on the host. */
  url: string;
  /** The CLI in the repository. */
  waggle(args: string[]): Promise<CliResult>;
  /** What the shop's API answers through nginx. */
  api(): Promise<unknown>;
  /** Stops the host's pm2 and nginx. */
  stop(): Promise<void>;
}

export async function shopStaging(options: {
  /** Names the test's temporary folder. */
  name: string;
  /** Variables of the CLI runs: the secrets waggle.yml names. */
  env: Readonly<Record<string, string>>;
  /** Changes waggle.yml further, after the ports and folder are in. */
  config?: (text: string) => string;
}): Promise<ShopStaging> {
  const dir = mkdtempSync(join(tmpdir(), `waggle-${options.name}-`));
  chmodSync(dir, 0o755); // nginx's workers read the site as nobody, as under /srv
  const host = join(dir, 'host');
  const home = join(dir, 'home');
  const repo = repoFrom(join(FIXTURES, 'shop'));
  const web = await freePort();
  const url = `http://127.0.0.1:${web}`;
  const config = readFileSync(join(repo, 'waggle.yml'), 'utf8')
    .replace('API_PORT', String(await freePort()))
    .replace('WEB_PORT', String(web))
    .replace('HOST_FOLDER', host);
  writeFileSync(join(repo, 'waggle.yml'), options.config ? options.config(config) : config);
  commitAll(repo, 'ports and folder of this machine');
  return {
    dir,
    repo,
    home,
    host,
    url,
    waggle: (args) => waggle(args, { cwd: repo, env: { WAGGLE_HOME: home, ...options.env } }),
    api: async () => (await fetch(`${url}/api/api/orders`)).json(),
    stop: async () => {
      const transport = new LocalTransport('staging-1', host);
      await new Pm2(transport, join(host, 'shop', '.pm2')).kill();
      await new HostNginx(transport, join(host, 'shop', 'nginx')).stop().catch(() => false);
    },
  };
}
