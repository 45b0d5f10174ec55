/**
 * Rerun and cancel, for the API and the dashboard alike: each audited with who and from where,
 * so a button on a page and a call to the API leave the same trace.
 */

import type { JobQueue } from '../pipeline/job-queue.js';
import type { Run, Store } from '../store/store.js';

export interface Actor {
  name: string;
  ip: string;
}

/** Queues the same commit again with the same options; returns the new run's id. */
export async function rerunRun(store: Store, queue: JobQueue, run: Run, actor: Actor): Promise<number> {
  const rerun = await store.runs.queueAgain(run, { trigger: 'rerun' });
  await store.audit.record({
    actor: actor.name,
    action: 'run.rerun',
    target: `run ${run.id}`,
    ip: actor.ip,
    detail: `as run ${rerun}`,
  });
  await queue.queued(rerun);
  return rerun;
}

/** False when the run had already ended (the attempt is audited all the same). */
export async function cancelRun(
  store: Store,
  queue: JobQueue,
  runId: number,
  actor: Actor,
): Promise<boolean> {
  const cancelled = await queue.cancel(runId);
  await store.audit.record({
    actor: actor.name,
    action: 'run.cancel',
    target: `run ${runId}`,
    ip: actor.ip,
    detail: cancelled ? undefined : 'had already ended',
  });
  return cancelled;
}
