import { describe, expect, it } from 'vitest';
import { execute } from './engine.js';
import type { EngineEvent, Step, StepOutcome } from './step.js';

const step = (key: string, needs: string[], run: () => Promise<StepOutcome>): Step => ({
  key,
  stage: 'build',
  name: key,
  needs,
  run,
});
const pass = async (): Promise<StepOutcome> => ({ status: 'passed' });

describe('execute', () => {
  it('runs steps after their needs, at most `concurrency` at once', async () => {
    let running = 0;
    let peak = 0;
    const order: string[] = [];
    const work = (key: string) => async (): Promise<StepOutcome> => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      order.push(key);
      running--;
      return { status: 'passed' };
    };
    const steps = [
      step('a', [], work('a')),
      step('b', [], work('b')),
      step('c', [], work('c')),
      step('d', ['a', 'b', 'c'], work('d')),
    ];
    const results = await execute(steps, {
      concurrency: 2,
      signal: new AbortController().signal,
      onEvent: () => {},
    });
    expect(peak).toBe(2);
    expect(order.at(-1)).toBe('d');
    expect([...results.values()].every((r) => r.status === 'passed')).toBe(true);
  });

  it('skips what needs a failed step, through any depth, and runs the rest', async () => {
    const steps = [
      step('a', [], async () => ({ status: 'failed', detail: 'exit code 1' })),
      step('b', ['a'], pass),
      step('c', ['b'], pass),
      step('d', [], pass),
    ];
    const results = await execute(steps, {
      concurrency: 4,
      signal: new AbortController().signal,
      onEvent: () => {},
    });
    expect(results.get('b')).toMatchObject({ status: 'skipped', blocked: true, detail: 'a failed' });
    expect(results.get('c')).toMatchObject({ status: 'skipped', blocked: true, detail: 'b did not run' });
    expect(results.get('d')?.status).toBe('passed');
  });

  it('turns a thrown error into a failed step', async () => {
    const results = await execute([step('a', [], async () => Promise.reject(new Error('boom')))], {
      concurrency: 1,
      signal: new AbortController().signal,
      onEvent: () => {},
    });
    expect(results.get('a')).toMatchObject({ status: 'failed', detail: 'boom' });
  });

  it('cancels: the running step sees the signal and nothing else starts', async () => {
    const controller = new AbortController();
    const events: EngineEvent[] = [];
    const slow = step('a', [], (async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      controller.abort();
      return { status: 'failed' };
    }) as () => Promise<StepOutcome>);
    const results = await execute([slow, step('b', ['a'], pass)], {
      concurrency: 1,
      signal: controller.signal,
      onEvent: (event) => events.push(event),
    });
    expect(results.get('a')?.status).toBe('cancelled');
    expect(results.get('b')?.status).toBe('cancelled');
    expect(events.filter((e) => e.type === 'step.started')).toHaveLength(1);
  });

  it('refuses a step that needs an unknown step', async () => {
    await expect(
      execute([step('a', ['ghost'], pass)], {
        concurrency: 1,
        signal: new AbortController().signal,
        onEvent: () => {},
      }),
    ).rejects.toThrow('step a needs unknown step ghost');
  });
});
