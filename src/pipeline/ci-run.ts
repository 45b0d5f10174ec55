/**
 * One CI run from a git commit: decide what the change affects, plan the steps, execute them,
 * and record every step, log line, test case and artifact in the store.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { secretValues } from '../config/secrets.js';
import { Redactor } from '../exec/redact.js';
import { stepUser } from '../exec/step-user.js';
import type { Store } from '../store/store.js';
import { findArtifact } from '../workspace/artifact.js';
import { commitInfo } from '../workspace/git.js';
import { withDependencies } from '../workspace/graph.js';
import { applyRetention } from '../workspace/retention.js';
import { openHomeToSteps } from '../workspace/step-access.js';
import type { StepSink } from './ci-plan-input.js';
import { planCiSteps } from './ci-steps.js';
import { execute } from './engine.js';
import { type RunEvent, RunRecorder } from './run-recorder.js';
import { runScope } from './run-scope.js';
import type { StageName } from './step.js';
import { stepEnvironments } from './step-environments.js';
import { type RunSummary, RunTally } from './summary.js';
import { TestServices } from './test-services.js';
import { workspaceNeed } from './workspace-need.js';

export interface RunOptions {
  /** Measure "changed" from this commit instead of the branch's last passed run. */
  base?: string;
  all?: boolean;
  /** Reuse nothing: a fresh npm ci, every affected build and suite run, every artifact made anew. */
  noCache?: boolean;
  until?: StageName;
}

export interface QueueRequest extends RunOptions {
  /** A git repository holding the commit: a checkout's root or the server's mirror. */
  repo: string;
  sha: string;
  branch: string;
  trigger: string;
  deliveryId?: string;
  retryOf?: number;
}

/**
 * Records a run with the commit's author and message, and returns its id: queued for a worker,
 * or running already when the caller holds it (a run on the command line).
 */
export async function queueRun(
  store: Store,
  request: QueueRequest,
  heldBy?: { owner: string; expiresAt: number },
): Promise<number> {
  const commit = commitInfo(request.repo, request.sha);
  const options: RunOptions = {
    base: request.base,
    all: request.all,
    noCache: request.noCache,
    until: request.until,
  };
  return store.runs.create(
    {
      repo: request.repo,
      branch: request.branch,
      sha: request.sha,
      author: commit.author,
      message: commit.message,
      trigger: request.trigger,
      options: JSON.stringify(options),
      delivery_id: request.deliveryId ?? null,
      retry_of: request.retryOf ?? null,
    },
    heldBy,
  );
}

export interface ExecuteRequest {
  store: Store;
  home: string;
  runId: number;
  config: Config;
  /** Where waggle.yml sits in the repository ('' at its root): package paths start there. */
  configDir: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  concurrency?: number;
  onEvent?: (event: RunEvent) => void;
  /** Things worth telling whoever hosts the run that are not part of it (a failed cleanup). */
  log?: (message: string) => void;
}

/** Plans and runs a queued run to its end; the summary is stored with it. */
export async function executeRun(request: ExecuteRequest): Promise<RunSummary> {
  const { store, config, configDir, runId } = request;
  const run = await store.runs.get(runId);
  if (!run) throw new Error(`no run ${runId}`);
  const { repo, sha } = run;
  const options = JSON.parse(run.options ?? '{}') as RunOptions;
  const env = request.env ?? process.env;
  const signal = request.signal ?? new AbortController().signal;

  const base = options.all
    ? undefined
    : (options.base ?? (await store.runs.lastPassed(repo, run.branch, sha))?.sha);
  const scope = await runScope({
    config,
    configDir,
    repo,
    sha,
    base,
    why: options.all ? '--all' : 'no passed run of an earlier commit on this branch',
    env,
  });
  const { graph, affected } = scope;
  await store.runs.update(runId, { base_sha: base ?? null });

  const redactor = new Redactor().add(
    ...secretValues(config, env),
    ...[env.WAGGLE_WEBHOOK_SECRET, env.WAGGLE_TOKEN].filter((v): v is string => !!v),
  );
  const workspace = join(request.home, 'workspaces', String(runId));
  const user = stepUser(env);
  if (user) await openHomeToSteps(request.home, user);
  const envFor = stepEnvironments({
    config,
    variables: scope.variables,
    serverEnv: env,
    home: request.home,
    root: join(workspace, configDir),
    run: { runId, sha, branch: run.branch },
    user,
  });
  // Started on a suite's first need, and stopped when the run ends, whatever happens.
  const services = new TestServices({
    services: config.services,
    cwd: join(workspace, configDir),
    env: envFor(),
    serverEnv: env,
    redactor,
    signal,
    user,
  });
  const recorder = new RunRecorder(store, runId, request.onEvent);
  const tally = new RunTally();
  const sink: StepSink = {
    testCases: async (step, pkg, cases) => {
      tally.testCases(pkg, cases);
      await recorder.testCases(step, pkg, cases);
    },
    reuseTestCases: async (step, pkg, fromRun) => {
      tally.testCases(pkg, await recorder.reuseTestCases(step, pkg, fromRun));
    },
    artifact: async (step, artifact) => {
      tally.artifact(artifact);
      await recorder.artifact(step, artifact);
    },
    remember: (key, kind, pkg) => store.cache.remember(key, kind, pkg, runId),
    recall: async (key, kind) => (options.noCache ? undefined : store.cache.recall(key, kind)),
  };
  const fresh = options.noCache === true;
  const needed = withDependencies(graph, affected.packages);
  const until = options.until ?? 'package';
  const workspaceWhy = await workspaceNeed({
    packages: config.packages,
    needed,
    affected: affected.packages,
    keys: scope.keys,
    suiteKeys: scope.suiteKeys,
    until,
    fresh,
    recall: sink.recall,
    hasArtifact: (pkg, key) => findArtifact(join(request.home, 'artifacts'), pkg, key) !== undefined,
  });
  const steps = planCiSteps({
    repo,
    sha,
    workspace,
    workspaceNeeded: workspaceWhy !== undefined,
    configDir,
    home: request.home,
    packages: config.packages,
    graph,
    keys: scope.keys,
    suiteKeys: scope.suiteKeys,
    services,
    affected: affected.packages,
    fresh,
    needed,
    until,
    envFor,
    redactor,
    sink,
    user,
  });

  tally.planned(steps);
  await recorder.start(steps, { affected: [...affected.packages], everything: affected.everything });
  try {
    await execute(steps, {
      concurrency: request.concurrency ?? availableParallelism(),
      signal,
      onEvent: (event) => {
        tally.onEngineEvent(event);
        recorder.onEngineEvent(event);
      },
    });
  } finally {
    await services.stopAll();
    await recorder.flush();
  }
  const status = signal.aborted ? 'cancelled' : tally.failed ? 'failed' : 'passed';
  const finishedAt = Date.now();
  const summary = tally.summary(
    { id: runId, branch: run.branch, sha, base: base ?? null, startedAt: run.started_at ?? run.created_at },
    status,
    finishedAt,
  );
  await store.runs.update(runId, { status, finished_at: finishedAt, summary: JSON.stringify(summary) });
  recorder.emit({ type: 'run.finished', runId, summary });
  await applyRetention({ home: request.home, store, retention: config.retention, keepRunIds: [runId] }).catch(
    (error: unknown) => request.log?.(`could not remove old workspaces and caches: ${String(error)}`),
  );
  return summary;
}
