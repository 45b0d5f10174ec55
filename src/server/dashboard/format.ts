/** Small text renderings the pages share: how long and how long ago. Pure, given `now`. */
import { duration } from '../../notify/facts.js';
import { UNFINISHED } from '../../store/schema.js';
import type { Run } from '../../store/store.js';

export { commitSubject, shortSha, testLabel } from '../../notify/facts.js';

export function isActive(run: Pick<Run, 'status'>): boolean {
  return UNFINISHED.includes(run.status);
}

/** A run's time so far: nothing while queued, the clock while running, the total once ended. */
export function runDuration(run: Pick<Run, 'started_at' | 'finished_at'>, now: number): string {
  if (run.started_at === null) return '';
  return milliseconds((run.finished_at ?? now) - run.started_at);
}

export function milliseconds(ms: number | null): string {
  if (ms === null) return '';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  return duration(ms / 1000);
}

export function timeAgo(at: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

export function isoTime(at: number): string {
  return new Date(at).toISOString();
}
