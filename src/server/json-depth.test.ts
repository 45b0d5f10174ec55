import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from './json-depth.js';

const deeper = (text: string, limit: number) => nestsDeeperThan(Buffer.from(text), limit);

describe('nestsDeeperThan', () => {
  it.each([
    ['{}', 1, false],
    ['{"a":[1,{"b":[]}]}', 4, false],
    ['{"a":[1,{"b":[]}]}', 3, true],
    ['[[],[],[]]', 2, false],
    ['[[[]]]', 2, true],
    ['{"a":"[[[[[[{{{{"}', 1, false],
    ['{"a":"\\"[[[[\\\\"}', 1, false],
    ['{"a":"\\\\"}', 1, false],
    ['{"a":"\\\\","b":[[]]}', 2, true],
    ['{"ünïcødé ✓":["[["]}', 2, false],
    ['"just a string"', 0, false],
    ['42', 0, false],
  ])('%s nests deeper than %i: %s', (text, limit, expected) => {
    expect(deeper(text, limit)).toBe(expected);
  });

  it('scans 100,000 levels without recursion', () => {
    const text = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(deeper(text, 64)).toBe(true);
    expect(deeper(text, 100_000)).toBe(false);
  });
});
