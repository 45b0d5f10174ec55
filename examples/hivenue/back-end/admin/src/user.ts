import type { ObjectId } from 'mongodb';

export const ROLES = ['admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}

/** A user as stored in the `users` collection. */
export interface User {
  _id: ObjectId;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
}
