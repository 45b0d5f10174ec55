/** A CI run as the CLI hosts it: the store opened, progress on stderr, Ctrl-C cancelling cleanly. */
import { type CiRunRequest, runCi } from '../pipeline/ci-run.js';
import { LeaseKeeper } from '../pipeline/lease-keeper.js';
import type { RunSummary } from '../pipeline/summary.js';
import { Store } from '../store/store.js';
import { Progress } from './progress.js';

export async function runWithProgress(
  request: Omit<CiRunRequest, 'store' | 'signal' | 'onEvent'>,
): Promise<RunSummary> {
  const store = Store.open(request.home);
  const lease = new LeaseKeeper(store, () => {
    process.stderr.write('\ncancelled from elsewhere (the API or the dashboard): stopping…\n');
    cancel.abort();
  });
  const progress = new Progress(process.stderr);
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
      onEvent: progress.onEvent,
      log: (message) => process.stderr.write(`waggle: ${message}\n`),
    });
  } finally {
    await lease.stop();
    progress.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await store.close();
  }
}
