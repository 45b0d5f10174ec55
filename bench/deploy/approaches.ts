/**
 * The three ways the reference app reaches web, api and db, each as a `prepare` done once (not
 * timed: what a team sets up by hand once, such as nginx for the baselines) and a `deploy` of the
 * repository's HEAD (timed).
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../../src/workspace/git.js';
import { commitAll } from '../../test/helpers/repo.js';
import { waggleArgv } from '../support.js';
import { command } from './command.js';
import { type BenchHosts, DB_PORT, startHandWrittenNginx } from './hosts.js';

export interface Context {
  hosts: BenchHosts;
  /** The app's repository, on its branch riipen; the bench commits the one-line change to it. */
  repo: string;
  /** This approach's own folder for state, logs and the like. */
  dir: string;
  log: string;
  /** npm's cache, filled beforehand: the hosts install from it offline. */
  npmCache: string;
}

export interface Approach {
  prepare(): Promise<void>;
  /** Deploys the repository's HEAD; the seconds of its parts when it has several. */
  deploy(first: boolean): Promise<Record<string, number>>;
  /** Stops what runs on this machine rather than on the hosts. */
  stop?(): Promise<void>;
}

const here = (file: string) => new URL(`./${file}`, import.meta.url).pathname;
const mongodbUri = (hosts: BenchHosts) => `mongodb://${hosts.db.address}:${DB_PORT}`;

export function bashPerServer(ctx: Context): Approach {
  const { hosts } = ctx;
  const env = {
    SSH_KEY: hosts.fixture.clientKeyPath,
    KNOWN_HOSTS: hosts.fixture.knownHostsPath,
    NPM_CACHE: ctx.npmCache,
    MONGODB_URI: mongodbUri(hosts),
  };
  const server = (role: 'api' | 'web') => {
    const host = hosts[role];
    return command(
      ['bash', here('deploy-server.sh'), role, `root@${host.address}`, join(host.root, 'hivenue'), ctx.repo],
      { cwd: ctx.repo, env, log: ctx.log },
    );
  };
  return {
    prepare: () => startHandWrittenNginx(hosts),
    deploy: async () => ({ api: (await server('api')).seconds, web: (await server('web')).seconds }),
  };
}

export function pm2Deploy(ctx: Context): Approach {
  const { hosts } = ctx;
  const bare = join(ctx.dir, 'hivenue.git');
  const env = {
    BENCH_SSH_KEY: hosts.fixture.clientKeyPath,
    BENCH_KNOWN_HOSTS: hosts.fixture.knownHostsPath,
    BENCH_REPO: bare,
    BENCH_NPM_CACHE: ctx.npmCache,
    BENCH_API_ADDRESS: hosts.api.address,
    BENCH_API_ROOT: hosts.api.root,
    BENCH_WEB_ADDRESS: hosts.web.address,
    BENCH_WEB_ROOT: hosts.web.root,
    BENCH_DB_ADDRESS: hosts.db.address,
    // pm2's CLI on this machine keeps its own state away from the user's ~/.pm2.
    PM2_HOME: join(ctx.dir, 'pm2-local'),
  };
  const pm2 = (...args: string[]) =>
    command(['pm2', 'deploy', 'ecosystem.config.js', ...args], { cwd: ctx.repo, env, log: ctx.log });
  return {
    prepare: async () => {
      copyFileSync(here('ecosystem.config.js'), join(ctx.repo, 'ecosystem.config.js'));
      commitAll(ctx.repo, 'pm2 ecosystem: the services, and deploys to web and api');
      git(ctx.dir, ['clone', '--quiet', '--bare', ctx.repo, bare]);
      git(ctx.repo, ['remote', 'add', 'origin', bare]);
      git(ctx.repo, ['fetch', '--quiet', 'origin']);
      git(ctx.repo, ['branch', '--quiet', '--set-upstream-to', 'origin/riipen']);
      await startHandWrittenNginx(hosts);
    },
    deploy: async (first) => {
      const seconds: Record<string, number> = {};
      git(ctx.repo, ['push', '--quiet', 'origin', 'riipen']);
      if (first) {
        seconds['api setup'] = (await pm2('api', 'setup')).seconds;
        seconds['web setup'] = (await pm2('web', 'setup')).seconds;
      }
      seconds.api = (await pm2('api')).seconds;
      seconds.web = (await pm2('web')).seconds;
      return seconds;
    },
    stop: async () => {
      await command(['pm2', 'kill'], { cwd: ctx.dir, env, log: ctx.log }).catch(() => undefined);
    },
  };
}

export function waggleDeploy(ctx: Context): Approach {
  const { hosts } = ctx;
  const home = join(ctx.dir, 'waggle-home');
  const env = { WAGGLE_HOME: home };
  const waggle = (...args: string[]) => command(waggleArgv(...args), { cwd: ctx.repo, env, log: ctx.log });
  return {
    prepare: async () => {
      mkdirSync(home, { recursive: true });
      const file = join(ctx.repo, 'waggle.yml');
      const config = readFileSync(file, 'utf8');
      const host = (name: 'web' | 'api' | 'db') => {
        const h = hosts[name];
        return `      - { name: ${name}, address: ${h.address}, user: root, key: ${hosts.fixture.clientKeyPath}, hostKey: "${h.hostKeyFingerprint}", roles: [${name}] }`;
      };
      const variables = (name: string) =>
        `      ${name}: { HOST: 0.0.0.0, MONGODB_URI: "mongodb://\${{ hosts.db }}:${DB_PORT}" }`;
      const environment = [
        'environments:',
        '  bench:',
        // An SSH host takes no folder of its own: the hosts share this machine's filesystem, so
        // they share one base, where their roles keep apart (api: services, web: site and nginx).
        `    base: ${join(hosts.fixture.dir, 'srv')}`,
        '    hosts:',
        host('web'),
        host('api'),
        host('db'),
        '    env:',
        ...['ai-model', 'platform', 'billing', 'admin'].map(variables),
        '',
      ].join('\n');
      const start = config.indexOf('\nenvironments:');
      if (start < 0) throw new Error('the reference app\'s waggle.yml has no "environments:" section');
      writeFileSync(file, `${config.slice(0, start + 1)}${environment}`);
      commitAll(ctx.repo, 'waggle.yml: the bench environment (web, api, db over SSH)');
    },
    deploy: async () => {
      const run = await waggle('run', '--until', 'package', '--no-notify', '--json');
      const id = (JSON.parse(run.stdout) as { run: number }).run;
      const deploy = await waggle('deploy', 'bench', '--run', String(id), '--no-notify');
      return { 'waggle run --until package': run.seconds, 'waggle deploy': deploy.seconds };
    },
  };
}
