/**
 * API tokens: shown once when made, stored only as a sha256, each with a role. Roles say what a
 * token may do; every route names the permission it needs.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../store/schema.js';
import type { Store } from '../store/store.js';

export const ROLES: readonly Role[] = ['viewer', 'operator', 'approver', 'admin'];
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

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createToken(store: Store, name: string, role: Role): Promise<string> {
  const token = `wgl_${randomBytes(24).toString('base64url')}`;
  await store.tokens.create({ name, role, hash: hashToken(token) });
  return token;
}

export async function principalOf(store: Store, token: string): Promise<Principal | undefined> {
  // Looking up by hash compares digests, never the secret itself, so timing reveals nothing useful.
  const row = await store.tokens.byHash(hashToken(token));
  if (!row) return undefined;
  await store.tokens.markUsed(row.id);
  return { tokenId: row.id, name: row.name, role: row.role };
}
