/** Jobs of a test-only kind that run until the test lets each one go (or the queue stops them). */
import type { JobKind } from '../../src/pipeline/job-kind.js';

export interface HeldJobs {
  kind: JobKind;
  /** Ids of the jobs that started, in order. */
  started: number[];
  /** Lets a started job finish as passed. */
  release(id: number): void;
  releaseAll(): void;
}

export function heldJobs(rules: Omit<JobKind, 'run'>): HeldJobs {
  const started: number[] = [];
  const releases = new Map<number, () => void>();
  return {
    started,
    release: (id) => releases.get(id)?.(),
    releaseAll: () => {
      for (const finish of releases.values()) finish();
    },
    kind: {
      ...rules,
      run: (job, signal) =>
        new Promise((resolve) => {
          started.push(job.id);
          releases.set(job.id, () => resolve('passed'));
          signal.addEventListener('abort', () => resolve('failed'), { once: true });
        }),
    },
  };
}
