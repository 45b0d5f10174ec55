import { describe, expect, it } from 'vitest';
import { Turns } from './body-gate.js';

describe('Turns', () => {
  it('lets a few hold a turn at once and the rest wait in order', async () => {
    const turns = new Turns(2);
    const order: number[] = [];
    const ends = await Promise.all([turns.take(), turns.take()]);
    const waiting = [3, 4, 5].map(async (n) => {
      const end = await turns.take();
      order.push(n);
      return end;
    });
    await Promise.resolve();
    expect([turns.holding, turns.queued, order]).toEqual([2, 3, []]);
    ends[0]?.();
    ends[0]?.(); // a second end gives back nothing more
    const third = await waiting[0];
    expect([turns.holding, turns.queued, order]).toEqual([2, 2, [3]]);
    ends[1]?.();
    third?.();
    for (const end of await Promise.all(waiting.slice(1))) end();
    expect([turns.holding, turns.queued, order]).toEqual([0, 0, [3, 4, 5]]);
  });
});
