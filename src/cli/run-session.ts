/**
 * A job as the CLI hosts it: the store opened, the same job queue a server runs with the one job
 * made here (a CI run, a deploy), progress on stderr, the contacts told as for a push (unless
 * --no-notify), Ctrl-C cancelling cleanly.
 */

import { dirname, relative } from 'node:path';
import type { Config } from '../config/schema.js';
import {
  DEPLOY_KIND,
  type DeployOptions,
  deployKind,
  queueDeploy,
  queueRollback,
} from '../deploy/deploy-job.js';
import { RunNotifications } from '../notify/run-notifications.js';
import { RunNotifier } from '../notify/run-notifier.js';
import { type QueueRequest, queueRun } from '../pipeline/ci-run.js';
import { EventStream } from '../pipeline/event-stream.js';
import type { JobKind } from '../pipeline/job-kind.js';
import { JobQueue } from '../pipeline/job-queue.js';
import type { RunEvent } from '../pipeline/run-recorder.js';
import type { RunSummary } from '../pipeline/summary.js';
import { Store } from '../store/store.js';
import { Progress } from './progress.js';

interface Session {
  home: string;
  config: Config;
  /** The git repository of the checkout. */
  repo: string;
  /** waggle.yml's path: package paths are relative to its folder. */
  configFile: string;
  notify: boolean;
}

export interface SessionRequest extends Session, Omit<QueueRequest, 'deliveryId' | 'retryOf'> {}

/** A CI run of a commit of this checkout. */
export function runWithProgress(request: SessionRequest): Promise<RunSummary> {
  return hostJob(request, undefined, (store, lease) => queueRun(store, request, lease));
}

/** A deploy of a passed run's artifacts to an environment, under this checkout's waggle.yml. */
export function deployWithProgress(
  request: Session & DeployOptions & { actor: string; beforeStart?: (store: Store) => Promise<void> },
): Promise<RunSummary> {
  return hostJob(request, deployKinds(request), async (store, lease) => {
    await request.beforeStart?.(store);
    return queueDeploy(store, { ...request, trigger: 'cli' }, lease);
  });
}

/** A rollback of an environment to a release its hosts kept: a deploy job that rebuilds nothing. */
export function rollbackWithProgress(
  request: Session & { environment: string; to?: string; actor: string; branch: string; sha: string },
): Promise<RunSummary> {
  return hostJob(request, deployKinds(request), (store, lease) =>
    queueRollback(store, { ...request, trigger: 'cli' }, request, lease),
  );
}

function deployKinds(
  request: Session & { actor: string },
): (store: Store, onEvent: (event: RunEvent) => void) => Readonly<Record<string, JobKind>> {
  return (store, onEvent) => ({
    [DEPLOY_KIND]: deployKind({
      store,
      home: request.home,
      config: request.config,
      configDir: dirname(request.configFile),
      env: process.env,
      actor: request.actor,
      onEvent,
    }),
  });
}

async function hostJob(
  request: Session,
  kinds:
    | ((store: Store, onEvent: (event: RunEvent) => void) => Readonly<Record<string, JobKind>>)
    | undefined,
  create: (store: Store, lease: { owner: string; expiresAt: number }) => Promise<number>,
): Promise<RunSummary> {
  const { config } = request;
  const store = Store.open(request.home);
  const say = (message: string) => process.stderr.write(`waggle: ${message}\n`);
  const progress = new Progress(process.stderr);
  const events = new EventStream((error) => say(`an event subscriber failed: ${String(error)}`));
  events.subscribe(progress.onEvent);
  let summary: RunSummary | undefined;
  events.subscribe((event) => {
    if (event.type === 'run.finished' && event.runId === runId) summary = event.summary;
  });
  const notifications = request.notify
    ? new RunNotifications(
        store,
        new RunNotifier({
          store,
          config,
          env: process.env,
          repository: config.github?.repository ?? request.repo,
        }),
        say,
      )
    : undefined;
  if (notifications) events.subscribe(notifications.onEvent);
  const configDir = relative(request.repo, dirname(request.configFile));
  let runId: number | undefined;
  const publish = (event: RunEvent) => events.publish(event);
  const queue = new JobQueue({
    store,
    home: request.home,
    loadCommit: async () => ({ config, configDir }),
    env: process.env,
    // Only the job made here is worked on: a retry of an abandoned one would wait for nobody.
    retryInterrupted: false,
    onEvent: publish,
    log: say,
    kinds: kinds?.(store, publish),
  });
  let stopping = false;
  const onSignal = () => {
    if (runId === undefined || stopping) process.exit(130); // a second Ctrl-C: stop waiting for cleanup
    stopping = true;
    process.stderr.write('\ncancelling: stopping running steps…\n');
    void queue.cancel(runId);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    // A run killed with its process (SIGKILL, a crash) stays "running" until someone looks.
    await queue.recover('its process stopped mid-run');
    const result = await queue.runNow(async (lease) => {
      runId = await create(store, lease);
      return runId;
    });
    const finished = result.summary ?? summary;
    if (!finished) throw new Error(`run ${runId} ended ${result.status} before it could plan`);
    return finished;
  } finally {
    await queue.stop();
    progress.stop();
    if (notifications) await notifications.drain();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await store.close();
  }
}
