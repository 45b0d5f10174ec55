/**
 * Runs steps as a dependency graph, at most `concurrency` at once. A step whose need failed or
 * was cancelled does not run; everything else runs as soon as it can. No I/O of its own: steps
 * do the work, listeners see events.
 */
import type { EngineEvent, Step, StepResult } from './step.js';

export interface ExecuteOptions {
  concurrency: number;
  signal: AbortSignal;
  onEvent: (event: EngineEvent) => void;
  now?: () => number;
}

export async function execute(
  steps: readonly Step[],
  options: ExecuteOptions,
): Promise<Map<string, StepResult>> {
  const now = options.now ?? Date.now;
  const byKey = new Map(steps.map((step) => [step.key, step]));
  for (const step of steps) {
    for (const need of step.needs)
      if (!byKey.has(need)) throw new Error(`step ${step.key} needs unknown step ${need}`);
  }
  const results = new Map<string, StepResult>();
  const running = new Map<string, Promise<void>>();
  const finish = (step: Step, result: StepResult) => {
    results.set(step.key, result);
    options.onEvent({ type: 'step.finished', step, result, at: now() });
  };

  const start = (step: Step) => {
    const started = now();
    options.onEvent({ type: 'step.started', step, at: started });
    const context = {
      signal: options.signal,
      log: (line: string, stream: 'stdout' | 'stderr' = 'stdout') =>
        options.onEvent({ type: 'step.log', step, line, stream }),
    };
    const work = step
      .run(context)
      .then(
        (outcome): StepResult => ({
          ...outcome,
          status: options.signal.aborted && outcome.status === 'failed' ? 'cancelled' : outcome.status,
          durationMs: now() - started,
        }),
        (error: unknown): StepResult => ({
          status: options.signal.aborted ? 'cancelled' : 'failed',
          detail: error instanceof Error ? error.message : String(error),
          durationMs: now() - started,
        }),
      )
      .then((result) => {
        running.delete(step.key);
        finish(step, result);
      });
    running.set(step.key, work);
  };

  while (results.size < steps.length) {
    for (const step of steps) {
      if (results.has(step.key) || running.has(step.key)) continue;
      if (options.signal.aborted) {
        finish(step, { status: 'cancelled', detail: 'run cancelled', durationMs: 0 });
        continue;
      }
      const blocker = step.needs.find((need) => {
        const result = results.get(need);
        return (
          result !== undefined &&
          (result.status === 'failed' || result.status === 'cancelled' || result.blocked === true)
        );
      });
      if (blocker) {
        const need = byKey.get(blocker) as Step;
        const failed = results.get(blocker)?.status === 'failed';
        finish(step, {
          status: 'skipped',
          blocked: true,
          detail: `${need.name} ${failed ? 'failed' : 'did not run'}`,
          durationMs: 0,
        });
        continue;
      }
      const ready = step.needs.every((need) => results.has(need));
      if (ready && running.size < options.concurrency) start(step);
    }
    if (results.size === steps.length) break;
    if (running.size === 0) throw new Error('pipeline is stuck: a dependency cycle among steps');
    await Promise.race(running.values());
  }
  return results;
}
