/** Writes a run's progress to the store as it happens and passes it on to whoever watches. */
import type { TestCase } from '../reports/junit.js';
import type { RunStatus, StepLogTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { Artifact } from '../workspace/artifact.js';
import type { EngineEvent, FinalStatus, StageName, Step } from './step.js';
import type { RunSummary } from './summary.js';

export interface PlannedStep {
  key: string;
  stage: StageName;
  name: string;
  package?: string;
}

export type RunEvent =
  | { type: 'run.started'; runId: number; steps: PlannedStep[]; affected: string[]; everything?: string }
  | { type: 'step.started'; runId: number; key: string }
  | { type: 'step.log'; runId: number; key: string; seq: number; line: string; stream: 'stdout' | 'stderr' }
  | {
      type: 'step.finished';
      runId: number;
      key: string;
      status: FinalStatus;
      detail?: string;
      durationMs: number;
    }
  | { type: 'run.finished'; runId: number; summary: RunSummary }
  /** A run that ended before it could plan steps: cancelled while queued, a failed fetch, interrupted. */
  | { type: 'run.ended'; runId: number; status: RunStatus };

const LOG_FLUSH_MS = 250;

export class RunRecorder {
  private readonly stepIds = new Map<string, number>();
  private readonly sequence = new Map<string, number>();
  private pendingLogs: StepLogTable[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly runId: number,
    private readonly listener?: (event: RunEvent) => void,
  ) {}

  emit(event: RunEvent): void {
    this.listener?.(event);
  }

  async start(steps: readonly Step[], scope: { affected: string[]; everything?: string }): Promise<void> {
    for (const step of steps) {
      const id = await this.store.steps.add({
        run_id: this.runId,
        key: step.key,
        stage: step.stage,
        name: step.name,
        package: step.package ?? null,
        cache_key: step.cacheKey ?? null,
      });
      this.stepIds.set(step.key, id);
    }
    this.emit({
      type: 'run.started',
      runId: this.runId,
      steps: steps.map(({ key, stage, name, package: pkg }) => ({ key, stage, name, package: pkg })),
      ...scope,
    });
  }

  /** Engine events arrive synchronously; store writes are chained so they land in order. */
  onEngineEvent(event: EngineEvent): void {
    const id = this.stepIds.get(event.step.key) as number;
    if (event.type === 'step.log') {
      const seq = (this.sequence.get(event.step.key) ?? 0) + 1;
      this.sequence.set(event.step.key, seq);
      this.pendingLogs.push({ step_id: id, seq, stream: event.stream, line: event.line, at: Date.now() });
      this.flushTimer ??= setTimeout(() => this.flushLogs(), LOG_FLUSH_MS);
      this.emit({
        type: 'step.log',
        runId: this.runId,
        key: event.step.key,
        seq,
        line: event.line,
        stream: event.stream,
      });
      return;
    }
    if (event.type === 'step.started') {
      this.chain(() => this.store.steps.update(id, { status: 'running', started_at: event.at }));
      this.emit({ type: 'step.started', runId: this.runId, key: event.step.key });
      return;
    }
    this.flushLogs();
    const { result } = event;
    this.chain(() =>
      this.store.steps.update(id, {
        status: result.status,
        detail: result.detail ?? null,
        exit_code: result.exitCode ?? null,
        finished_at: event.at,
        duration_ms: result.durationMs,
      }),
    );
    this.emit({
      type: 'step.finished',
      runId: this.runId,
      key: event.step.key,
      status: result.status,
      detail: result.detail,
      durationMs: result.durationMs,
    });
  }

  async testCases(step: Step, pkg: string, cases: TestCase[]): Promise<void> {
    const stepId = this.stepIds.get(step.key) as number;
    await this.store.tests.add(
      cases.map((c) => ({
        run_id: this.runId,
        step_id: stepId,
        package: pkg,
        suite: c.suite,
        name: c.name,
        file: c.file,
        status: c.status,
        duration_ms: c.durationMs,
        message: c.message,
      })),
    );
  }

  /** Records the cases an earlier run of the same suite found; returns them. */
  async reuseTestCases(step: Step, pkg: string, fromRun: number): Promise<TestCase[]> {
    const earlier = (await this.store.tests.ofStep(fromRun, step.key)).map(
      (c): TestCase => ({
        suite: c.suite,
        name: c.name,
        file: c.file,
        status: c.status,
        durationMs: c.duration_ms,
        message: c.message,
      }),
    );
    await this.testCases(step, pkg, earlier);
    return earlier;
  }

  async artifact(_step: Step, artifact: Artifact): Promise<void> {
    await this.store.artifacts.add({
      run_id: this.runId,
      package: artifact.package,
      file: artifact.file,
      sha256: artifact.sha256,
      size: artifact.size,
      cache_key: artifact.manifest.cacheKey,
      manifest: JSON.stringify(artifact.manifest),
    });
  }

  async flush(): Promise<void> {
    this.flushLogs();
    await this.writes;
  }

  private flushLogs(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const lines = this.pendingLogs;
    this.pendingLogs = [];
    this.store.logs.append(lines);
  }

  private chain(write: () => Promise<unknown>): void {
    this.writes = this.writes.then(write);
  }
}
