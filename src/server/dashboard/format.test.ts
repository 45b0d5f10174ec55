import { describe, expect, it } from 'vitest';
import { fileSize } from '../../format/size.js';
import { milliseconds, runDuration, timeAgo } from './format.js';

describe('dashboard formats', () => {
  const now = Date.UTC(2025, 0, 1, 12);

  it('says how long a run took, or has been going, and nothing while it waits', () => {
    expect(runDuration({ started_at: null, finished_at: null }, now)).toBe('');
    expect(runDuration({ started_at: now - 4_200, finished_at: null }, now)).toBe('4.2s');
    expect(runDuration({ started_at: now - 200_000, finished_at: now - 70_000 }, now)).toBe('2m 10s');
    expect(milliseconds(320)).toBe('320ms');
    expect(milliseconds(299_600)).toBe('5m 0s');
    expect(milliseconds(null)).toBe('');
  });

  it('says how long ago, coarsely', () => {
    expect(timeAgo(now - 10_000, now)).toBe('just now');
    expect(timeAgo(now - 5 * 60_000, now)).toBe('5 min ago');
    expect(timeAgo(now - 3 * 3_600_000, now)).toBe('3 h ago');
    expect(timeAgo(now - 4 * 86_400_000, now)).toBe('4 days ago');
  });

  it('gives sizes in binary units', () => {
    expect(fileSize(512)).toBe('512 B');
    expect(fileSize(2_500)).toBe('2.4 KiB');
    expect(fileSize(30 * 1024 * 1024)).toBe('30 MiB');
  });
});
