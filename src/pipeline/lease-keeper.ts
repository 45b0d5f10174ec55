/**
 * Who is running a run, in a form a crash cannot fake: each waggle process (a server, a
 * `waggle run`) has an instance id and renews a short lease on the runs it works on. A running
 * run whose lease ran out was abandoned. Renewing also carries cancellation across processes: a
 * run ended by someone else is no longer renewed, and its holder is told to stop it.
 */
import { randomUUID } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { type Clock, systemClock } from '../clock.js';
import type { Run, Store } from '../store/store.js';

export interface LeaseTiming {
  /** How long a lease lasts unless renewed. */
  ttlMs: number;
  /** How often held leases are renewed; well under ttlMs. */
  renewMs: number;
}

export const DEFAULT_LEASE: LeaseTiming = { ttlMs: 30_000, renewMs: 5_000 };

/** Where a process lives: a pid means something only inside the same host and pid namespace. */
export interface ProcessPlace {
  host: string;
  pidNamespace: string;
}

export class LeaseKeeper {
  readonly owner: string;
  private readonly held = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    /** A held run was ended elsewhere (cancelled through the API, say): stop working on it. */
    private readonly onLost: (runId: number) => void,
    private readonly timing: LeaseTiming = DEFAULT_LEASE,
    private readonly clock: Clock = systemClock,
  ) {
    this.owner = ownerId(thisPlace(), process.pid);
  }

  /** Marks the run running under this instance and keeps renewing it until release(). */
  async hold(runId: number): Promise<void> {
    await this.store.runs.start(runId, this.fresh(), this.clock.now());
    this.keep(runId);
  }

  /** A run created already held, so no worker can take it for a queued one in between. */
  async holdNew(create: (lease: { owner: string; expiresAt: number }) => Promise<number>): Promise<number> {
    const runId = await create(this.fresh());
    this.keep(runId);
    return runId;
  }

  release(runId: number): void {
    this.held.delete(runId);
    if (this.held.size === 0) this.stop();
  }

  /** Runs a dead process left behind. */
  async abandoned(): Promise<Run[]> {
    const here = thisPlace();
    return (await this.store.runs.running()).filter((run) =>
      isAbandoned(run, this.clock.now(), here, processAlive),
    );
  }

  stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return this.renewing;
  }

  private fresh() {
    return { owner: this.owner, expiresAt: this.clock.now() + this.timing.ttlMs };
  }

  private keep(runId: number): void {
    // Only once stored: a renewal racing that write would find no lease and call the run lost.
    this.held.add(runId);
    this.timer ??= setInterval(() => {
      this.renewing = this.renew().catch(() => {
        // The store is busy or closing: the next tick tries again, well within the lease.
      });
    }, this.timing.renewMs).unref();
  }

  private async renew(): Promise<void> {
    const ids = [...this.held];
    const still = new Set(
      await this.store.runs.renewLeases(this.owner, ids, this.clock.now() + this.timing.ttlMs),
    );
    for (const id of ids) {
      if (still.has(id) || !this.held.has(id)) continue;
      this.held.delete(id);
      this.onLost(id);
    }
  }
}

/**
 * A running run is abandoned when its lease ran out, or sooner when its holder provably died: it
 * lived in this very host and pid namespace and its pid is gone. A pid that is alive proves
 * nothing (pids are reused: a restarted container is pid 1 again; a zombie still answers), so
 * then only the lease decides.
 */
export function isAbandoned(
  run: Pick<Run, 'lease_owner' | 'lease_expires_at'>,
  now: number,
  here: ProcessPlace,
  alive: (pid: number) => boolean,
): boolean {
  if (run.lease_expires_at === null || run.lease_expires_at < now) return true;
  const holder = parseOwner(run.lease_owner);
  return (
    holder !== undefined &&
    holder.host === here.host &&
    holder.pidNamespace === here.pidNamespace &&
    !alive(holder.pid)
  );
}

export function ownerId(place: ProcessPlace, pid: number): string {
  return JSON.stringify({ ...place, pid, instance: randomUUID() });
}

function parseOwner(owner: string | null): (ProcessPlace & { pid: number }) | undefined {
  try {
    const parsed = JSON.parse(owner ?? '') as Partial<ProcessPlace & { pid: number }>;
    if (typeof parsed.host !== 'string' || typeof parsed.pidNamespace !== 'string') return undefined;
    if (typeof parsed.pid !== 'number') return undefined;
    return parsed as ProcessPlace & { pid: number };
  } catch {
    return undefined;
  }
}

function thisPlace(): ProcessPlace {
  let pidNamespace = 'unknown';
  try {
    pidNamespace = readlinkSync('/proc/self/ns/pid');
  } catch {
    // Not Linux: a pid then only counts together with the lease.
  }
  return { host: hostname(), pidNamespace };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
