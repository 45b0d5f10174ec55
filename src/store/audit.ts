/** The audit log: every mutating action, with who, what, when and from where. */
import type { Selectable } from 'kysely';
import type { Connection } from './database.js';
import type { AuditTable } from './schema.js';

export type AuditRow = Selectable<AuditTable>;

export interface AuditEntry {
  actor: string;
  action: string;
  target?: string;
  ip?: string;
  detail?: string;
}

export class AuditLog {
  constructor(private readonly connection: Connection) {}

  async record(entry: AuditEntry, at = Date.now()): Promise<void> {
    await this.connection.db
      .insertInto('audit_log')
      .values({
        at,
        actor: entry.actor,
        action: entry.action,
        target: entry.target ?? null,
        ip: entry.ip ?? null,
        detail: entry.detail ?? null,
      })
      .execute();
  }

  /** The newest entries first. */
  recent(limit: number): Promise<AuditRow[]> {
    return this.connection.db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }
}
