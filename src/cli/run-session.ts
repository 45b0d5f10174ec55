/**
 * A CI run as the CLI hosts it: the store opened, the same job queue a server runs with the one
 * run made here, progress on stderr, the contacts told as for a push (unless --no-notify), Ctrl-C
 * cancelling cleanly.
 */

import { dirname, relative } from 'node:path';
import type { Config } from '../config/schema.js';
import { RunNotifications } from '../notify/run-notifications.js';
import { RunNotifier } from '../notify/run-notifier.js';
import { type QueueRequest, queueRun } from '../pipeline/ci-run.js';
import { EventStream } from '../pipeline/event-stream.js';
import { JobQueue } from '../pipeline/job-queue.js';
import type { RunSummary } from '../pipeline/summary.js';
import { Store } from '../store/store.js';
import { Progress } from './progress.js';

export interface SessionRequest extends Omit<QueueRequest, 'deliveryId' | 'retryOf'> {
  home: string;
  config: Config;
  /** waggle.yml's path: package paths are relative to its folder. */
  configFile: string;
  notify: boolean;
}

export async function runWithProgress(request: SessionRequest): Promise<RunSummary> {
  const { config } = request;
  const store = Store.open(request.home);
  const say = (message: string) => process.stderr.write(`waggle: ${message}\n`);
  const progress = new Progress(process.stderr);
  const events = new EventStream((error) => say(`an event subscriber failed: ${String(error)}`));
  events.subscribe(progress.onEvent);
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
  const queue = new JobQueue({
    store,
    home: request.home,
    loadCommit: async () => ({ config, configDir }),
    env: process.env,
    // Only the run made here is worked on: a retry of an abandoned one would wait for nobody.
    retryInterrupted: false,
    onEvent: (event) => events.publish(event),
    log: say,
  });
  let runId: number | undefined;
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
      runId = await queueRun(store, request, lease);
      return runId;
    });
    if (!result.summary) throw new Error(`run ${runId} ended ${result.status} before it could plan`);
    return result.summary;
  } finally {
    await queue.stop();
    progress.stop();
    if (notifications) await notifications.drain();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await store.close();
  }
}
