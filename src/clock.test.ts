import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from './clock.js';

describe('ManualClock', () => {
  it('wakes sleepers in order as time is moved, and not before', async () => {
    const clock = new ManualClock(1_000);
    const woke: string[] = [];
    const bake = clock.sleep(30 * 60_000).then(() => woke.push(`bake at ${clock.now()}`));
    const step = clock.sleep(30_000).then(() => woke.push(`step at ${clock.now()}`));
    await clock.advance(29_999);
    expect(woke).toEqual([]);
    await clock.advance(30 * 60_000);
    await Promise.all([bake, step]);
    expect(woke).toEqual(['step at 31000', 'bake at 1801000']);
    expect(clock.now()).toBe(1_000 + 29_999 + 30 * 60_000);
  });

  it('lets an abort end a sleep early', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(60_000, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(sleeping).rejects.toThrow('cancelled');
  });
});

describe('systemClock', () => {
  it('sleeps in real time and can be cancelled', async () => {
    const started = systemClock.now();
    await systemClock.sleep(20);
    expect(systemClock.now() - started).toBeGreaterThanOrEqual(15);
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
  });
});
