/**
 * A `?limit=` from a query string as a whole number of rows in 1..max. Anything that is not a
 * number (absent, `abc`, repeated) gives the default; -1 must never reach SQL, where it means "all".
 */
export function queryLimit(value: unknown, { fallback = 50, max = 500 } = {}): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (Number.isNaN(number)) return fallback;
  return Math.min(Math.max(Math.trunc(number), 1), max);
}
