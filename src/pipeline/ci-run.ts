/**
 * One CI run from a git commit: decide what the change affects, plan the steps, execute them,
 * and record every step, log line, test case and artifact in the store.
 */
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import type { Config } from '../config/schema.js';
import { secretValues } from '../config/secrets.js';
import { Redactor } from '../exec/redact.js';
import type { Store } from '../store/store.js';
import { affectedPackages } from '../workspace/affected.js';
import { packageKeys, sharedInputsHash } from '../workspace/cache-key.js';
import { changedFiles, commitInfo, fileAt } from '../workspace/git.js';
import { type PackageManifest, packageGraph, withDependencies } from '../workspace/graph.js';
import { planCiSteps, type StepSink } from './ci-steps.js';
import { execute } from './engine.js';
import { type RunEvent, RunRecorder } from './run-recorder.js';
import type { StageName } from './step.js';
import { type RunSummary, summarizeRun } from './summary.js';

export interface CiRunRequest {
  store: Store;
  home: string;
  config: Config;
  /** The repository's git root and the folder of waggle.yml in it. */
  repo: string;
  configFile: string;
  sha: string;
  branch: string;
  /** Measure "changed" from this commit instead of the branch's last passed run. */
  base?: string;
  all?: boolean;
  until?: StageName;
  trigger: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  concurrency?: number;
  onEvent?: (event: RunEvent) => void;
  /** Called once the run has its id, before any step starts. */
  onCreated?: (runId: number) => void;
}

export async function runCi(request: CiRunRequest): Promise<RunSummary> {
  const { store, config, repo, sha } = request;
  const env = request.env ?? process.env;
  const signal = request.signal ?? new AbortController().signal;
  const configDir = relative(repo, join(request.configFile, '..'));
  const inRepo = (path: string) => (configDir === '' ? path : `${configDir}/${path}`);

  const commit = commitInfo(repo, sha);
  const base = request.all
    ? undefined
    : (request.base ?? (await store.lastPassedRun(repo, request.branch, sha))?.sha);
  const manifestOf = (path: string) =>
    JSON.parse(fileAt(repo, sha, `${inRepo(path)}/package.json`)) as PackageManifest;
  const graph = packageGraph(config, manifestOf);
  const packagePaths = new Map(
    Object.entries(config.packages).map(([name, pkg]) => [name, inRepo(pkg.path)]),
  );
  const inertPaths = Object.values(config.environments).flatMap((environment) =>
    environment.e2e ? [inRepo(environment.e2e.path)] : [],
  );
  const affected = base
    ? affectedPackages({ changedFiles: changedFiles(repo, base, sha), packagePaths, graph, inertPaths })
    : {
        packages: new Set(Object.keys(config.packages)),
        everything: request.all ? '--all' : 'no earlier passed run',
      };
  const keys = packageKeys({
    repo,
    sha,
    packages: config.packages,
    graph,
    sharedInputs: sharedInputsHash(repo, sha, [...packagePaths.values()], inertPaths),
  });

  const runId = await store.createRun({
    repo,
    branch: request.branch,
    sha,
    base_sha: base ?? null,
    author: commit.author,
    message: commit.message,
    trigger: request.trigger,
  });
  request.onCreated?.(runId);
  const redactor = new Redactor().add(
    ...secretValues(config, env),
    ...[env.WAGGLE_WEBHOOK_SECRET, env.WAGGLE_TOKEN].filter((v): v is string => !!v),
  );
  const recorder = new RunRecorder(store, runId, request.onEvent);
  const sink: StepSink = {
    testCases: (step, pkg, cases) => recorder.testCases(step, pkg, cases),
    reuseTestCases: (step, pkg, fromRun) => recorder.reuseTestCases(step, pkg, fromRun),
    artifact: (step, artifact) => recorder.artifact(step, artifact),
    remember: (key, kind, pkg) => store.remember(key, kind, pkg, runId),
    recall: (key, kind) => store.recall(key, kind),
  };
  const steps = planCiSteps({
    repo,
    sha,
    workspace: join(request.home, 'workspaces', String(runId)),
    configDir,
    home: request.home,
    packages: config.packages,
    graph,
    keys,
    affected: affected.packages,
    needed: withDependencies(graph, affected.packages),
    until: request.until ?? 'package',
    env: { ...env, CI: 'true', FORCE_COLOR: '0', WAGGLE_RUN: String(runId) },
    redactor,
    sink,
  });

  await recorder.start(steps, { affected: [...affected.packages], everything: affected.everything });
  try {
    await execute(steps, {
      concurrency: request.concurrency ?? availableParallelism(),
      signal,
      onEvent: (event) => recorder.onEngineEvent(event),
    });
  } finally {
    await recorder.flush();
  }
  const status = signal.aborted
    ? 'cancelled'
    : (await store.steps(runId)).some((s) => s.status === 'failed')
      ? 'failed'
      : 'passed';
  const summary = await summarizeRun(store, runId, status);
  await store.updateRun(runId, { status, finished_at: Date.now(), summary: JSON.stringify(summary) });
  recorder.emit({ type: 'run.finished', runId, summary });
  return summary;
}
