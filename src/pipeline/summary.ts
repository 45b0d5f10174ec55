/** What a run came to, from the store: the object `--json` prints and the terminal summary reads. */
import type { RunStatus, StepStatus } from '../store/schema.js';
import type { StepRow, Store } from '../store/store.js';
import { STAGES } from './step.js';

export interface PackageSummary {
  status: 'passed' | 'failed' | 'cached' | 'skipped' | 'cancelled';
  build: StepStatus | null;
  test: StepStatus | null;
  detail: string | null;
  tests: { passed: number; failed: number; skipped: number };
}

export interface RunSummary {
  run: number;
  status: RunStatus;
  branch: string;
  sha: string;
  base: string | null;
  seconds: number;
  stages: { name: string; status: StepStatus; seconds: number }[];
  packages: Record<string, PackageSummary>;
  failedTests: {
    package: string;
    suite: string;
    name: string;
    file: string | null;
    message: string | null;
  }[];
  failedSteps: { name: string; detail: string | null }[];
  artifacts: { package: string; file: string; sha256: string; size: number }[];
}

export async function summarizeRun(store: Store, runId: number, status: RunStatus): Promise<RunSummary> {
  const run = await store.runs.get(runId);
  if (!run) throw new Error(`no run ${runId}`);
  const steps = await store.steps.ofRun(runId);
  const cases = await store.tests.ofRun(runId);
  const artifacts = await store.artifacts.ofRun(runId);

  const packages: Record<string, PackageSummary> = {};
  for (const name of [...new Set(steps.flatMap((s) => (s.package ? [s.package] : [])))]) {
    const build = steps.find((s) => s.key === `build:${name}`);
    const suites = steps.filter((s) => s.package === name && s.stage === 'test');
    const test =
      suites.length === 0
        ? undefined
        : {
            status: combine(suites.map((s) => s.status)),
            // One suite speaks for itself; several are told apart ("client: 6 tests; server: cached").
            detail:
              suites.length === 1
                ? (suites[0]?.detail ?? null)
                : suites.map((s) => `${s.key.split(':').at(-1)}: ${s.detail ?? s.status}`).join('; '),
          };
    const own = cases.filter((c) => c.package === name);
    const count = (wanted: string) => own.filter((c) => c.status === wanted).length;
    const mine = steps.filter((s) => s.package === name);
    packages[name] = {
      status: packageStatus(mine, test),
      build: build?.status ?? null,
      test: test?.status ?? null,
      detail: (mine.find((s) => s.status === 'failed') ?? test ?? build)?.detail ?? null,
      tests: { passed: count('passed'), failed: count('failed'), skipped: count('skipped') },
    };
  }

  const finished = run.finished_at ?? Date.now();
  return {
    run: runId,
    status,
    branch: run.branch,
    sha: run.sha,
    base: run.base_sha,
    seconds: seconds(run.started_at ?? run.created_at, finished),
    stages: STAGES.flatMap((stage) => {
      const own = steps.filter((s) => s.stage === stage);
      return own.length === 0
        ? []
        : [{ name: stage, status: combine(own.map((s) => s.status)), seconds: span(own) }];
    }),
    packages,
    failedTests: cases
      .filter((c) => c.status === 'failed')
      .map((c) => ({ package: c.package, suite: c.suite, name: c.name, file: c.file, message: c.message })),
    failedSteps: steps.filter((s) => s.status === 'failed').map((s) => ({ name: s.name, detail: s.detail })),
    artifacts: artifacts.map((a) => ({ package: a.package, file: a.file, sha256: a.sha256, size: a.size })),
  };
}

/** A package built only because others need it was not itself under test: it counts as skipped. */
function packageStatus(
  steps: readonly StepRow[],
  test: Pick<StepRow, 'status'> | undefined,
): PackageSummary['status'] {
  const status = combine(steps.map((s) => s.status));
  if (status !== 'failed' && status !== 'cancelled' && test?.status === 'skipped') return 'skipped';
  return status as PackageSummary['status'];
}

/** One status for many steps: the worst that happened, else the most work done. */
export function combine(statuses: readonly StepStatus[]): StepStatus {
  for (const status of ['failed', 'cancelled', 'running', 'pending', 'passed', 'cached'] as const) {
    if (statuses.includes(status)) return status;
  }
  return 'skipped';
}

function span(steps: readonly StepRow[]): number {
  const starts = steps.flatMap((s) => (s.started_at ? [s.started_at] : []));
  const ends = steps.flatMap((s) => (s.finished_at ? [s.finished_at] : []));
  if (starts.length === 0 || ends.length === 0) return 0;
  return seconds(Math.min(...starts), Math.max(...ends));
}

function seconds(from: number, to: number): number {
  return Math.round((to - from) / 100) / 10;
}
