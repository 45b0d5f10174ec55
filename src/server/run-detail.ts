/** Everything known about one run, as the API returns it and the dashboard shows it. */
import type { RunSummary } from '../pipeline/summary.js';
import type { ArtifactRow, Run, StepRow, Store, TestCaseRow } from '../store/store.js';

export interface NotificationAttempt {
  contact: string;
  channel: string;
  event: string;
  attempt: number;
  ok: boolean;
  status: number | null;
  error: string | null;
  at: number;
}

export interface RunDetail {
  run: Omit<Run, 'summary' | 'options'>;
  summary: RunSummary | null;
  steps: StepRow[];
  /** Failures first, then the rest in the order they ran. */
  tests: TestCaseRow[];
  artifacts: ArtifactRow[];
  notifications: NotificationAttempt[];
}

export async function runDetail(store: Store, id: number): Promise<RunDetail | undefined> {
  const run = await store.getRun(id);
  if (!run) return undefined;
  const { summary, options: _options, ...rest } = run;
  const tests = await store.testCases(id);
  const attempts = await store.db
    .selectFrom('notification_attempts')
    .selectAll()
    .where('run_id', '=', id)
    .orderBy('id')
    .execute();
  return {
    run: rest,
    summary: summary ? (JSON.parse(summary) as RunSummary) : null,
    steps: await store.steps(id),
    tests: [...tests.filter((t) => t.status === 'failed'), ...tests.filter((t) => t.status !== 'failed')],
    artifacts: await store.artifacts(id),
    notifications: attempts.map(({ id: _id, run_id: _run, ok, ...attempt }) => ({
      ...attempt,
      ok: ok === 1,
    })),
  };
}
