/** Every try at telling a contact about a run, whether it got through or not. */
import type { Connection } from './database.js';

export interface NotificationAttempt {
  contact: string;
  channel: string;
  event: string;
  /** 1 for the first try. */
  attempt: number;
  ok: boolean;
  /** HTTP status or SMTP reply code, when there was an answer. */
  status: number | null;
  /** Why it failed, redacted. */
  error: string | null;
  at: number;
}

export class NotificationAttempts {
  constructor(private readonly connection: Connection) {}

  async record(runId: number | null, attempt: NotificationAttempt): Promise<void> {
    await this.connection.db
      .insertInto('notification_attempts')
      .values({ run_id: runId, ...attempt, ok: attempt.ok ? 1 : 0 })
      .execute();
  }

  /** A run's attempts in the order they were made. */
  async ofRun(runId: number): Promise<NotificationAttempt[]> {
    const rows = await this.connection.db
      .selectFrom('notification_attempts')
      .selectAll()
      .where('run_id', '=', runId)
      .orderBy('id')
      .execute();
    return rows.map(({ id: _id, run_id: _run, ok, ...attempt }) => ({ ...attempt, ok: ok === 1 }));
  }
}
