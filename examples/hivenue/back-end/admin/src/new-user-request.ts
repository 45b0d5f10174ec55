import { HttpError } from '@hivenue/shared';
import { isRole, ROLES, type Role } from './user';

export interface NewUser {
  email: string;
  name: string;
  role: Role;
}

// Deliberately loose: the only real check of an address is mail reaching it.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_NAME_LENGTH = 100;

/** Validates the body of POST /users. Emails are stored lower-cased, so they compare equal. */
export function parseNewUserRequest(body: unknown): NewUser {
  const { email, name, role = 'member' } = (body ?? {}) as Record<string, unknown>;
  if (typeof email !== 'string' || !EMAIL_PATTERN.test(email.trim())) {
    throw new HttpError(400, 'email must be an email address');
  }
  if (typeof name !== 'string' || name.trim() === '' || name.trim().length > MAX_NAME_LENGTH) {
    throw new HttpError(400, `name is required, at most ${MAX_NAME_LENGTH} characters`);
  }
  if (!isRole(role)) throw new HttpError(400, `role must be one of ${ROLES.join(', ')}`);
  return { email: email.trim().toLowerCase(), name: name.trim(), role };
}
