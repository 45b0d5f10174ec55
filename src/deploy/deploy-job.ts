/**
 * A deploy as a job of the queue: one environment, the artifacts of one passed CI run. Its steps
 * (take the environment's lock, find the hosts, back up and migrate the database, move the
 * release) are recorded like a CI run's, so the dashboard, live logs and notifications show them
 * alike. A rollback is the same job with one step after the lock and the hosts: the environment
 * put back on a release its hosts kept (rollback.ts). It is never superseded by a push; after a
 * crash it runs again, which every step allows.
 * Its configuration is the host's own (the server's or this checkout's waggle.yml), never a
 * pushed commit's: hosts and secrets are not a commit's to choose.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Config } from '../config/schema.js';
import { interpolate, secretValues } from '../config/secrets.js';
import { parseDuration } from '../config/units.js';
import { FailedOperationError } from '../errors.js';
import { exec } from '../exec/process.js';
import { Redactor } from '../exec/redact.js';
import { stepUser } from '../exec/step-user.js';
import { execute } from '../pipeline/engine.js';
import type { JobKind } from '../pipeline/job-kind.js';
import { type RunEvent, RunRecorder } from '../pipeline/run-recorder.js';
import type { Step, StepContext, StepOutcome } from '../pipeline/step.js';
import { RunTally } from '../pipeline/summary.js';
import type { HostNginxOptions } from '../router/nginx.js';
import type { Run, Store } from '../store/store.js';
import { gitRoot } from '../workspace/git.js';
import { e2eStep } from './e2e-step.js';
import { type DeployArtifact, deployEnvironment } from './environment-deploy.js';
import { resolveHosts } from './inventory.js';
import { runMigrationsApart } from './isolated-migrations.js';
import { backupDatabase, pingDatabase } from './mongo-tasks.js';
import { rollbackStep, runOf } from './rollback.js';
import { type HostTransport, type TransportOptions, transportFor } from './transports.js';

export const DEPLOY_KIND = 'deploy';

export interface DeployOptions {
  environment: string;
  /** The passed CI run whose artifacts go out. */
  sourceRun: number;
}

/** The options of a release deploy (a rollback job has no `sourceRun`: ask `rollbackOptionsOf` first). */
export function deployOptionsOf(job: Pick<Run, 'options'>): DeployOptions {
  return JSON.parse(job.options ?? '{}') as DeployOptions;
}

/** A deploy job that puts the environment back on a release its hosts kept, rebuilding nothing. */
export interface RollbackOptions {
  environment: string;
  rollback: true;
  /** The release to go to; else the one before `from`. */
  to?: string;
  /** The release the store said the environment ran when the rollback was asked for. */
  from?: string;
}

/** The rollback a deploy job is; undefined for a release deploy. */
export function rollbackOptionsOf(job: Pick<Run, 'options'>): RollbackOptions | undefined {
  const options = JSON.parse(job.options ?? '{}') as Partial<RollbackOptions>;
  return options.rollback === true ? (options as RollbackOptions) : undefined;
}

/** Records a deploy job for the run's commit; queued, or running already under the caller's lease. */
export async function queueDeploy(
  store: Store,
  request: DeployOptions & { trigger: string },
  heldBy?: { owner: string; expiresAt: number },
): Promise<number> {
  const source = await store.runs.get(request.sourceRun);
  if (!source) throw new FailedOperationError(`there is no run ${request.sourceRun}`);
  const options: DeployOptions = { environment: request.environment, sourceRun: request.sourceRun };
  return store.runs.create(
    {
      repo: source.repo,
      branch: source.branch,
      sha: source.sha,
      author: source.author,
      message: source.message,
      trigger: request.trigger,
      kind: DEPLOY_KIND,
      options: JSON.stringify(options),
    },
    heldBy,
  );
}

/**
 * Records a rollback job of the environment. It is filed under the commit it goes back to when the
 * store knows it (`to`'s run), else under the one the environment runs now (else the checkout's)
 * until the rollback has found its release (rollback.ts).
 */
export async function queueRollback(
  store: Store,
  request: { environment: string; to?: string; trigger: string; actor: string },
  checkout: Pick<Run, 'repo' | 'branch' | 'sha'>,
  heldBy?: { owner: string; expiresAt: number },
): Promise<number> {
  const running = await store.hostReleases.of(request.environment);
  const from = running
    .map((placed) => placed.release)
    .sort()
    .at(-1);
  const named = request.to === undefined ? undefined : runOf(request.to);
  const now = running.find((placed) => placed.release === from)?.source_run;
  const subject =
    (named === undefined ? undefined : await store.runs.get(named)) ??
    (now === undefined ? undefined : await store.runs.get(now));
  const options: RollbackOptions = {
    environment: request.environment,
    rollback: true,
    ...(request.to !== undefined ? { to: request.to } : {}),
    ...(from !== undefined ? { from } : {}),
  };
  return store.runs.create(
    {
      repo: subject?.repo ?? checkout.repo,
      branch: subject?.branch ?? checkout.branch,
      sha: subject?.sha ?? checkout.sha,
      author: request.actor,
      message: `rollback of ${request.environment} ${request.to ? `to ${request.to}` : `from ${from ?? 'what it runs'}`}`,
      trigger: request.trigger,
      kind: DEPLOY_KIND,
      options: JSON.stringify(options),
    },
    heldBy,
  );
}

export interface DeployJobDeps {
  store: Store;
  home: string;
  /** The trusted configuration: the host's own waggle.yml. */
  config: Config;
  /** Where waggle.yml sits: relative host paths and the repository start there. */
  configDir: string;
  env: NodeJS.ProcessEnv;
  /** Who deploys, for the lock a second deploy is refused with. */
  actor: string;
  onEvent?: (event: RunEvent) => void;
  nginx?: HostNginxOptions;
  transports?: Partial<Pick<TransportOptions, 'knownHostsFiles' | 'timing'>>;
}

export function deployKind(deps: DeployJobDeps): JobKind {
  return {
    supersededByNewer: false,
    afterCrash: 'resume',
    // A rollback shares the lane of its environment's deploys.
    lane: (job) => `deploy:${deployOptionsOf(job).environment}`,
    collapseQueued: true,
    run: (job, signal) => executeDeploy(deps, job, signal),
  };
}

async function executeDeploy(
  deps: DeployJobDeps,
  job: Run,
  signal: AbortSignal,
): Promise<'passed' | 'failed'> {
  const { store, config } = deps;
  const { environment: name, sourceRun } = deployOptionsOf(job);
  const rollback = rollbackOptionsOf(job);
  const environment = config.environments[name];
  if (!environment) throw new FailedOperationError(`waggle.yml has no environment ${name}`);
  const stage = environment.after ? 'production' : 'staging';
  const redactor = new Redactor().add(...secretValues(config, deps.env));
  let hosts: HostTransport[] = [];
  let locked = false;
  let deployedTo: string | undefined;
  const recorder = new RunRecorder(store, job.id, deps.onEvent);
  const tally = new RunTally();

  const step = (
    key: string,
    title: string,
    needs: string[],
    run: (context: StepContext) => Promise<StepOutcome>,
  ): Step => ({
    key,
    stage,
    name: title,
    needs,
    run: (context) => run({ ...context, log: (line, stream) => context.log(redactor.redact(line), stream) }),
  });
  /** A release deploy's steps: the database, the release, its end-to-end tests. */
  const releaseSteps = (): Step[] => [
    ...(environment.database
      ? [
          step('database', `database of ${name}`, ['hosts'], async (context) => {
            const database = environment.database as NonNullable<typeof environment.database>;
            const uri = interpolate(database.uri, deps.env);
            const ping = await pingDatabase(uri, { timeoutMs: parseDuration(environment.health.timeout) });
            context.log(`database answered in ${ping.ms} ms`);
            if (database.backups > 0) {
              const backup = await backupDatabase(uri, {
                folder: join(deps.home, 'backups', name),
                keep: database.backups,
              });
              context.log(
                `backup ${backup.id}: ${
                  Object.entries(backup.counts)
                    .map(([c, n]) => `${c} ${n}`)
                    .join(', ') || 'no collections'
                }`,
              );
            }
            if (!database.migrations) return { status: 'passed' };
            const folder = await extractFolder(job, database.migrations);
            try {
              const outcome = await runMigrationsApart({
                uri,
                folder,
                user: stepUser(deps.env),
                log: (line, stream) => context.log(line, stream),
              });
              for (const applied of outcome.applied)
                context.log(`migrated ${applied.name} (${applied.durationMs} ms)`);
              return {
                status: 'passed',
                detail: `${outcome.applied.length} migration${outcome.applied.length === 1 ? '' : 's'} applied`,
              };
            } finally {
              rmSync(folder, { recursive: true, force: true });
            }
          }),
        ]
      : []),
    step('deploy', `deploy to ${name}`, [environment.database ? 'database' : 'hosts'], async (context) => {
      const artifacts = await artifactsOf(store, sourceRun);
      const outcome = await deployEnvironment({
        app: config.name,
        environmentName: name,
        environment,
        packages: config.packages,
        hosts,
        artifacts,
        source: { run: sourceRun, commit: job.sha },
        env: deps.env,
        signal,
        log: (line) => context.log(line),
        nginx: deps.nginx,
      });
      if (outcome.status === 'failed') {
        context.log(outcome.failure.message, 'stderr');
        if (outcome.failure.lastLines)
          for (const line of outcome.failure.lastLines.split('\n')) context.log(line, 'stderr');
        return { status: 'failed', detail: outcome.failure.message.slice(0, 300) };
      }
      const now = Date.now();
      for (const placed of outcome.placed)
        await store.hostReleases.placed({
          environment: name,
          ...placed,
          source_run: sourceRun,
          deploy_run: job.id,
          since: now,
        });
      context.log(`${name} runs ${outcome.release}: ${outcome.url}`);
      deployedTo = outcome.url;
      return { status: 'passed', detail: outcome.url };
    }),
    ...(environment.e2e
      ? [
          e2eStep({
            job,
            home: deps.home,
            e2e: environment.e2e,
            configDir: relative(gitRoot(deps.configDir) ?? deps.configDir, deps.configDir),
            url: () => deployedTo,
            serverEnv: deps.env,
            redactor,
            needs: ['deploy'],
            cases: async (step, cases) => {
              tally.testCases('e2e', cases);
              await recorder.testCases(step, 'e2e', cases);
            },
            evidence: async (step, artifact) => {
              tally.artifact(artifact);
              await recorder.artifact(step, artifact);
            },
          }),
        ]
      : []),
  ];
  const steps: Step[] = [
    step('lock', `lock ${name}`, [], async () => {
      const taken = store.deployLocks.acquire({
        environment: name,
        run_id: job.id,
        owner: `${hostname()} pid ${process.pid}`,
        actor: deps.actor,
      });
      if (!taken.acquired) {
        const { holder } = taken;
        return {
          status: 'failed',
          detail: `${name} is being deployed by run ${holder.run_id} (${holder.actor}, since ${new Date(holder.acquired_at).toISOString()}); waggle deploy ${name} --force-unlock if it is not`,
        };
      }
      locked = true;
      return { status: 'passed' };
    }),
    step('hosts', `hosts of ${name}`, ['lock'], async (context) => {
      const found = await resolveHosts(name, environment, deps.env, { signal });
      hosts = found.map((host) =>
        transportFor(host, { base: environment.base, configDir: deps.configDir, ...deps.transports }),
      );
      for (const h of hosts) context.log(`${h.host.name} ${h.address} ${h.host.roles.join(',')}`);
      return { status: 'passed', detail: `${hosts.length} host${hosts.length === 1 ? '' : 's'}` };
    }),
    ...(rollback
      ? [
          step('rollback', `roll back ${name}`, ['hosts'], (context) =>
            rollbackStep(
              {
                store,
                environmentName: name,
                jobId: job.id,
                app: config.name,
                environment,
                packages: config.packages,
                hosts,
                to: rollback.to,
                from: rollback.from,
                signal,
              },
              context,
            ),
          ),
        ]
      : releaseSteps()),
  ];

  tally.planned(steps);
  await recorder.start(steps, { affected: [] });
  try {
    await execute(steps, {
      concurrency: 1,
      signal,
      onEvent: (event) => {
        tally.onEngineEvent(event);
        recorder.onEngineEvent(event);
      },
    });
  } finally {
    await Promise.all(hosts.map((h) => h.transport.close()));
    if (locked) await store.deployLocks.release(name, job.id);
    await recorder.flush();
  }
  const status = signal.aborted ? 'cancelled' : tally.failed ? 'failed' : 'passed';
  const finishedAt = Date.now();
  const summary = tally.summary(
    { id: job.id, branch: job.branch, sha: job.sha, base: null, startedAt: job.started_at ?? job.created_at },
    status,
    finishedAt,
  );
  await store.runs.update(job.id, { status, finished_at: finishedAt, summary: JSON.stringify(summary) });
  recorder.emit({ type: 'run.finished', runId: job.id, summary });
  return status === 'passed' ? 'passed' : 'failed';
}

async function artifactsOf(store: Store, runId: number): Promise<DeployArtifact[]> {
  const run = await store.runs.get(runId);
  if (!run) throw new FailedOperationError(`there is no run ${runId}`);
  if (run.status !== 'passed')
    throw new FailedOperationError(`run ${runId} ${run.status}: only a passed run is deployed`);
  return (await store.artifacts.ofRun(runId)).map((a) => ({
    package: a.package,
    file: a.file,
    sha256: a.sha256,
  }));
}

/** A folder of the job's commit, written out to a temporary folder (the migrations to run). */
async function extractFolder(job: Run, folder: string): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'waggle-migrations-'));
  // Passable, so the user the scripts run as reaches the folder it is given.
  chmodSync(out, 0o711);
  const archive = join(out, 'folder.tar');
  await exec(['git', 'archive', `--output=${archive}`, job.sha, '--', folder], { cwd: job.repo });
  await exec(['tar', '-xf', archive, '-C', out], { cwd: out });
  return join(out, folder);
}
