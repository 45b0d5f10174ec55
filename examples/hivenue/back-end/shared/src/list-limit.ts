import { HttpError } from './http-error';

export interface ListLimitBounds {
  fallback: number;
  max: number;
}

/** Reads a `?limit=` query value: a positive integer, at most `max`, `fallback` when absent. */
export function parseListLimit(value: unknown, { fallback, max }: ListLimitBounds): number {
  if (value === undefined || value === '') return fallback;
  const limit = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new HttpError(400, `limit must be an integer between 1 and ${max}`);
  }
  return limit;
}
