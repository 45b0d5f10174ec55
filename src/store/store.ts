/** The SQLite store (WAL) under the waggle home: runs, steps, logs, tests, artifacts, cache. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type SQLite from 'better-sqlite3';
import type { Insertable, Kysely, Selectable } from 'kysely';
import { AuditLog } from './audit.js';
import { openDatabase } from './database.js';
import { NotificationAttempts } from './notification-attempts.js';
import { type RunDetail, readRunDetail } from './run-detail.js';
import {
  type ArtifactTable,
  type Database,
  type RunStatus,
  type RunTable,
  type StepLogTable,
  type StepStatus,
  type StepTable,
  type TestCaseTable,
  UNFINISHED,
} from './schema.js';
import { Sessions } from './sessions.js';
import { Tokens } from './tokens.js';

export type Run = Selectable<RunTable>;
export type StepRow = Selectable<StepTable>;
export type TestCaseRow = Selectable<TestCaseTable>;
export type ArtifactRow = Selectable<ArtifactTable>;

export class Store {
  readonly db: Kysely<Database>;
  private readonly sqlite: SQLite.Database;
  readonly tokens: Tokens;
  readonly sessions: Sessions;
  readonly audit: AuditLog;
  readonly notifications: NotificationAttempts;

  constructor(file: string) {
    const connection = openDatabase(file);
    ({ db: this.db, sqlite: this.sqlite } = connection);
    this.tokens = new Tokens(connection);
    this.sessions = new Sessions(connection);
    this.audit = new AuditLog(connection);
    this.notifications = new NotificationAttempts(connection);
  }

  static open(home: string): Store {
    mkdirSync(home, { recursive: true });
    return new Store(join(home, 'waggle.db'));
  }

  /** A run with its steps, tests, artifacts and notifications: the one read across concerns. */
  runDetail(id: number): Promise<RunDetail | undefined> {
    return readRunDetail(this, id);
  }

  close(): Promise<void> {
    return this.db.destroy();
  }

  /** A new run: queued for a worker, or, with a lease, already running under its holder. */
  async createRun(
    run: Omit<Insertable<RunTable>, 'created_at' | 'status'>,
    lease?: { owner: string; expiresAt: number },
  ): Promise<number> {
    const now = Date.now();
    const state = lease
      ? {
          status: 'running' as const,
          started_at: now,
          lease_owner: lease.owner,
          lease_expires_at: lease.expiresAt,
        }
      : { status: 'queued' as const };
    const row = await this.db
      .insertInto('runs')
      .values({ ...run, ...state, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** A new queued run of the same commit, branch and options. */
  queueAgain(
    run: Run,
    as: { trigger: string; delivery_id?: string | null; retry_of?: number | null },
  ): Promise<number> {
    return this.createRun({
      repo: run.repo,
      branch: run.branch,
      sha: run.sha,
      base_sha: null,
      author: run.author,
      message: run.message,
      options: run.options,
      trigger: as.trigger,
      delivery_id: as.delivery_id ?? null,
      retry_of: as.retry_of ?? null,
    });
  }

  async updateRun(
    id: number,
    changes: {
      status?: RunStatus;
      started_at?: number;
      finished_at?: number;
      summary?: string;
      base_sha?: string | null;
      error?: string | null;
    },
  ) {
    await this.db.updateTable('runs').set(changes).where('id', '=', id).execute();
  }

  recentRuns(limit: number): Promise<Run[]> {
    return this.db.selectFrom('runs').selectAll().orderBy('id', 'desc').limit(limit).execute();
  }

  getRun(id: number): Promise<Run | undefined> {
    return this.db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * Stores a webhook delivery, and the run it queues if any, in one transaction: once this
   * returns, a crash loses nothing. A delivery id seen before changes nothing.
   */
  recordDelivery(
    delivery: { id: string; event: string; reason: string | null; payload: string },
    run?: Omit<Insertable<RunTable>, 'created_at' | 'status'>,
  ): { duplicate: boolean; runId: number | null } {
    return this.sqlite.transaction(() => {
      const seen = this.sqlite.prepare('SELECT run_id FROM deliveries WHERE id = ?').get(delivery.id) as
        | { run_id: number | null }
        | undefined;
      if (seen) return { duplicate: true, runId: seen.run_id };
      let runId: number | null = null;
      if (run) {
        const columns = Object.keys(run);
        const info = this.sqlite
          .prepare(
            `INSERT INTO runs (${columns.join(', ')}, status, created_at) VALUES (${columns.map(() => '?').join(', ')}, 'queued', ?)`,
          )
          .run(...Object.values(run), Date.now());
        runId = Number(info.lastInsertRowid);
      }
      this.sqlite
        .prepare(
          'INSERT INTO deliveries (id, event, received_at, outcome, reason, run_id, payload) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          delivery.id,
          delivery.event,
          Date.now(),
          run ? 'queued' : 'ignored',
          delivery.reason,
          runId,
          delivery.payload,
        );
      return { duplicate: false, runId };
    })();
  }

  nextQueuedRun(): Promise<Run | undefined> {
    return this.db
      .selectFrom('runs')
      .selectAll()
      .where('status', '=', 'queued')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
  }

  runningRuns(): Promise<Run[]> {
    return this.db.selectFrom('runs').selectAll().where('status', '=', 'running').orderBy('id').execute();
  }

  /** The run starts (or goes on) under `owner`'s lease, until `expiresAt` unless renewed. */
  async startRun(runId: number, lease: { owner: string; expiresAt: number }, now: number): Promise<void> {
    await this.db
      .updateTable('runs')
      .set({ status: 'running', lease_owner: lease.owner, lease_expires_at: lease.expiresAt })
      .where('id', '=', runId)
      .execute();
    await this.db
      .updateTable('runs')
      .set({ started_at: now })
      .where('id', '=', runId)
      .where('started_at', 'is', null)
      .execute();
  }

  /** Extends the leases `owner` holds on these runs; returns the ids still running under it. */
  async renewLeases(owner: string, runIds: readonly number[], expiresAt: number): Promise<number[]> {
    if (runIds.length === 0) return [];
    const rows = await this.db
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
    const ended = await this.db
      .updateTable('runs')
      .set({ status: 'cancelled', finished_at: now, error: why })
      .where('id', '=', runId)
      .where('status', 'in', [...UNFINISHED])
      .returning('id')
      .execute();
    if (ended.length === 0) return false;
    await this.db
      .updateTable('steps')
      .set({ status: 'cancelled', detail: why })
      .where('run_id', '=', runId)
      .where('status', 'in', ['running', 'pending'])
      .execute();
    return true;
  }

  /** Queued runs of a branch older than `newer` are superseded by it; returns their ids. */
  async supersedeQueued(repo: string, branch: string, newer: number): Promise<number[]> {
    const rows = await this.db
      .updateTable('runs')
      .set({ status: 'cancelled', finished_at: Date.now(), error: `superseded by run ${newer}` })
      .where('repo', '=', repo)
      .where('branch', '=', branch)
      .where('status', '=', 'queued')
      .where('id', '<', newer)
      .returning('id')
      .execute();
    return rows.map((row) => row.id);
  }

  /** Any run of this branch at this commit, whatever became of it (for polling missed pushes). */
  runForCommit(repo: string, branch: string, sha: string): Promise<Run | undefined> {
    return this.db
      .selectFrom('runs')
      .selectAll()
      .where('repo', '=', repo)
      .where('branch', '=', branch)
      .where('sha', '=', sha)
      .limit(1)
      .executeTakeFirst();
  }

  /** A run a dead process left behind: it ends interrupted, its unfinished steps cancelled. */
  async markInterrupted(runId: number, why: string): Promise<void> {
    await this.db
      .updateTable('steps')
      .set({ status: 'cancelled', detail: why })
      .where('run_id', '=', runId)
      .where('status', 'in', ['running', 'pending'])
      .execute();
    await this.updateRun(runId, { status: 'interrupted', finished_at: Date.now(), error: why });
  }

  /** The newest passed run of a branch at another commit: what "changed since" is measured from. */
  lastPassedRun(repo: string, branch: string, exceptSha: string): Promise<Run | undefined> {
    return this.db
      .selectFrom('runs')
      .selectAll()
      .where('repo', '=', repo)
      .where('branch', '=', branch)
      .where('status', '=', 'passed')
      .where('sha', '!=', exceptSha)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async addStep(step: Omit<Insertable<StepTable>, 'status'>): Promise<number> {
    const row = await this.db
      .insertInto('steps')
      .values({ ...step, status: 'pending' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async updateStep(
    id: number,
    changes: Partial<{
      status: StepStatus;
      detail: string | null;
      exit_code: number | null;
      started_at: number;
      finished_at: number;
      duration_ms: number;
    }>,
  ) {
    await this.db.updateTable('steps').set(changes).where('id', '=', id).execute();
  }

  steps(runId: number): Promise<StepRow[]> {
    return this.db.selectFrom('steps').selectAll().where('run_id', '=', runId).orderBy('id').execute();
  }

  /** Synchronous and batched: called from output handlers that must not fall behind. */
  appendLogs(lines: StepLogTable[]): void {
    if (lines.length === 0) return;
    const insert = this.sqlite.prepare(
      'INSERT INTO step_logs (step_id, seq, stream, line, at) VALUES (?, ?, ?, ?, ?)',
    );
    this.sqlite.transaction(() => {
      for (const l of lines) insert.run(l.step_id, l.seq, l.stream, l.line, l.at);
    })();
  }

  /** A step's log lines after sequence number `after`, in order. */
  logs(stepId: number, after = 0): Promise<Selectable<StepLogTable>[]> {
    return this.db
      .selectFrom('step_logs')
      .selectAll()
      .where('step_id', '=', stepId)
      .where('seq', '>', after)
      .orderBy('seq')
      .execute();
  }

  async addTestCases(cases: Insertable<TestCaseTable>[]): Promise<void> {
    // SQLite caps bound variables per statement; insert in slices.
    for (let i = 0; i < cases.length; i += 200) {
      await this.db
        .insertInto('test_cases')
        .values(cases.slice(i, i + 200))
        .execute();
    }
  }

  testCases(runId: number, pkg?: string): Promise<TestCaseRow[]> {
    let query = this.db.selectFrom('test_cases').selectAll().where('run_id', '=', runId);
    if (pkg) query = query.where('package', '=', pkg);
    return query.orderBy('id').execute();
  }

  /** The test cases a run's step of this key recorded (one suite's results). */
  testCasesOfStep(runId: number, stepKey: string): Promise<TestCaseRow[]> {
    return this.db
      .selectFrom('test_cases')
      .innerJoin('steps', 'steps.id', 'test_cases.step_id')
      .selectAll('test_cases')
      .where('test_cases.run_id', '=', runId)
      .where('steps.key', '=', stepKey)
      .orderBy('test_cases.id')
      .execute();
  }

  async addArtifact(artifact: Insertable<ArtifactTable>): Promise<void> {
    await this.db.insertInto('artifacts').values(artifact).execute();
  }

  artifacts(runId: number): Promise<ArtifactRow[]> {
    return this.db
      .selectFrom('artifacts')
      .selectAll()
      .where('run_id', '=', runId)
      .orderBy('package')
      .execute();
  }

  async remember(key: string, kind: 'build' | 'test', pkg: string, runId: number): Promise<void> {
    await this.db
      .insertInto('cache_entries')
      .values({ key, kind, package: pkg, run_id: runId, created_at: Date.now() })
      .onConflict((oc) => oc.columns(['key', 'kind']).doUpdateSet({ run_id: runId, created_at: Date.now() }))
      .execute();
  }

  /** The run whose build or suite passed under this key, if any. */
  async recall(key: string, kind: 'build' | 'test'): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('cache_entries')
      .select('run_id')
      .where('key', '=', key)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return row?.run_id;
  }
}
