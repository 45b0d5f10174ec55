import { HttpError } from '@hivenue/shared';
import { toSlug } from './slug';

export interface NewProject {
  name: string;
  slug: string;
  description: string;
}

const MAX_NAME_LENGTH = 80;
const MAX_DESCRIPTION_LENGTH = 500;

/** Validates the body of POST /projects and derives the project's slug from its name. */
export function parseNewProjectRequest(body: unknown): NewProject {
  const { name, description = '' } = (body ?? {}) as Record<string, unknown>;
  if (typeof name !== 'string' || name.trim() === '') throw new HttpError(400, 'name is required');
  if (name.trim().length > MAX_NAME_LENGTH) {
    throw new HttpError(400, `name must be at most ${MAX_NAME_LENGTH} characters`);
  }
  if (typeof description !== 'string' || description.length > MAX_DESCRIPTION_LENGTH) {
    throw new HttpError(400, `description must be text of at most ${MAX_DESCRIPTION_LENGTH} characters`);
  }

  const slug = toSlug(name);
  if (slug === '') throw new HttpError(400, 'name must contain letters or digits');
  return { name: name.trim(), slug, description: description.trim() };
}
