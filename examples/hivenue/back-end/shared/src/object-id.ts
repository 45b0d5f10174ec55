import { ObjectId } from 'mongodb';
import { HttpError } from './http-error';

const OBJECT_ID_PATTERN = /^[0-9a-f]{24}$/i;

/**
 * Reads a resource id from a URL. An id that is not an ObjectId cannot name any document, so
 * it gets the same 404 as an id that names none. (ObjectId.isValid alone would also accept any
 * 12-character string.)
 */
export function parseObjectId(value: string, resource: string): ObjectId {
  if (!OBJECT_ID_PATTERN.test(value)) throw new HttpError(404, `${resource} not found`);
  return new ObjectId(value);
}
