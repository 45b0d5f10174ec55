/**
 * The job queue: takes queued jobs oldest first, each by the rules of its kind (see job-kind.ts),
 * in lanes: CI runs share one lane of `workers` places; a job of another kind runs in the lane its
 * kind names (a deploy: its environment), one at a time, side by side with the other lanes.
 * For CI runs, per branch the newest push wins: it cancels that branch's older queued runs and
 * stops its running one; after a crash, a run left running is marked interrupted and queued once
 * more. The server hosts it as a worker; `waggle run` hosts it for the one run it made.
 */

import { type Clock, systemClock } from '../clock.js';
import type { Config } from '../config/schema.js';
import type { RunStatus } from '../store/schema.js';
import type { Run, Store } from '../store/store.js';
import { executeRun } from './ci-run.js';
import { CI_RULES, type JobKind } from './job-kind.js';
import { DEFAULT_LEASE, LeaseKeeper, type LeaseTiming } from './lease-keeper.js';
import type { RunEvent } from './run-recorder.js';
import type { RunSummary } from './summary.js';

export interface JobQueueDeps {
  store: Store;
  home: string;
  /**
   * Gets a CI run's commit where the run can build from it (the server fetches it into its
   * mirror) and the configuration it runs under (the commit's own waggle.yml).
   */
  loadCommit(run: Run, signal: AbortSignal): Promise<{ config: Config; configDir: string }>;
  env?: NodeJS.ProcessEnv;
  /** How many steps of one run at once. */
  concurrency?: number;
  /** How many CI runs at once (`server.workers`); every other lane takes one job at a time. */
  workers?: number;
  /**
   * Whether a CI run abandoned mid-way is queued once more. A host that only runs the job it
   * made itself (`waggle run`) says no: nobody would take the retry.
   */
  retryInterrupted?: boolean;
  onEvent?: (event: RunEvent) => void;
  log?: (message: string) => void;
  lease?: LeaseTiming;
  clock?: Clock;
  /** Kinds of job beyond CI runs (deploys), by the name stored with each job. */
  kinds?: Readonly<Record<string, JobKind>>;
}

/** How a job ended: a CI run's summary when it got as far as planning, else why it could not. */
export interface JobResult {
  status: RunStatus;
  summary?: RunSummary;
}

interface Current {
  run: Run;
  lane: string;
  controller: AbortController;
  /** Why it was stopped, when it was: decides what the job is recorded as. */
  stopReason?: 'superseded' | 'cancelled' | 'shutdown';
  supersededBy?: number;
  done?: Promise<unknown>;
}

const CI_LANE = 'ci';

export class JobQueue {
  private readonly running = new Map<number, Current>();
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private loopDone: Promise<void> = Promise.resolve();
  private readonly lease: LeaseKeeper;
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> = Promise.resolve();
  private readonly clock: Clock;

  constructor(private readonly deps: JobQueueDeps) {
    this.clock = deps.clock ?? systemClock;
    this.lease = new LeaseKeeper(
      deps.store,
      (runId) => {
        // Ended by another process (a CLI or a second server sharing the store): stop working on it.
        const current = this.running.get(runId);
        if (!current) return;
        this.deps.log?.(`run ${runId} was ended elsewhere (the API or the dashboard): stopping it`);
        current.stopReason = 'cancelled';
        current.controller.abort();
      },
      deps.lease,
      this.clock,
    );
  }

  /** Recovers what a crash left behind, then works until stop(). */
  async start(): Promise<void> {
    await this.recover();
    this.loopDone = this.loop();
    // A holder that died less than a lease ago is found later, once its lease has run out.
    this.sweeper = setInterval(
      () => {
        this.sweeping = this.recover()
          .then(() => this.wake())
          .catch((error: unknown) => this.deps.log?.(`recovering abandoned runs: ${String(error)}`));
      },
      (this.deps.lease ?? DEFAULT_LEASE).ttlMs / 2,
    ).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweeper);
    await this.sweeping;
    for (const current of this.running.values()) {
      current.stopReason = 'shutdown';
      current.controller.abort();
    }
    this.wake();
    await this.loopDone;
    await Promise.all([...this.running.values()].map((current) => current.done));
    await this.lease.stop();
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** A run was queued: older queued runs of its branch are superseded, a running one stopped. */
  async queued(runId: number): Promise<void> {
    const run = await this.deps.store.runs.get(runId);
    if (!run) return;
    if (this.deps.kinds?.[run.kind]?.collapseQueued) {
      const lane = this.laneOf(run);
      const waiting = (await this.deps.store.runs.queued()).filter(
        (other) => other.id < run.id && other.kind === run.kind && this.laneOf(other) === lane,
      );
      const collapsed = await this.deps.store.runs.supersedeQueuedIds(
        waiting.map((other) => other.id),
        run.id,
      );
      for (const id of collapsed) this.ended(id, 'cancelled');
      if (collapsed.length > 0) this.deps.log?.(`runs ${collapsed.join(', ')} superseded by run ${run.id}`);
    }
    // Only jobs of a kind that yields to a newer one are superseded, and only by their own kind.
    if (!this.rulesOf(run).supersededByNewer) return this.wake();
    const superseded = await this.deps.store.runs.supersedeQueued(run.repo, run.branch, run.id, run.kind);
    for (const id of superseded) this.ended(id, 'cancelled');
    if (superseded.length > 0) this.deps.log?.(`runs ${superseded.join(', ')} superseded by run ${run.id}`);
    for (const current of this.running.values()) {
      const older = current.run;
      if (older.kind !== run.kind || older.branch !== run.branch || older.repo !== run.repo) continue;
      if (older.id >= run.id) continue;
      current.stopReason = 'superseded';
      current.supersededBy = run.id;
      current.controller.abort();
      this.deps.log?.(`run ${older.id} stopped: superseded by run ${run.id}`);
    }
    this.wake();
  }

  /**
   * Cancels any run that has not finished: one this process works on is stopped at once; a
   * queued one never starts; one held by another process (or by none, after a crash) is ended
   * in the store, and a live holder stops it when it next renews its lease. False when it had
   * already ended.
   */
  async cancel(runId: number): Promise<boolean> {
    const current = this.running.get(runId);
    if (current) {
      current.stopReason = 'cancelled';
      current.controller.abort();
      return true;
    }
    const run = await this.deps.store.runs.get(runId);
    const why = run?.status === 'queued' ? 'cancelled before it started' : 'cancelled';
    const cancelled = await this.deps.store.runs.cancelUnfinished(runId, why, this.clock.now());
    if (cancelled) this.ended(runId, 'cancelled');
    return cancelled;
  }

  /**
   * Runs at once, outside the lanes, a job this process made already running under its own
   * lease (`waggle run` from a checkout): `create` stores it. A job that could not start is
   * recorded as failed and its error thrown, never left for a worker to take.
   */
  async runNow(create: (lease: { owner: string; expiresAt: number }) => Promise<number>): Promise<JobResult> {
    const runId = await this.lease.holdNew(create);
    const run = await this.deps.store.runs.get(runId);
    if (!run) throw new Error(`no run ${runId}`);
    return this.begin(run, { rethrow: true });
  }

  /** Runs a dead process left running: interrupted (and retried once) or resumed, by their kind. */
  async recover(why = 'the server stopped mid-run'): Promise<void> {
    for (const run of await this.lease.abandoned()) await this.interrupt(run, why);
  }

  /** Watchers of a run that ended without steps to report (live logs) learn it ended. */
  private ended(runId: number, status: RunStatus): void {
    this.deps.onEvent?.({ type: 'run.ended', runId, status });
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      this.woken = false;
      const run = await this.nextInFreeLane();
      if (run) {
        this.begin(run, { rethrow: false }).finally(() => this.wake());
        continue;
      }
      if (this.woken) continue; // woken while looking: something may have changed
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
      });
      this.wakeUp = undefined;
    }
  }

  /** The oldest queued job whose lane has room. */
  private async nextInFreeLane(): Promise<Run | undefined> {
    const busy = new Map<string, number>();
    for (const current of this.running.values()) busy.set(current.lane, (busy.get(current.lane) ?? 0) + 1);
    for (const run of await this.deps.store.runs.queued()) {
      if (this.running.has(run.id)) continue; // taken, its lease not yet written
      const lane = this.laneOf(run);
      const room = lane === CI_LANE ? Math.max(1, this.deps.workers ?? 1) : 1;
      if ((busy.get(lane) ?? 0) < room) return run;
    }
    return undefined;
  }

  private begin(run: Run, how: { rethrow: boolean }): Promise<JobResult> {
    const current: Current = { run, lane: this.laneOf(run), controller: new AbortController() };
    this.running.set(run.id, current);
    const done = this.execute(current, how).finally(() => {
      this.running.delete(run.id);
      this.lease.release(run.id);
    });
    current.done = done.catch(() => undefined);
    return done;
  }

  private async execute(current: Current, how: { rethrow: boolean }): Promise<JobResult> {
    const { store } = this.deps;
    const { run, controller } = current;
    let result: JobResult;
    await this.lease.hold(run.id);
    try {
      const kind = this.deps.kinds?.[run.kind];
      if (kind) {
        const outcome = await kind.run(run, controller.signal);
        const status = controller.signal.aborted ? 'cancelled' : outcome;
        await store.runs.update(run.id, { status, finished_at: this.clock.now() });
        result = { status };
      } else {
        const { config, configDir } = await this.deps.loadCommit(run, controller.signal);
        const summary = await executeRun({
          store,
          home: this.deps.home,
          runId: run.id,
          config,
          configDir,
          env: this.deps.env,
          signal: controller.signal,
          concurrency: this.deps.concurrency,
          onEvent: this.deps.onEvent,
          log: this.deps.log,
        });
        result = { status: summary.status, summary };
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const status = controller.signal.aborted ? 'cancelled' : 'failed';
      await store.runs.update(run.id, { status, finished_at: this.clock.now(), error: message });
      this.ended(run.id, status);
      if (how.rethrow) throw error;
      this.deps.log?.(`run ${run.id} could not run: ${message}`);
      result = { status };
    }
    if (current.stopReason === 'superseded')
      await store.runs.update(run.id, { error: `superseded by run ${current.supersededBy}` });
    if (current.stopReason === 'shutdown') await this.interrupt(run, 'the server stopped');
    return result;
  }

  private async interrupt(run: Run, why: string): Promise<void> {
    const { store } = this.deps;
    if (this.rulesOf(run).afterCrash === 'resume') {
      await store.runs.queueToResume(run.id);
      this.deps.log?.(`run ${run.id} stopped (${why}); queued to resume from its saved state`);
      return;
    }
    await store.runs.markInterrupted(run.id, why);
    this.ended(run.id, 'interrupted');
    if (this.deps.retryInterrupted === false) return;
    if (run.retry_of !== null) {
      this.deps.log?.(
        `run ${run.id} interrupted (${why}); it was already a retry, so it is not queued again`,
      );
      return;
    }
    const retry = await store.runs.queueAgain(run, {
      trigger: run.trigger,
      delivery_id: run.delivery_id,
      retry_of: run.id,
    });
    this.deps.log?.(`run ${run.id} interrupted (${why}); queued again as run ${retry}`);
  }

  private laneOf(run: Run): string {
    const kind = this.deps.kinds?.[run.kind];
    if (!kind) return CI_LANE;
    return kind.lane?.(run) ?? run.kind;
  }

  private rulesOf(run: Run): Pick<JobKind, 'supersededByNewer' | 'afterCrash'> {
    return this.deps.kinds?.[run.kind] ?? CI_RULES;
  }
}
