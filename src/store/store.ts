/** The SQLite store (WAL) under the waggle home: runs, steps, logs, tests, artifacts, cache. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type SQLite from 'better-sqlite3';
import type { Insertable, Kysely, Selectable } from 'kysely';
import { AuditLog } from './audit.js';
import { openDatabase } from './database.js';
import { Deliveries } from './deliveries.js';
import { NotificationAttempts } from './notification-attempts.js';
import { type RunDetail, readRunDetail } from './run-detail.js';
import { Runs } from './runs.js';
import type {
  ArtifactTable,
  Database,
  StepLogTable,
  StepStatus,
  StepTable,
  TestCaseTable,
} from './schema.js';
import { Sessions } from './sessions.js';
import { Tokens } from './tokens.js';

export type StepRow = Selectable<StepTable>;
export type TestCaseRow = Selectable<TestCaseTable>;
export type ArtifactRow = Selectable<ArtifactTable>;

export type { Run } from './runs.js';

export class Store {
  readonly db: Kysely<Database>;
  private readonly sqlite: SQLite.Database;
  readonly runs: Runs;
  readonly deliveries: Deliveries;
  readonly tokens: Tokens;
  readonly sessions: Sessions;
  readonly audit: AuditLog;
  readonly notifications: NotificationAttempts;

  constructor(file: string) {
    const connection = openDatabase(file);
    ({ db: this.db, sqlite: this.sqlite } = connection);
    this.runs = new Runs(connection);
    this.deliveries = new Deliveries(connection);
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
