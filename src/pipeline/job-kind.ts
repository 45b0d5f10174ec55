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
  /** Does the job to its end; throws when it failed, and stops when the signal aborts. */
  run(job: Run, signal: AbortSignal): Promise<'passed' | 'failed'>;
}

/** The rules of a CI run, whose work the queue itself knows how to do. */
export const CI_RULES: Pick<JobKind, 'supersededByNewer' | 'afterCrash'> = {
  supersededByNewer: true,
  afterCrash: 'retry-once',
};
