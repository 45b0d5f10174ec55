/**
 * Runs: queued, then running under a renewed lease, then ended. A run row is made in one place,
 * runRow, whoever asks for the run (a push, a rerun, a retry, `waggle run`).
 */
import type { Insertable, Selectable } from 'kysely';
import type { Connection } from './database.js';
import { type RunStatus, type RunTable, UNFINISHED } from './schema.js';

export type Run = Selectable<RunTable>;

/** What a new run is made of; the store adds its status and times. */
export interface NewRun {
  repo: string;
  branch: string;
  sha: string;
  author: string;
  message: string;
  trigger: string;
  /** JSON of the run's options (base, all, until). */
  options?: string | null;
  delivery_id?: string | null;
  /** The interrupted run this one repeats. */
  retry_of?: number | null;
  /** The job's kind; 'ci' unless said. */
  kind?: string;
}

/** A waggle instance's hold on a run, until `expiresAt` unless renewed. */
export interface Lease {
  owner: string;
  expiresAt: number;
}

export interface RunChanges {
  status?: RunStatus;
  started_at?: number;
  finished_at?: number;
  summary?: string;
  base_sha?: string | null;
  error?: string | null;
  /** A job whose commit is known only once it runs (a rollback to "the release before"). */
  repo?: string;
  branch?: string;
  sha?: string;
}

/** The row of a new run: queued for a worker, or, with a lease, already running under its holder. */
export function runRow(run: NewRun, now: number, lease?: Lease): Insertable<RunTable> {
  const state = lease
    ? {
        status: 'running' as const,
        started_at: now,
        lease_owner: lease.owner,
        lease_expires_at: lease.expiresAt,
      }
    : { status: 'queued' as const };
  return {
    repo: run.repo,
    branch: run.branch,
    sha: run.sha,
    base_sha: null,
    author: run.author,
    message: run.message,
    trigger: run.trigger,
    options: run.options ?? null,
    delivery_id: run.delivery_id ?? null,
    retry_of: run.retry_of ?? null,
    kind: run.kind ?? 'ci',
    ...state,
    created_at: now,
  };
}

export class Runs {
  constructor(private readonly connection: Connection) {}

  /** A new run: queued for a worker, or, with a lease, already running under its holder. */
  async create(run: NewRun, lease?: Lease): Promise<number> {
    const row = await this.connection.db
      .insertInto('runs')
      .values(runRow(run, Date.now(), lease))
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** A new queued run of the same commit, branch and options. */
  queueAgain(
    run: Run,
    as: { trigger: string; delivery_id?: string | null; retry_of?: number | null },
  ): Promise<number> {
    return this.create({
      repo: run.repo,
      branch: run.branch,
      sha: run.sha,
      author: run.author,
      message: run.message,
      options: run.options,
      kind: run.kind,
      ...as,
    });
  }

  async update(id: number, changes: RunChanges): Promise<void> {
    await this.connection.db.updateTable('runs').set(changes).where('id', '=', id).execute();
  }

  get(id: number): Promise<Run | undefined> {
    return this.connection.db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The newest runs first. */
  recent(limit: number): Promise<Run[]> {
    return this.connection.db.selectFrom('runs').selectAll().orderBy('id', 'desc').limit(limit).execute();
  }

  /** Queued runs, oldest first: the order workers take them in. */
  queued(limit = 100): Promise<Run[]> {
    return this.connection.db
      .selectFrom('runs')
      .selectAll()
      .where('status', '=', 'queued')
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  running(): Promise<Run[]> {
    return this.connection.db
      .selectFrom('runs')
      .selectAll()
      .where('status', '=', 'running')
      .orderBy('id')
      .execute();
  }

  /** Runs that are queued or running: nothing of theirs may be removed under them. */
  async unfinishedIds(): Promise<number[]> {
    const rows = await this.connection.db
      .selectFrom('runs')
      .select('id')
      .where('status', 'in', [...UNFINISHED])
      .execute();
    return rows.map((row) => row.id);
  }

  /** The run starts (or goes on) under `lease`, until it expires unless renewed. */
  async start(runId: number, lease: Lease, now: number): Promise<void> {
    const { db } = this.connection;
    await db
      .updateTable('runs')
      .set({ status: 'running', lease_owner: lease.owner, lease_expires_at: lease.expiresAt })
      .where('id', '=', runId)
      .execute();
    await db
      .updateTable('runs')
      .set({ started_at: now })
      .where('id', '=', runId)
      .where('started_at', 'is', null)
      .execute();
  }

  /** Extends the leases `owner` holds on these runs; returns the ids still running under it. */
  async renewLeases(owner: string, runIds: readonly number[], expiresAt: number): Promise<number[]> {
    if (runIds.length === 0) return [];
    const rows = await this.connection.db
      .updateTable('runs')
      .set({ lease_expires_at: expiresAt })
      .where('id', 'in', [...runIds])
      .where('lease_owner', '=', owner)
      .where('status', '=', 'running')
      .returning('id')
      .execute();
    return rows.map((row) => row.id);
  }

  /**
   * Ends a run that has not finished as cancelled, wherever it runs: a process holding it learns
   * so when it next renews its lease. False when the run had already ended.
   */
  async cancelUnfinished(runId: number, why: string, now: number): Promise<boolean> {
    const ended = await this.connection.db
      .updateTable('runs')
      .set({ status: 'cancelled', finished_at: now, error: why })
      .where('id', '=', runId)
      .where('status', 'in', [...UNFINISHED])
      .returning('id')
      .execute();
    if (ended.length === 0) return false;
    await this.cancelUnfinishedSteps(runId, why);
    return true;
  }

  /** A run a dead process left behind: it ends interrupted, its unfinished steps cancelled. */
  async markInterrupted(runId: number, why: string): Promise<void> {
    await this.cancelUnfinishedSteps(runId, why);
    await this.update(runId, { status: 'interrupted', finished_at: Date.now(), error: why });
  }

  /**
   * A job a dead process left whose kind resumes from its saved state: queued again as itself,
   * for the next worker to pick up where it stopped.
   */
  async queueToResume(runId: number): Promise<void> {
    await this.connection.db
      .updateTable('runs')
      .set({ status: 'queued', lease_owner: null, lease_expires_at: null })
      .where('id', '=', runId)
      .where('status', '=', 'running')
      .execute();
  }

  /** Queued runs of a branch and kind older than `newer` are superseded by it; returns their ids. */
  async supersedeQueued(repo: string, branch: string, newer: number, kind = 'ci'): Promise<number[]> {
    const rows = await this.connection.db
      .updateTable('runs')
      .set({ status: 'cancelled', finished_at: Date.now(), error: `superseded by run ${newer}` })
      .where('repo', '=', repo)
      .where('branch', '=', branch)
      .where('kind', '=', kind)
      .where('status', '=', 'queued')
      .where('id', '<', newer)
      .returning('id')
      .execute();
    return rows.map((row) => row.id);
  }

  /** These runs, if still queued, are superseded by `newer`; returns the ids it ended. */
  async supersedeQueuedIds(ids: readonly number[], newer: number): Promise<number[]> {
    if (ids.length === 0) return [];
    const rows = await this.connection.db
      .updateTable('runs')
      .set({ status: 'cancelled', finished_at: Date.now(), error: `superseded by run ${newer}` })
      .where('id', 'in', [...ids])
      .where('status', '=', 'queued')
      .returning('id')
      .execute();
    return rows.map((row) => row.id);
  }

  /** Any run of this branch at this commit, whatever became of it (for polling missed pushes). */
  forCommit(repo: string, branch: string, sha: string): Promise<Run | undefined> {
    return this.connection.db
      .selectFrom('runs')
      .selectAll()
      .where('repo', '=', repo)
      .where('branch', '=', branch)
      .where('sha', '=', sha)
      .limit(1)
      .executeTakeFirst();
  }

  /** The newest CI run of the branch that passed: what a deploy takes when told no run. */
  newestPassed(repo: string, branch: string): Promise<Run | undefined> {
    return this.connection.db
      .selectFrom('runs')
      .selectAll()
      .where('repo', '=', repo)
      .where('branch', '=', branch)
      .where('kind', '=', 'ci')
      .where('status', '=', 'passed')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /**
   * The newest passed CI run of a branch at another commit: what "changed since" is measured from.
   * Deploys do not count: one of an older run, finished after newer commits passed, would move the
   * base back to what it deployed.
   */
  lastPassed(repo: string, branch: string, exceptSha: string): Promise<Run | undefined> {
    return this.connection.db
      .selectFrom('runs')
      .selectAll()
      .where('repo', '=', repo)
      .where('branch', '=', branch)
      .where('kind', '=', 'ci')
      .where('status', '=', 'passed')
      .where('sha', '!=', exceptSha)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  private async cancelUnfinishedSteps(runId: number, why: string): Promise<void> {
    await this.connection.db
      .updateTable('steps')
      .set({ status: 'cancelled', detail: why })
      .where('run_id', '=', runId)
      .where('status', 'in', ['running', 'pending'])
      .execute();
  }
}
