/**
 * What a run came to: the object `--json` prints, the terminal summary reads and notifications
 * tell. Built from the engine's own results as the run goes, never read back from the store.
 */
import type { TestCase } from '../reports/junit.js';
import type { RunStatus, StepStatus } from '../store/schema.js';
import type { Artifact } from '../workspace/artifact.js';
import { type EngineEvent, STAGES, type Step } from './step.js';

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

/** A step as the summary sees it: what it is, and what the engine said of it. */
interface TalliedStep {
  key: string;
  stage: string;
  name: string;
  package?: string;
  status: StepStatus;
  detail: string | null;
  startedAt?: number;
  finishedAt?: number;
}

export interface RunFacts {
  id: number;
  branch: string;
  sha: string;
  base: string | null;
  startedAt: number;
}

/** Collects a run's step results, test cases and artifacts as they happen, and sums them up. */
export class RunTally {
  private readonly steps = new Map<string, TalliedStep>();
  private readonly cases: (TestCase & { package: string })[] = [];
  private readonly artifacts: Artifact[] = [];

  planned(steps: readonly Step[]): void {
    for (const { key, stage, name, package: pkg } of steps)
      this.steps.set(key, { key, stage, name, package: pkg, status: 'pending', detail: null });
  }

  onEngineEvent(event: EngineEvent): void {
    const step = this.steps.get(event.step.key);
    if (!step || event.type === 'step.log') return;
    if (event.type === 'step.started') {
      step.status = 'running';
      step.startedAt = event.at;
      return;
    }
    step.status = event.result.status;
    step.detail = event.result.detail ?? null;
    step.finishedAt = event.at;
  }

  testCases(pkg: string, cases: readonly TestCase[]): void {
    this.cases.push(...cases.map((c) => ({ ...c, package: pkg })));
  }

  artifact(artifact: Artifact): void {
    this.artifacts.push(artifact);
  }

  get failed(): boolean {
    return [...this.steps.values()].some((s) => s.status === 'failed');
  }

  summary(run: RunFacts, status: RunStatus, finishedAt: number): RunSummary {
    const steps = [...this.steps.values()];
    const packages: Record<string, PackageSummary> = {};
    for (const name of [...new Set(steps.flatMap((s) => (s.package ? [s.package] : [])))]) {
      const mine = steps.filter((s) => s.package === name);
      const own = this.cases.filter((c) => c.package === name);
      const count = (wanted: string) => own.filter((c) => c.status === wanted).length;
      const build = steps.find((s) => s.key === `build:${name}`);
      const test = testOf(mine.filter((s) => s.stage === 'test'));
      packages[name] = {
        status: packageStatus(mine, test),
        build: build?.status ?? null,
        test: test?.status ?? null,
        detail: (mine.find((s) => s.status === 'failed') ?? test ?? build)?.detail ?? null,
        tests: { passed: count('passed'), failed: count('failed'), skipped: count('skipped') },
      };
    }
    return {
      run: run.id,
      status,
      branch: run.branch,
      sha: run.sha,
      base: run.base,
      seconds: seconds(run.startedAt, finishedAt),
      stages: STAGES.flatMap((stage) => {
        const own = steps.filter((s) => s.stage === stage);
        return own.length === 0
          ? []
          : [{ name: stage, status: combine(own.map((s) => s.status)), seconds: span(own) }];
      }),
      packages,
      failedTests: this.cases
        .filter((c) => c.status === 'failed')
        .map((c) => ({ package: c.package, suite: c.suite, name: c.name, file: c.file, message: c.message })),
      failedSteps: steps
        .filter((s) => s.status === 'failed')
        .map((s) => ({ name: s.name, detail: s.detail })),
      artifacts: this.artifacts.map((a) => ({
        package: a.package,
        file: a.file,
        sha256: a.sha256,
        size: a.size,
      })),
    };
  }
}

/** A package's suites as one: one speaks for itself, several are told apart ("client: 6 tests; server: cached"). */
function testOf(suites: readonly TalliedStep[]): Pick<TalliedStep, 'status' | 'detail'> | undefined {
  if (suites.length === 0) return undefined;
  return {
    status: combine(suites.map((s) => s.status)),
    detail:
      suites.length === 1
        ? (suites[0]?.detail ?? null)
        : suites.map((s) => `${s.key.split(':').at(-1)}: ${s.detail ?? s.status}`).join('; '),
  };
}

/** A package built only because others need it was not itself under test: it counts as skipped. */
function packageStatus(
  steps: readonly TalliedStep[],
  test: Pick<TalliedStep, 'status'> | undefined,
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

function span(steps: readonly TalliedStep[]): number {
  const starts = steps.flatMap((s) => (s.startedAt ? [s.startedAt] : []));
  const ends = steps.flatMap((s) => (s.finishedAt ? [s.finishedAt] : []));
  if (starts.length === 0 || ends.length === 0) return 0;
  return seconds(Math.min(...starts), Math.max(...ends));
}

function seconds(from: number, to: number): number {
  return Math.round((to - from) / 100) / 10;
}
