/** Every mutating action, with who, what, when and from where. */
import type { Store } from '../store/store.js';

export interface AuditEntry {
  actor: string;
  action: string;
  target?: string;
  ip?: string;
  detail?: string;
}

export async function audit(store: Store, entry: AuditEntry): Promise<void> {
  await store.db
    .insertInto('audit_log')
    .values({
      at: Date.now(),
      actor: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      ip: entry.ip ?? null,
      detail: entry.detail ?? null,
    })
    .execute();
}
