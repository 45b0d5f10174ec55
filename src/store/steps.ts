/** A run's steps: planned as pending, then running, then ended with a status and a detail. */
import type { Insertable, Selectable } from 'kysely';
import type { Connection } from './database.js';
import type { StepStatus, StepTable } from './schema.js';

export type StepRow = Selectable<StepTable>;

export interface StepChanges {
  status?: StepStatus;
  detail?: string | null;
  exit_code?: number | null;
  started_at?: number;
  finished_at?: number;
  duration_ms?: number;
}

/** A step whose outputs have a content key (a build, a package). */
export interface KeyedStep {
  key: string;
  package: string | null;
  cacheKey: string;
}

/** The install step has ended in one of these: a run past it no longer links node_modules anew. */
const INSTALL_DONE: readonly StepStatus[] = ['passed', 'cached', 'failed', 'skipped', 'cancelled'];

export class Steps {
  constructor(private readonly connection: Connection) {}

  /** A planned step, pending. */
  async add(step: Omit<Insertable<StepTable>, 'status'>): Promise<number> {
    const row = await this.connection.db
      .insertInto('steps')
      .values({ ...step, status: 'pending' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async update(id: number, changes: StepChanges): Promise<void> {
    await this.connection.db.updateTable('steps').set(changes).where('id', '=', id).execute();
  }

  /** A run's steps in the order they were planned. */
  ofRun(runId: number): Promise<StepRow[]> {
    return this.connection.db
      .selectFrom('steps')
      .selectAll()
      .where('run_id', '=', runId)
      .orderBy('id')
      .execute();
  }

  /** The steps of these runs that have a content key, with it: what retention must keep. */
  async keyed(runIds: readonly number[]): Promise<KeyedStep[]> {
    if (runIds.length === 0) return [];
    const rows = await this.connection.db
      .selectFrom('steps')
      .select(['key', 'package', 'cache_key'])
      .where('run_id', 'in', [...runIds])
      .where('cache_key', 'is not', null)
      .execute();
    return rows.map((row) => ({ key: row.key, package: row.package, cacheKey: row.cache_key as string }));
  }

  /**
   * Of these runs, those that may still link node_modules from the cache: their install step has
   * not ended, or they have no steps yet (which entry they will use is not known before it runs).
   */
  async runsBeforeInstall(runIds: readonly number[]): Promise<number[]> {
    if (runIds.length === 0) return [];
    const done = await this.connection.db
      .selectFrom('steps')
      .select('run_id')
      .where('run_id', 'in', [...runIds])
      .where('key', '=', 'install')
      .where('status', 'in', [...INSTALL_DONE])
      .execute();
    const finished = new Set(done.map((row) => row.run_id));
    return runIds.filter((id) => !finished.has(id));
  }
}
