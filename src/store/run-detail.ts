/** Everything known about one run, as the API returns it, the dashboard shows it and the CLI prints it. */
import type { RunSummary } from '../pipeline/summary.js';
import type { NotificationAttempt } from './notification-attempts.js';
import type { ArtifactRow, Run, StepRow, Store, TestCaseRow } from './store.js';

export interface RunDetail {
  run: Omit<Run, 'summary' | 'options'>;
  summary: RunSummary | null;
  steps: StepRow[];
  /** Failures first, then the rest in the order they ran. */
  tests: TestCaseRow[];
  artifacts: ArtifactRow[];
  notifications: NotificationAttempt[];
}

export async function readRunDetail(store: Store, id: number): Promise<RunDetail | undefined> {
  const run = await store.runs.get(id);
  if (!run) return undefined;
  const { summary, options: _options, ...rest } = run;
  const tests = await store.tests.ofRun(id);
  return {
    run: rest,
    summary: summary ? (JSON.parse(summary) as RunSummary) : null,
    steps: await store.steps.ofRun(id),
    tests: [...tests.filter((t) => t.status === 'failed'), ...tests.filter((t) => t.status !== 'failed')],
    artifacts: await store.artifacts.ofRun(id),
    notifications: await store.notifications.ofRun(id),
  };
}
