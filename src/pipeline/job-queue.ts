/**
 * The job queue: takes queued jobs oldest first, one at a time, each by the rules of its kind (see
 * job-kind.ts). For CI runs, per branch the newest push wins: it cancels that branch's older
 * queued runs and stops its running one; after a crash, a run left running is marked interrupted
 * and queued once more. Whoever hosts it (the server) says how a run's commit is fetched.
 */

import { type Clock, systemClock } from '../clock.js';
import type { Config } from '../config/schema.js';
import type { RunStatus } from '../store/schema.js';
import type { Run, Store } from '../store/store.js';
import { executeRun } from './ci-run.js';
import { CI_RULES, type JobKind } from './job-kind.js';
import { DEFAULT_LEASE, LeaseKeeper, type LeaseTiming } from './lease-keeper.js';
import type { RunEvent } from './run-recorder.js';

export interface JobQueueDeps {
  store: Store;
  home: string;
  /**
   * Gets a CI run's commit where the run can build from it (the server fetches it into its
   * mirror) and the configuration it runs under (the commit's own waggle.yml).
   */
  loadCommit(run: Run, signal: AbortSignal): Promise<{ config: Config; configDir: string }>;
  env?: NodeJS.ProcessEnv;
  concurrency?: number;
  onEvent?: (event: RunEvent) => void;
  log?: (message: string) => void;
  lease?: LeaseTiming;
  clock?: Clock;
  /** Kinds of job beyond CI runs (deploys), by the name stored with each job. */
  kinds?: Readonly<Record<string, JobKind>>;
}

interface Current {
  run: Run;
  controller: AbortController;
  /** Why it was stopped, when it was: decides what the run is recorded as. */
  stopReason?: 'superseded' | 'cancelled' | 'shutdown';
}

export class JobQueue {
  private current: Current | undefined;
  private stopped = false;
  private wakeUp: (() => void) | undefined;
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
        if (this.current?.run.id !== runId) return;
        this.current.stopReason = 'cancelled';
        this.current.controller.abort();
      },
      deps.lease,
      this.clock,
    );
  }

  /** Recovers what a crash left behind, then works until stop(). */
  async start(): Promise<void> {
    await this.recoverInterrupted();
    this.loopDone = this.loop();
    // A holder that died less than a lease ago is found later, once its lease has run out.
    this.sweeper = setInterval(
      () => {
        this.sweeping = this.recoverInterrupted()
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
    if (this.current) {
      this.current.stopReason = 'shutdown';
      this.current.controller.abort();
    }
    this.wake();
    await this.loopDone;
    await this.lease.stop();
  }

  wake(): void {
    this.wakeUp?.();
  }

  /** A run was queued: older queued runs of its branch are superseded, a running one stopped. */
  async queued(runId: number): Promise<void> {
    const run = await this.deps.store.runs.get(runId);
    if (!run) return;
    // Only jobs of a kind that yields to a newer one are superseded, and only by their own kind.
    if (!this.rulesOf(run).supersededByNewer) return this.wake();
    const superseded = await this.deps.store.runs.supersedeQueued(run.repo, run.branch, run.id, run.kind);
    for (const id of superseded) this.ended(id, 'cancelled');
    if (superseded.length > 0) this.deps.log?.(`runs ${superseded.join(', ')} superseded by run ${run.id}`);
    const current = this.current;
    if (
      current &&
      current.run.kind === run.kind &&
      current.run.branch === run.branch &&
      current.run.repo === run.repo &&
      current.run.id < run.id
    ) {
      current.stopReason = 'superseded';
      current.controller.abort();
      this.deps.log?.(`run ${current.run.id} stopped: superseded by run ${run.id}`);
    }
    this.wake();
  }

  /**
   * Cancels any run that has not finished: this worker's own is stopped at once; a queued one
   * never starts; one held by another process (or by none, after a crash) is ended in the store,
   * and a live holder stops it when it next renews its lease. False when it had already ended.
   */
  async cancel(runId: number): Promise<boolean> {
    if (this.current?.run.id === runId) {
      this.current.stopReason = 'cancelled';
      this.current.controller.abort();
      return true;
    }
    const run = await this.deps.store.runs.get(runId);
    const why = run?.status === 'queued' ? 'cancelled before it started' : 'cancelled';
    const cancelled = await this.deps.store.runs.cancelUnfinished(runId, why, this.clock.now());
    if (cancelled) this.ended(runId, 'cancelled');
    return cancelled;
  }

  /** Watchers of a run that ended without steps to report (live logs) learn it ended. */
  private ended(runId: number, status: RunStatus): void {
    this.deps.onEvent?.({ type: 'run.ended', runId, status });
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const run = await this.deps.store.runs.nextQueued();
      if (!run) {
        await new Promise<void>((resolve) => {
          this.wakeUp = resolve;
        });
        this.wakeUp = undefined;
        continue;
      }
      await this.execute(run);
    }
  }

  private async execute(run: Run): Promise<void> {
    const { store } = this.deps;
    const current: Current = { run, controller: new AbortController() };
    this.current = current;
    await this.lease.hold(run.id);
    try {
      const kind = this.deps.kinds?.[run.kind];
      if (kind) {
        const status = await kind.run(run, current.controller.signal);
        await store.runs.update(run.id, {
          status: current.controller.signal.aborted ? 'cancelled' : status,
          finished_at: this.clock.now(),
        });
        return;
      }
      const { config, configDir } = await this.deps.loadCommit(run, current.controller.signal);
      await executeRun({
        store,
        home: this.deps.home,
        runId: run.id,
        config,
        configDir,
        env: this.deps.env,
        signal: current.controller.signal,
        concurrency: this.deps.concurrency,
        onEvent: this.deps.onEvent,
        log: this.deps.log,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const status = current.controller.signal.aborted ? 'cancelled' : 'failed';
      await store.runs.update(run.id, { status, finished_at: this.clock.now(), error: message });
      this.ended(run.id, status);
      this.deps.log?.(`run ${run.id} could not run: ${message}`);
    } finally {
      this.current = undefined;
      this.lease.release(run.id);
    }
    if (current.stopReason === 'superseded')
      await store.runs.update(run.id, { error: 'superseded by a newer push' });
    if (current.stopReason === 'shutdown') await this.interrupt(run, 'the server stopped');
  }

  /** Runs a dead server left running: interrupted, and queued once more unless already a retry. */
  private async recoverInterrupted(): Promise<void> {
    for (const run of await this.lease.abandoned()) {
      await this.interrupt(run, 'the server stopped mid-run');
    }
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

  private rulesOf(run: Run): Pick<JobKind, 'supersededByNewer' | 'afterCrash'> {
    return this.deps.kinds?.[run.kind] ?? CI_RULES;
  }
}
