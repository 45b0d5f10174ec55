/**
 * What kind of job a queued run is, and the rules that kind lives by: whether a newer job of the
 * same kind on the same branch supersedes it (a CI run yields to a newer push; a deploy never
 * does), and what a crash leaves it to (a CI run is interrupted and queued once more; a deploy
 * resumes from its saved state).
 */
import type { Run } from '../store/store.js';

export interface JobKind {
  supersededByNewer: boolean;
  afterCrash: 'retry-once' | 'resume';
  /**
   * Jobs of one lane run one at a time, beside other lanes (a deploy's lane is its environment,
   * so two environments deploy at once). Default: one lane for the whole kind.
   */
  lane?(job: Run): string;
  /**
   * A newer job of the lane cancels the ones still waiting in it (pending deploys to one
   * environment collapse to the newest), never the one at work.
   */
  collapseQueued?: boolean;
  /** Does the job to its end; throws when it failed, and stops when the signal aborts. */
  run(job: Run, signal: AbortSignal): Promise<'passed' | 'failed'>;
}

/** The rules of a CI run, whose work the queue itself knows how to do. */
export const CI_RULES: Pick<JobKind, 'supersededByNewer' | 'afterCrash'> = {
  supersededByNewer: true,
  afterCrash: 'retry-once',
};
