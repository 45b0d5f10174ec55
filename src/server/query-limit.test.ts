import { describe, expect, it } from 'vitest';
import { queryLimit } from './query-limit.js';

describe('queryLimit', () => {
  it.each([
    [undefined, 50],
    ['', 50],
    ['abc', 50],
    [['3', '4'], 50],
    ['20', 20],
    ['20.9', 20],
    ['-1', 1],
    ['0', 1],
    ['1e9', 500],
    ['Infinity', 500],
  ])('%j gives %i', (value, expected) => {
    expect(queryLimit(value)).toBe(expected);
  });

  it('takes its own default and ceiling', () => {
    expect(queryLimit(undefined, { fallback: 10, max: 20 })).toBe(10);
    expect(queryLimit('99', { fallback: 10, max: 20 })).toBe(20);
  });
});
