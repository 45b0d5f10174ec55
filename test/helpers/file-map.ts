/** A repository for the readers of src/config/junit as a map of path -> text (objects as JSON). */
import type { ReadFile } from '../../src/config/junit/types.js';

export const files =
  (map: Record<string, string | object>): ReadFile =>
  (path) => {
    const value = map[path];
    return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
  };
