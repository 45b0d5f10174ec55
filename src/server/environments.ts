/**
 * Each environment as people look at it: what release each host runs, since when and from which
 * runs, who holds its deploy lock, and how its last deploy went. Environments are the configured
 * ones (in waggle.yml's order), then any the store still knows that waggle.yml no longer names:
 * their hosts still run what was put there.
 */
import type { EnvironmentConfig } from '../config/schema.js';
import { DEPLOY_KIND, type DeployOptions, deployOptionsOf } from '../deploy/deploy-job.js';
import type { HostRelease } from '../store/host-releases.js';
import { ENDED, type RunStatus } from '../store/schema.js';
import type { Run, Store } from '../store/store.js';

/** How far back the runs are searched for an environment's last deploy job. */
const RECENT_RUNS = 1000;

export interface HostPackage {
  package: string;
  release: string;
  since: number;
  /** The CI run whose artifact it is. */
  sourceRun: number;
  /** The deploy job that put it there. */
  deployRun: number;
}

export interface EnvironmentHost {
  host: string;
  packages: HostPackage[];
}

export interface EnvironmentLock {
  runId: number;
  actor: string;
  since: number;
}

export interface LastDeploy {
  runId: number;
  status: RunStatus;
  finishedAt: number | null;
}

export interface EnvironmentView {
  name: string;
  url?: string;
  /** Empty until a deploy to the environment has succeeded. */
  hosts: EnvironmentHost[];
  lock: EnvironmentLock | null;
  lastDeploy: LastDeploy | null;
}

/** What of waggle.yml's environments the view needs. */
export type ConfiguredEnvironments = Readonly<Record<string, Pick<EnvironmentConfig, 'url'>>>;

export async function readEnvironments(
  store: Store,
  configured: ConfiguredEnvironments,
): Promise<EnvironmentView[]> {
  const deployed = await store.hostReleases.environments();
  const names = [...Object.keys(configured), ...deployed.filter((name) => !Object.hasOwn(configured, name))];
  const recent = await store.runs.recent(RECENT_RUNS);
  return Promise.all(names.map((name) => viewOf(store, configured, name, recent)));
}

/** One environment, or undefined when it is neither configured nor ever deployed. */
export async function readEnvironment(
  store: Store,
  configured: ConfiguredEnvironments,
  name: string,
): Promise<EnvironmentView | undefined> {
  if (!Object.hasOwn(configured, name) && !(await store.hostReleases.environments()).includes(name))
    return undefined;
  return viewOf(store, configured, name, await store.runs.recent(RECENT_RUNS));
}

async function viewOf(
  store: Store,
  configured: ConfiguredEnvironments,
  name: string,
  recent: readonly Run[],
): Promise<EnvironmentView> {
  const rows = await store.hostReleases.of(name);
  const url = Object.hasOwn(configured, name) ? configured[name]?.url : undefined;
  return {
    name,
    ...(url ? { url } : {}),
    hosts: hostsOf(rows),
    lock: await lockOf(store, name),
    lastDeploy: await lastDeployOf(store, name, recent, rows),
  };
}

/** Rows by host (in the store's order: host, then package). */
export function hostsOf(rows: readonly HostRelease[]): EnvironmentHost[] {
  const hosts = new Map<string, HostPackage[]>();
  for (const row of rows) {
    const packages = hosts.get(row.host) ?? [];
    packages.push({
      package: row.package,
      release: row.release,
      since: row.since,
      sourceRun: row.source_run,
      deployRun: row.deploy_run,
    });
    hosts.set(row.host, packages);
  }
  return [...hosts].map(([host, packages]) => ({ host, packages }));
}

/** A lock left by a job that has ended is no lock: the next deploy takes it (DeployLocks.acquire). */
async function lockOf(store: Store, name: string): Promise<EnvironmentLock | null> {
  const lock = await store.deployLocks.get(name);
  if (!lock) return null;
  const holder = await store.runs.get(lock.run_id);
  if (!holder || ENDED.includes(holder.status)) return null;
  return { runId: lock.run_id, actor: lock.actor, since: lock.acquired_at };
}

/**
 * The newest deploy job of the environment among the recent runs, whatever its outcome; past
 * those, the job that put the newest release on a host, if the store still has it.
 */
async function lastDeployOf(
  store: Store,
  name: string,
  recent: readonly Run[],
  rows: readonly HostRelease[],
): Promise<LastDeploy | null> {
  const job =
    newestDeployTo(name, recent) ??
    (rows.length > 0 ? await store.runs.get(Math.max(...rows.map((row) => row.deploy_run))) : undefined);
  return job ? { runId: job.id, status: job.status, finishedAt: job.finished_at } : null;
}

/** The first deploy job to the environment in runs given newest first. */
export function newestDeployTo(name: string, runs: readonly Run[]): Run | undefined {
  return runs.find((run) => deployTargetOf(run)?.environment === name);
}

/** Where a deploy job goes, and whose artifacts it puts there. */
export interface DeployTarget {
  environment: string;
  /** Absent for a deploy job that moves no run's artifacts (one that goes back to a kept release). */
  sourceRun?: number;
}

/** Where a deploy job goes; undefined for any other kind of run. */
export function deployTargetOf(run: Pick<Run, 'kind' | 'options'>): DeployTarget | undefined {
  if (run.kind !== DEPLOY_KIND) return undefined;
  let options: Partial<DeployOptions>;
  try {
    options = deployOptionsOf(run);
  } catch {
    return undefined;
  }
  if (typeof options.environment !== 'string') return undefined;
  return typeof options.sourceRun === 'number'
    ? { environment: options.environment, sourceRun: options.sourceRun }
    : { environment: options.environment };
}
