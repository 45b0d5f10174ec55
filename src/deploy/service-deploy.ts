/**
 * One service's release on one host: install the artifact, write its env file, start it from the
 * new release, and only when its health check passes point `current` at it. When the check
 * fails, the previous release is started again (the host keeps serving what it served) and the
 * failing answer and the service's last log lines are reported.
 */
import { posix } from 'node:path';
import { envFileText } from './env-file.js';
import { checkHealth, type HealthAnswer, type HealthCheck } from './health-check.js';
import type { HostReleases, ReleaseFacts } from './releases.js';
import type { ServiceManager } from './service-manager.js';
import type { Transport } from './transport.js';

export interface ServiceRelease {
  transport: Transport;
  releases: HostReleases;
  /** pm2 or systemd: what keeps the service running on its host. */
  manager: ServiceManager;
  artifact: { file: string; sha256: string };
  facts: ReleaseFacts;
  service: { name: string; start: readonly string[]; port: number; health: string; hostHeader?: string };
  /** Everything the service reads from its environment, secrets included: goes to shared/.env only. */
  variables: Readonly<Record<string, string>>;
  health: Omit<HealthCheck, 'url' | 'hostHeader'>;
  keepReleases: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export type ServiceOutcome =
  | { status: 'deployed'; release: string; health: HealthAnswer }
  | {
      status: 'rolled-back';
      release: string;
      /** What runs now: the previous release, or nothing when there was none. */
      running: string | undefined;
      health: HealthAnswer;
      lastLines: string;
    };

export async function deployService(input: ServiceRelease): Promise<ServiceOutcome> {
  const { releases, manager, service, facts } = input;
  const log = input.log ?? (() => {});
  const installed = await releases.install(input.artifact.file, facts, input.signal);
  log(
    `${input.transport.name}: release ${facts.id} ${installed === 'installed' ? 'installed' : 'already there'}`,
  );
  await input.transport.writeFile(envFileOf(releases), envFileText(input.variables), 0o600);

  const previous = await releases.current();
  const startFrom = (id: string) => startRelease(input, id);
  const check = () => checkService(input);

  await startFrom(facts.id);
  const health = await check();
  if (health.ok) {
    await releases.activate(facts.id);
    const removed = await releases.prune(input.keepReleases);
    log(
      `${input.transport.name}: ${service.name} runs ${facts.id} (health ${health.status})${removed.length ? `; removed ${removed.join(', ')}` : ''}`,
    );
    return { status: 'deployed', release: facts.id, health };
  }

  const lastLines = await manager.lastLines({
    name: service.name,
    logDir: posix.join(releases.paths.shared, 'logs'),
  });
  log(
    `${input.transport.name}: ${service.name} failed its health check (${health.status ?? 'no answer'}: ${health.body.slice(0, 200)})`,
  );
  if (previous && previous !== facts.id) {
    await startFrom(previous);
    const again = await check();
    log(
      `${input.transport.name}: ${service.name} back on ${previous}${again.ok ? '' : `, which does not answer either (${again.status ?? again.body})`}`,
    );
  } else {
    await manager.stop(service.name);
  }
  return {
    status: 'rolled-back',
    release: facts.id,
    running: previous !== facts.id ? previous : undefined,
    health,
    lastLines,
  };
}

type Running = Pick<ServiceRelease, 'transport' | 'releases' | 'manager' | 'service' | 'health' | 'signal'>;

/** Puts the service back on a release it ran before (a rollback): started, checked, made current. */
export async function restoreRelease(input: Running, id: string): Promise<HealthAnswer> {
  await startRelease(input, id);
  const health = await checkService(input);
  if (health.ok) await input.releases.activate(id);
  return health;
}

function startRelease(input: Running, id: string): Promise<void> {
  const { releases, service } = input;
  return input.manager.start({
    name: service.name,
    releaseDir: posix.join(releases.paths.releases, id),
    start: service.start,
    envFile: envFileOf(releases),
    env: { PORT: String(service.port), NODE_ENV: 'production' },
    logDir: posix.join(releases.paths.shared, 'logs'),
    // The release it replaces serves until this one listens, for as long as it may take to be healthy.
    readyWithinMs: input.health.withinMs,
  });
}

function checkService(input: Running): Promise<HealthAnswer> {
  const { service } = input;
  return checkHealth(
    input.transport,
    {
      ...input.health,
      url: `http://127.0.0.1:${service.port}${service.health}`,
      hostHeader: service.hostHeader,
    },
    input.signal,
  );
}

function envFileOf(releases: HostReleases): string {
  return posix.join(releases.paths.shared, '.env');
}
