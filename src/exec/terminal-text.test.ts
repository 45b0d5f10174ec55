import { describe, expect, it } from 'vitest';
import { stripAnsi } from './terminal-text.js';

describe('stripAnsi', () => {
  it('drops colours, cursor moves and erases, as a terminal would not show them', () => {
    expect(stripAnsi('\u001b[1A\u001b[2K\u001b[32m✓\u001b[39m 12 specs')).toBe('✓ 12 specs');
    expect(stripAnsi('\u001b[?25lhidden cursor\u001b[?25h')).toBe('hidden cursor');
    expect(stripAnsi('\u001b]0;title\u0007text')).toBe('text');
  });

  it('keeps the last of the texts a carriage return wrote over each other', () => {
    expect(stripAnsi('progress 10%\rprogress 50%\rdone')).toBe('done');
    expect(stripAnsi('line one\r\nline two')).toBe('line one\nline two');
  });
});
