/**
 * What a passed push leads to: the first environments of the chain (those with no `after`,
 * staging) get a deploy job for the run's artifacts. An event subscriber, so the engine knows
 * nothing of it; only runs of pushes (and their retries) go out, never a run started by hand.
 */
import type { Config } from '../config/schema.js';
import type { PipelineEvent } from '../pipeline/event-stream.js';
import type { Store } from '../store/store.js';
import { DEPLOY_KIND, queueDeploy } from './deploy-job.js';

const FROM_PUSHES = new Set(['push', 'poll']);

export function deployAfterCi(deps: {
  store: Store;
  config: Config;
  /** Tells the queue a job is there. */
  queued: (runId: number) => Promise<void>;
  log: (message: string) => void;
}): (event: PipelineEvent) => void {
  const first = Object.entries(deps.config.environments)
    .filter(([, environment]) => !environment.after)
    .map(([name]) => name);
  return (event) => {
    if (event.type !== 'run.finished' || event.summary.status !== 'passed' || first.length === 0) return;
    void (async () => {
      const run = await deps.store.runs.get(event.runId);
      if (!run || run.kind === DEPLOY_KIND || !FROM_PUSHES.has(run.trigger)) return;
      for (const environment of first) {
        const id = await queueDeploy(deps.store, { environment, sourceRun: run.id, trigger: 'push' });
        deps.log(`run ${run.id} passed: deploy ${id} to ${environment} queued`);
        await deps.queued(id);
      }
    })().catch((error: unknown) => deps.log(`queueing a deploy after run ${event.runId}: ${String(error)}`));
  };
}
