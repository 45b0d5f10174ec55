/**
 * A CI run as the CLI hosts it: the store opened, progress on stderr, the contacts told as for a
 * push (unless --no-notify), Ctrl-C cancelling cleanly.
 */

import { RunNotifications } from '../notify/run-notifications.js';
import { RunNotifier } from '../notify/run-notifier.js';
import { type CiRunRequest, runCi } from '../pipeline/ci-run.js';
import { EventStream } from '../pipeline/event-stream.js';
import { LeaseKeeper } from '../pipeline/lease-keeper.js';
import type { RunSummary } from '../pipeline/summary.js';
import { Store } from '../store/store.js';
import { Progress } from './progress.js';

export async function runWithProgress(
  request: Omit<CiRunRequest, 'store' | 'signal' | 'onEvent'> & { notify: boolean },
): Promise<RunSummary> {
  const store = Store.open(request.home);
  const say = (message: string) => process.stderr.write(`waggle: ${message}\n`);
  const lease = new LeaseKeeper(store, () => {
    process.stderr.write('\ncancelled from elsewhere (the API or the dashboard): stopping…\n');
    cancel.abort();
  });
  const progress = new Progress(process.stderr);
  const events = new EventStream((error) => say(`an event subscriber failed: ${String(error)}`));
  events.subscribe(progress.onEvent);
  const notifications = request.notify
    ? new RunNotifications(
        store,
        new RunNotifier({
          store,
          config: request.config,
          env: process.env,
          repository: request.config.github?.repository ?? request.repo,
        }),
        say,
      )
    : undefined;
  if (notifications) events.subscribe(notifications.onEvent);
  const cancel = new AbortController();
  const onSignal = () => {
    if (cancel.signal.aborted) process.exit(130); // a second Ctrl-C: stop waiting for cleanup
    process.stderr.write('\ncancelling: stopping running steps…\n');
    cancel.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    // A run killed with its process (SIGKILL, a crash) stays "running" until someone looks.
    for (const run of await lease.abandoned())
      await store.runs.markInterrupted(run.id, 'its process stopped mid-run');
    return await runCi({
      ...request,
      store,
      lease,
      signal: cancel.signal,
      onEvent: (event) => events.publish(event),
      log: say,
    });
  } finally {
    await lease.stop();
    progress.stop();
    if (notifications) await notifications.drain();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await store.close();
  }
}
