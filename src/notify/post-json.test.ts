import { describe, expect, it } from 'vitest';
import { retryAfter } from './post-json.js';

describe('retryAfter', () => {
  const now = Date.UTC(2025, 0, 1, 12);

  it.each([
    ['1', 1_000],
    [' 65 ', 65_000],
    ['0.4', 400],
    ['64.57', 64_570],
    ['Wed, 01 Jan 2025 12:00:30 GMT', 30_000],
    ['Wed, 01 Jan 2025 11:00:00 GMT', 0],
  ])('reads %j as %d ms', (header, ms) => {
    expect(retryAfter(header, now)).toBe(ms);
  });

  it.each([null, '', 'soon'])('has no wait for %j', (header) => {
    expect(retryAfter(header, now)).toBeUndefined();
  });
});
