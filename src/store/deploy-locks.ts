/**
 * One deploy at a time per environment. Taking the lock is one transaction: free, or held by the
 * same deploy job (resuming after a crash), or held by a job that has ended (its process died
 * before letting go) — else refused, with who holds it. Forcing it open is for people, audited.
 */
import type { Selectable } from 'kysely';
import { type Connection, statementOf } from './database.js';
import type { DeployLockTable } from './schema.js';

export type DeployLock = Selectable<DeployLockTable>;

const ENDED = ['passed', 'failed', 'cancelled', 'interrupted'];

export class DeployLocks {
  constructor(private readonly connection: Connection) {}

  /** Takes the environment's lock for the job; the holder when someone else has it. */
  acquire(
    lock: Omit<DeployLock, 'acquired_at'>,
    now = Date.now(),
  ): { acquired: true } | { acquired: false; holder: DeployLock } {
    const { db, sqlite } = this.connection;
    return sqlite.transaction(() => {
      const held = statementOf(
        sqlite,
        db.selectFrom('deploy_locks').selectAll().where('environment', '=', lock.environment),
      ).get() as DeployLock | undefined;
      if (held && held.run_id !== lock.run_id) {
        const holder = statementOf(
          sqlite,
          db.selectFrom('runs').select('status').where('id', '=', held.run_id),
        ).get() as { status: string } | undefined;
        if (holder && !ENDED.includes(holder.status)) return { acquired: false as const, holder: held };
      }
      statementOf(sqlite, db.deleteFrom('deploy_locks').where('environment', '=', lock.environment)).run();
      statementOf(sqlite, db.insertInto('deploy_locks').values({ ...lock, acquired_at: now })).run();
      return { acquired: true as const };
    })();
  }

  /** Lets go of the lock if this job still holds it. */
  async release(environment: string, runId: number): Promise<void> {
    await this.connection.db
      .deleteFrom('deploy_locks')
      .where('environment', '=', environment)
      .where('run_id', '=', runId)
      .execute();
  }

  get(environment: string): Promise<DeployLock | undefined> {
    return this.connection.db
      .selectFrom('deploy_locks')
      .selectAll()
      .where('environment', '=', environment)
      .executeTakeFirst();
  }

  /** Removes whatever holds the lock; the holder it had, for the audit log. */
  async forceOpen(environment: string): Promise<DeployLock | undefined> {
    const held = await this.get(environment);
    if (held)
      await this.connection.db.deleteFrom('deploy_locks').where('environment', '=', environment).execute();
    return held;
  }
}
