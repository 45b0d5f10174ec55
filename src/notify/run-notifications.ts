/**
 * Notifications as a subscriber of the event stream: a run's start and end are told to the
 * contacts, in that order for each run, in the background. The same for a run from a push and
 * one from the command line; `drain()` waits for what is still being sent.
 */
import type { PipelineEvent } from '../pipeline/event-stream.js';
import type { Store } from '../store/store.js';
import type { RunNotifier } from './run-notifier.js';

export class RunNotifications {
  private readonly told = new Map<number, Promise<void>>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly notifier: RunNotifier,
    private readonly log: (message: string) => void = () => {},
  ) {}

  readonly onEvent = (event: PipelineEvent): void => {
    if (event.type === 'run.started') this.tell(event.runId, async (run) => this.notifier.started(run));
    else if (event.type === 'run.finished')
      this.tell(event.runId, async (run) => this.notifier.finished(run, event.summary));
    else if (event.type === 'run.ended')
      this.tell(event.runId, async (run) => this.notifier.finished(run, undefined));
  };

  /** Waits until every notification under way has been delivered or given up on. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }

  /** Chains after what this run was told before, so "started" always goes out first. */
  private tell(
    runId: number,
    send: (run: NonNullable<Awaited<ReturnType<Store['runs']['get']>>>) => Promise<void>,
  ): void {
    const before = this.told.get(runId) ?? Promise.resolve();
    const done = before
      .then(async () => {
        const run = await this.store.runs.get(runId);
        if (run) await send(run);
      })
      .catch((error: unknown) => this.log(`run ${runId}: notifying contacts: ${String(error)}`))
      .finally(() => {
        this.pending.delete(done);
        if (this.told.get(runId) === done) this.told.delete(runId);
      });
    this.told.set(runId, done);
    this.pending.add(done);
  }
}
