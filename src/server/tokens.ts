/**
 * What a token may do: each token has a role, roles grant permissions, and every route names the
 * permission it needs. Issuing and storing tokens is the store's (store.tokens.issue).
 */
import type { Role } from '../store/schema.js';
import type { Store } from '../store/store.js';

export type Permission = 'read' | 'operate' | 'approve' | 'admin';

const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: ['read'],
  operator: ['read', 'operate'],
  approver: ['read', 'approve'],
  admin: ['read', 'operate', 'approve', 'admin'],
};

export interface Principal {
  tokenId: number;
  name: string;
  role: Role;
}

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export async function principalOf(store: Store, token: string): Promise<Principal | undefined> {
  const row = await store.tokens.byToken(token);
  if (!row) return undefined;
  await store.tokens.markUsed(row.id);
  return { tokenId: row.id, name: row.name, role: row.role };
}
