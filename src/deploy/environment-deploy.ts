/**
 * One release of the app to an environment: each service to the api hosts (health-checked, the
 * previous release back on failure), the site to the web hosts (an atomic link swap), then nginx
 * on the web hosts, rendered from what now runs where. When one service fails, the services
 * already moved in this deploy go back too: the environment never runs a mix of two releases.
 */

import { posix } from 'node:path';
import type { EnvironmentConfig, PackageConfig } from '../config/schema.js';
import { parseDuration } from '../config/units.js';
import { toArgv } from '../exec/argv.js';
import { HostNginx, type HostNginxOptions } from '../router/nginx.js';
import type { NginxState } from '../router/nginx-config.js';
import { siteFolder } from '../workspace/artifact.js';
import type { HealthAnswer } from './health-check.js';
import { HostReleases, type ReleaseFacts, releaseId, releasePaths } from './releases.js';
import { deployService, restoreRelease, type ServiceRelease } from './service-deploy.js';
import { serviceVariables } from './service-env.js';
import { serviceManager } from './service-manager.js';
import type { HostTransport } from './transports.js';

export interface DeployArtifact {
  package: string;
  file: string;
  sha256: string;
}

export interface EnvironmentDeploy {
  app: string;
  environmentName: string;
  environment: EnvironmentConfig;
  packages: Readonly<Record<string, PackageConfig>>;
  hosts: readonly HostTransport[];
  artifacts: readonly DeployArtifact[];
  source: { run: number; commit: string };
  /** Where `${{ secrets.X }}` of the services' variables are read. */
  env: NodeJS.ProcessEnv;
  now?: Date;
  signal?: AbortSignal;
  log?: (line: string) => void;
  nginx?: HostNginxOptions;
}

export interface PlacedRelease {
  host: string;
  package: string;
  release: string;
}

export type EnvironmentOutcome =
  | { status: 'deployed'; release: string; url: string; placed: PlacedRelease[] }
  | {
      status: 'failed';
      release: string;
      /** What failed, for people: the host, the package, the answer, the last log lines. */
      failure: { host: string; package: string; health?: HealthAnswer; lastLines?: string; message: string };
      /** Releases put back where this deploy had moved them. */
      restored: PlacedRelease[];
    };

export async function deployEnvironment(input: EnvironmentDeploy): Promise<EnvironmentOutcome> {
  const log = input.log ?? (() => {});
  const id = releaseId(input.now ?? new Date(), input.source.run, input.source.commit);
  const byPackage = new Map(input.artifacts.map((a) => [a.package, a]));
  const withRole = (role: 'web' | 'api') => input.hosts.filter((h) => h.host.roles.includes(role));
  const facts = (pkg: string, sha256: string): ReleaseFacts => ({
    id,
    package: pkg,
    sha256,
    commit: input.source.commit,
    run: input.source.run,
  });
  const services = Object.entries(input.packages).filter(([, pkg]) => pkg.service);
  const sites = Object.entries(input.packages).filter(([, pkg]) => pkg.site);
  for (const [name] of [...services, ...sites])
    if (!byPackage.has(name)) throw new Error(`run ${input.source.run} has no artifact of ${name} to deploy`);

  // Services first: when one fails, the ones already moved go back to what they ran.
  const moved: MovedService[] = [];
  for (const on of withRole('api')) {
    for (const [name, pkg] of services) {
      const artifact = byPackage.get(name) as DeployArtifact;
      const running = serviceOn(input, on, name, pkg);
      const previous = await running.releases.current();
      const outcome = await deployService({
        ...running,
        artifact,
        facts: facts(name, artifact.sha256),
        variables: serviceVariables({ pkg: name, config: pkg, ...input, on }),
        keepReleases: input.environment.keepReleases,
        log,
      });
      const placed = { host: on.host.name, package: name, release: id };
      if (outcome.status === 'deployed') {
        moved.push({ running, previous, placed });
        continue;
      }
      const restored = await restoreMoved(moved, log);
      return {
        status: 'failed',
        release: id,
        failure: {
          host: on.host.name,
          package: name,
          health: outcome.health,
          lastLines: outcome.lastLines,
          message: `${name} on ${on.host.name} failed its health check: ${outcome.health.status ?? 'no answer'} ${outcome.health.body.slice(0, 300)}`,
        },
        restored,
      };
    }
  }

  const placed = moved.map((m) => m.placed);
  for (const on of withRole('web')) {
    for (const [name] of sites) {
      const artifact = byPackage.get(name) as DeployArtifact;
      const releases = releasesOn(input, on, name);
      await releases.install(artifact.file, facts(name, artifact.sha256), input.signal);
      // nginx serves `current`: the swap is the switch, no reload needed.
      await releases.activate(id);
      await releases.prune(input.environment.keepReleases);
      placed.push({ host: on.host.name, package: name, release: id });
      log(`${on.host.name}: site ${name} now ${id}`);
    }
    const nginx = new HostNginx(on.transport, posix.join(on.base, input.app, 'nginx'), input.nginx);
    const applied = await nginx.apply(routerState(input, on));
    log(`${on.host.name}: nginx ${applied.action} (config ${applied.version})`);
  }
  return { status: 'deployed', release: id, url: environmentUrl(input), placed };
}

/** A service as it runs on one host: enough to start it from a release and check it. */
export type RunningService = Pick<
  ServiceRelease,
  'transport' | 'releases' | 'manager' | 'service' | 'health' | 'signal'
>;

/** A service this deploy (or rollback) moved, and the release it ran before. */
export interface MovedService {
  running: RunningService;
  previous: string | undefined;
  placed: PlacedRelease;
}

/** A package's releases on a host. */
export function releasesOn(
  input: Pick<EnvironmentDeploy, 'app'>,
  on: HostTransport,
  name: string,
): HostReleases {
  return new HostReleases(on.transport, releasePaths(on.base, input.app, name));
}

/** The environment's service `name` on a host: its releases, what runs it, and how it is checked. */
export function serviceOn(
  input: Pick<EnvironmentDeploy, 'app' | 'environment' | 'signal'>,
  on: HostTransport,
  name: string,
  pkg: PackageConfig,
): RunningService {
  const service = pkg.service as NonNullable<PackageConfig['service']>;
  return {
    transport: on.transport,
    releases: releasesOn(input, on, name),
    manager: serviceManager(input, on),
    service: {
      name: `${input.app}-${name}`,
      start: toArgv(service.start),
      port: service.port,
      health: service.health,
      hostHeader: input.environment.router.serverName,
    },
    health: {
      timeoutMs: parseDuration(input.environment.health.timeout),
      withinMs: parseDuration(input.environment.health.within),
      intervalMs: 500,
    },
    signal: input.signal,
  };
}

/** Puts the moved services back on what they ran, newest move first; what each runs again. */
export async function restoreMoved(
  moved: readonly MovedService[],
  log: (line: string) => void,
): Promise<PlacedRelease[]> {
  const restored: PlacedRelease[] = [];
  for (const { running, previous, placed } of [...moved].reverse()) {
    if (!previous) {
      await running.manager.stop(running.service.name);
      log(`${placed.host}: ${placed.package} stopped (it had no release before this one)`);
      continue;
    }
    const health = await restoreRelease(running, previous);
    restored.push({ ...placed, release: previous });
    log(
      `${placed.host}: ${placed.package} back on ${previous}${health.ok ? '' : ' (which does not answer either)'}`,
    );
  }
  return restored;
}

/** nginx on a web host: the site's current release, and each service on every api host. */
export function routerState(
  input: Pick<EnvironmentDeploy, 'app' | 'environment' | 'packages' | 'hosts'>,
  on: HostTransport,
): NginxState {
  const { router } = input.environment;
  const prefix = posix.join(on.base, input.app, 'nginx');
  const site = Object.entries(input.packages).find(([, pkg]) => pkg.site);
  const apiHosts = input.hosts.filter((h) => h.host.roles.includes('api'));
  return {
    prefix,
    listen: {
      http: router.port,
      ...(router.https ? { https: router.https.port } : {}),
      ...(router.address ? { address: router.address } : {}),
    },
    ...(router.serverName ? { serverName: router.serverName } : {}),
    // A package that is a service and a site holds its site in a folder of its release.
    ...(site
      ? { site: { root: posix.join(on.base, input.app, site[0], 'current', siteFolder(site[1])) } }
      : {}),
    apis: Object.entries(input.packages)
      .filter(([, pkg]) => pkg.service)
      .map(([name, pkg]) => ({
        name,
        upstreams: apiHosts.map((api) => ({
          address: api === on ? '127.0.0.1' : api.address,
          port: (pkg.service as NonNullable<PackageConfig['service']>).port,
        })),
      })),
    ...(router.https
      ? { tls: { certificate: router.https.certificate, key: router.https.key, hsts: router.https.hsts } }
      : {}),
    accessLog: posix.join(prefix, 'logs', 'access.json'),
  };
}

/** The environment's URL: as configured, else the first web host's nginx. */
export function environmentUrl(input: Pick<EnvironmentDeploy, 'environment' | 'hosts'>): string {
  if (input.environment.url) return input.environment.url;
  const web = input.hosts.find((h) => h.host.roles.includes('web'));
  const { router } = input.environment;
  const address = web?.address ?? '127.0.0.1';
  const host = address.includes(':') ? `[${address}]` : address;
  return router.https
    ? `https://${host}${router.https.port === 443 ? '' : `:${router.https.port}`}`
    : `http://${host}${router.port === 80 ? '' : `:${router.port}`}`;
}
