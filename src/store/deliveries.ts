/** GitHub webhook deliveries, each kept before it is acknowledged, once per delivery id. */
import type { Selectable } from 'kysely';
import { type Connection, statementOf } from './database.js';
import { type NewRun, runRow } from './runs.js';
import type { DeliveryTable } from './schema.js';

export type DeliveryRow = Selectable<DeliveryTable>;

export interface NewDelivery {
  /** GitHub's X-GitHub-Delivery. */
  id: string;
  event: string;
  /** Why it queues nothing, when it does not. */
  reason: string | null;
  payload: string;
}

export class Deliveries {
  constructor(private readonly connection: Connection) {}

  /**
   * Stores a delivery, and the run it queues if any, in one transaction: once this returns, a
   * crash loses nothing. A delivery id seen before changes nothing.
   */
  record(
    delivery: NewDelivery,
    run?: Omit<NewRun, 'delivery_id'>,
  ): { duplicate: boolean; runId: number | null } {
    const { db, sqlite } = this.connection;
    return sqlite.transaction(() => {
      const seen = statementOf(
        sqlite,
        db.selectFrom('deliveries').select('run_id').where('id', '=', delivery.id),
      ).get() as { run_id: number | null } | undefined;
      if (seen) return { duplicate: true, runId: seen.run_id };
      const now = Date.now();
      let runId: number | null = null;
      if (run) {
        const row = runRow({ ...run, delivery_id: delivery.id }, now);
        runId = Number(statementOf(sqlite, db.insertInto('runs').values(row)).run().lastInsertRowid);
      }
      statementOf(
        sqlite,
        db.insertInto('deliveries').values({
          id: delivery.id,
          event: delivery.event,
          received_at: now,
          outcome: run ? 'queued' : 'ignored',
          reason: delivery.reason,
          run_id: runId,
          payload: delivery.payload,
        }),
      ).run();
      return { duplicate: false, runId };
    })();
  }

  get(id: string): Promise<DeliveryRow | undefined> {
    return this.connection.db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The newest deliveries first. */
  recent(limit: number): Promise<DeliveryRow[]> {
    return this.connection.db
      .selectFrom('deliveries')
      .selectAll()
      .orderBy('received_at', 'desc')
      .limit(limit)
      .execute();
  }
}
