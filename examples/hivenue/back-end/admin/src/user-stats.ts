import type { Document } from 'mongodb';
import { isRole, ROLES, type Role } from './user';

export interface UserStats {
  total: number;
  byRole: Record<Role, number>;
}

/** Counts users per role on the server, so the service never loads the users themselves. */
export const countByRolePipeline: Document[] = [{ $group: { _id: '$role', count: { $sum: 1 } } }];

/** Turns the pipeline's rows into stats that list every role, including those with no users. */
export function toUserStats(rows: { _id: unknown; count: number }[]): UserStats {
  const byRole = Object.fromEntries(ROLES.map((role) => [role, 0])) as Record<Role, number>;
  for (const { _id: role, count } of rows) {
    if (isRole(role)) byRole[role] += count;
  }
  return { total: ROLES.reduce((sum, role) => sum + byRole[role], 0), byRole };
}
