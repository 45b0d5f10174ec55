/**
 * An environment put back on a release it ran before: no rebuild, no upload, only the release
 * folders each host keeps (`keepReleases`) started again. One release for the whole environment
 * — the one asked for, or the newest one older than what runs that every host has for each of its
 * packages — so the hosts never end up on two releases, and a release a deploy that failed half
 * way left on some hosts only is never chosen by itself. Services go first, each health-checked
 * before `current` points back at it; when one fails, the services already moved return to what
 * they ran and the sites are left alone. nginx stays as it is: its config names `current` and the
 * services' ports, which a rollback does not change.
 */
import { posix } from 'node:path';
import type { EnvironmentConfig, PackageConfig } from '../config/schema.js';
import { FailedOperationError } from '../errors.js';
import type { StepContext, StepOutcome } from '../pipeline/step.js';
import type { Store } from '../store/store.js';
import {
  type MovedService,
  type PlacedRelease,
  type RunningService,
  releasesOn,
  restoreMoved,
  serviceOn,
} from './environment-deploy.js';
import type { HealthAnswer } from './health-check.js';
import type { HostReleases } from './releases.js';
import { restoreRelease } from './service-deploy.js';
import type { HostTransport } from './transports.js';

export interface EnvironmentRollback {
  app: string;
  environment: EnvironmentConfig;
  packages: Readonly<Record<string, PackageConfig>>;
  hosts: readonly HostTransport[];
  /** The release to go to; else the newest before `from`. */
  to?: string;
  /**
   * What the environment ran when the rollback was asked for (else what the hosts run now): a
   * rollback resumed after a crash goes back to the same release, not one further.
   */
  from?: string;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** One package on one host, as a rollback chooses from. */
export interface PackageReleases {
  host: string;
  package: string;
  /** Complete releases, oldest first. */
  releases: readonly string[];
  current: string | undefined;
}

export type TargetChoice = { release: string } | { refused: string };

/** The release the environment goes to, or why there is none. */
export function chooseTarget(
  found: readonly PackageReleases[],
  wanted: Pick<EnvironmentRollback, 'to' | 'from'>,
): TargetChoice {
  if (found.length === 0) return { refused: 'no host runs a service or site of waggle.yml' };
  const everywhere = found
    .map((p) => p.releases)
    .reduce((common, releases) => common.filter((id) => releases.includes(id)));
  const choices =
    everywhere.length > 0
      ? `releases on every host, oldest first: ${everywhere.join(', ')}`
      : 'no release is on every host';
  const { to } = wanted;
  if (to !== undefined) {
    const lacking = found.filter((p) => !p.releases.includes(to));
    if (lacking.length === 0) return { release: to };
    return { refused: `there is no release ${to} on ${byHost(lacking)}; ${choices}` };
  }
  const from =
    wanted.from ??
    found
      .flatMap((p) => (p.current ? [p.current] : []))
      .sort()
      .at(-1);
  if (from === undefined) return { refused: 'nothing runs there yet: there is no release to go back from' };
  const earlier = everywhere.filter((id) => id < from);
  const target = earlier.at(-1);
  if (target === undefined)
    return { refused: `there is no release before ${from} on every host; ${choices}` };
  return { release: target };
}

/** "staging-1 (api, web), staging-2 (api)" */
function byHost(found: readonly PackageReleases[]): string {
  const hosts = new Map<string, string[]>();
  for (const p of found) hosts.set(p.host, [...(hosts.get(p.host) ?? []), p.package]);
  return [...hosts].map(([host, packages]) => `${host} (${packages.join(', ')})`).join(', ');
}

export interface RolledBack extends PlacedRelease {
  /** The CI run whose artifact the release is. */
  sourceRun: number;
}

export type RollbackOutcome =
  | { status: 'rolled-back'; release: string; placed: RolledBack[] }
  /** Nothing was touched: no such release, or no earlier one. */
  | { status: 'refused'; message: string }
  | {
      status: 'failed';
      release: string;
      failure: { host: string; package: string; health: HealthAnswer; lastLines: string; message: string };
      /** What the moved services run again. */
      restored: PlacedRelease[];
    };

interface Placement extends PackageReleases {
  hostReleases: HostReleases;
  /** Set for a service; a site has only its link. */
  service?: RunningService;
}

export async function rollbackEnvironment(input: EnvironmentRollback): Promise<RollbackOutcome> {
  const log = input.log ?? (() => {});
  const placements = await placementsOf(input);
  const choice = chooseTarget(placements, input);
  if ('refused' in choice) return { status: 'refused', message: choice.refused };
  const target = choice.release;
  // Read before anything moves: a release without its facts is refused, not half restored.
  const placed: RolledBack[] = [];
  for (const p of placements) {
    const facts = await p.hostReleases.facts(target);
    if (!facts)
      throw new FailedOperationError(`${p.host}: release ${target} of ${p.package} has no facts file`);
    placed.push({ host: p.host, package: p.package, release: target, sourceRun: facts.run });
  }

  const moved: MovedService[] = [];
  for (const p of placements) {
    if (!p.service) continue;
    const here = { host: p.host, package: p.package, release: target };
    const health = await restoreRelease(p.service, target);
    if (health.ok) {
      moved.push({ running: p.service, previous: p.current, placed: here });
      log(`${p.host}: ${p.package} runs ${target} (health ${health.status})`);
      continue;
    }
    const lastLines = await p.service.manager.lastLines({
      name: p.service.service.name,
      logDir: posix.join(p.hostReleases.paths.shared, 'logs'),
    });
    // The failing one was started from the target: it goes back with the others.
    const restored = await restoreMoved(
      [...moved, { running: p.service, previous: p.current, placed: here }],
      log,
    );
    return {
      status: 'failed',
      release: target,
      failure: {
        host: p.host,
        package: p.package,
        health,
        lastLines,
        message: `${p.package} on ${p.host} failed its health check on ${target}: ${health.status ?? 'no answer'} ${health.body.slice(0, 300)}`,
      },
      restored,
    };
  }
  for (const p of placements) {
    if (p.service) continue;
    // nginx serves `current`: the swap is the switch.
    await p.hostReleases.activate(target);
    log(`${p.host}: site ${p.package} now ${target}`);
  }
  return { status: 'rolled-back', release: target, placed };
}

/** Services on the api hosts, then sites on the web hosts, with their releases as found. */
async function placementsOf(input: EnvironmentRollback): Promise<Placement[]> {
  const packages = Object.entries(input.packages);
  const wanted = [
    ...input.hosts
      .filter((on) => on.host.roles.includes('api'))
      .flatMap((on) => packages.filter(([, pkg]) => pkg.service).map(([name, pkg]) => ({ on, name, pkg }))),
    ...input.hosts
      .filter((on) => on.host.roles.includes('web'))
      .flatMap((on) => packages.filter(([, pkg]) => pkg.site).map(([name, pkg]) => ({ on, name, pkg }))),
  ];
  const placements: Placement[] = [];
  for (const { on, name, pkg } of wanted) {
    const service = pkg.service ? serviceOn(input, on, name, pkg) : undefined;
    const hostReleases = service?.releases ?? releasesOn(input, on, name);
    placements.push({
      host: on.host.name,
      package: name,
      hostReleases,
      releases: await hostReleases.list(),
      current: await hostReleases.current(),
      ...(service ? { service } : {}),
    });
  }
  return placements;
}

/** The run a release id names: `20261130T081500Z-run12-0a1b2c3d4e5f` is run 12's. */
export function runOf(release: string): number | undefined {
  const run = /^\d{8}T\d{6}Z-run(\d+)-[0-9a-f]+$/.exec(release)?.[1];
  return run === undefined ? undefined : Number(run);
}

/** The rollback step of a deploy job: the environment moved back, and the store told what runs. */
export async function rollbackStep(
  input: EnvironmentRollback & { store: Store; environmentName: string; jobId: number },
  context: StepContext,
): Promise<StepOutcome> {
  const name = input.environmentName;
  const outcome = await rollbackEnvironment({ ...input, log: (line) => context.log(line) });
  if (outcome.status === 'refused') {
    context.log(outcome.message, 'stderr');
    return { status: 'failed', detail: outcome.message.slice(0, 1000) };
  }
  if (outcome.status === 'failed') {
    context.log(outcome.failure.message, 'stderr');
    for (const line of outcome.failure.lastLines.split('\n')) if (line) context.log(line, 'stderr');
    return { status: 'failed', detail: outcome.failure.message.slice(0, 300) };
  }
  const now = Date.now();
  for (const placed of outcome.placed)
    await input.store.hostReleases.placed({
      environment: name,
      host: placed.host,
      package: placed.package,
      release: placed.release,
      source_run: placed.sourceRun,
      deploy_run: input.jobId,
      since: now,
    });
  await fileUnderTarget(input.store, input.jobId, outcome.placed[0]?.sourceRun);
  context.log(`${name} runs ${outcome.release}`);
  return { status: 'passed', detail: `${name} runs ${outcome.release}` };
}

/**
 * A rollback to "the release before" was queued under the commit the environment ran: once the
 * hosts said which release that is, the job is filed under the commit it went back to, as one
 * given --to is from the start.
 */
async function fileUnderTarget(store: Store, jobId: number, sourceRun: number | undefined): Promise<void> {
  const source = sourceRun === undefined ? undefined : await store.runs.get(sourceRun);
  if (source) await store.runs.update(jobId, { repo: source.repo, branch: source.branch, sha: source.sha });
}
