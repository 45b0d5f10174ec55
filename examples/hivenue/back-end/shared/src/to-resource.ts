import type { ObjectId } from 'mongodb';

export type Resource<T extends { _id: ObjectId }> = Omit<T, '_id'> & { id: string };

/** Shapes a stored document for the API: clients see `id` as a string, never Mongo's `_id`. */
export function toResource<T extends { _id: ObjectId }>(document: T): Resource<T> {
  const { _id, ...fields } = document;
  return { id: _id.toHexString(), ...fields };
}
