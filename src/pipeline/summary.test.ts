import { describe, expect, it } from 'vitest';
import type { Step, StepResult } from './step.js';
import { RunTally } from './summary.js';

const step = (key: string, stage: Step['stage'], pkg?: string): Step => ({
  key,
  stage,
  name: key.replace(':', ' '),
  package: pkg,
  needs: [],
  run: async () => ({ status: 'passed' }),
});

function finish(tally: RunTally, s: Step, at: number, result: Omit<StepResult, 'durationMs'>) {
  tally.onEngineEvent({ type: 'step.started', step: s, at: at - 1000 });
  tally.onEngineEvent({ type: 'step.finished', step: s, result: { ...result, durationMs: 1000 }, at });
}

describe('RunTally', () => {
  const run = { id: 7, branch: 'main', sha: 'abc', base: null, startedAt: 0 };

  it('sums up steps, suites, test cases and artifacts from what the engine reported', () => {
    const steps = [
      step('install', 'install'),
      step('build:api', 'build', 'api'),
      step('test:api:unit', 'test', 'api'),
      step('test:api:e2e', 'test', 'api'),
      step('build:web', 'build', 'web'),
      step('test:web', 'test', 'web'),
    ];
    const tally = new RunTally();
    tally.planned(steps);
    const [install, buildApi, unit, e2e, buildWeb, testWeb] = steps as [Step, Step, Step, Step, Step, Step];
    finish(tally, install, 2000, { status: 'passed' });
    finish(tally, buildApi, 4000, { status: 'passed' });
    finish(tally, unit, 6000, { status: 'failed', detail: '1 of 2 tests failed' });
    finish(tally, e2e, 5000, { status: 'cached', detail: 'from run 3' });
    finish(tally, buildWeb, 3000, { status: 'cached' });
    tally.onEngineEvent({
      type: 'step.finished',
      step: testWeb,
      result: { status: 'skipped', detail: 'not affected', durationMs: 0 },
      at: 3000,
    });
    const testCase = { suite: 's', file: null, durationMs: 1, message: null };
    tally.testCases('api', [
      { ...testCase, name: 'adds', status: 'passed' },
      { ...testCase, name: 'charges', status: 'failed', message: 'expected 2' },
    ]);
    tally.artifact({ package: 'api', file: 'api.tgz', sha256: 'f00', size: 10, manifest: {} as never });

    expect(tally.failed).toBe(true);
    const summary = tally.summary(run, 'failed', 6500);
    expect(summary).toMatchObject({ run: 7, status: 'failed', seconds: 6.5 });
    expect(summary.stages).toEqual([
      { name: 'install', status: 'passed', seconds: 1 },
      { name: 'build', status: 'passed', seconds: 2 },
      { name: 'test', status: 'failed', seconds: 2 },
    ]);
    expect(summary.packages.api).toEqual({
      status: 'failed',
      build: 'passed',
      test: 'failed',
      detail: '1 of 2 tests failed',
      tests: { passed: 1, failed: 1, skipped: 0 },
    });
    expect(summary.packages.web).toMatchObject({ status: 'skipped', build: 'cached', test: 'skipped' });
    expect(summary.failedTests).toEqual([
      { package: 'api', suite: 's', name: 'charges', file: null, message: 'expected 2' },
    ]);
    expect(summary.failedSteps).toEqual([{ name: 'test api:unit', detail: '1 of 2 tests failed' }]);
    expect(summary.artifacts).toEqual([{ package: 'api', file: 'api.tgz', sha256: 'f00', size: 10 }]);
  });

  it('tells several suites of a package apart and counts a planned step that never ran as pending', () => {
    const steps = [step('test:api:unit', 'test', 'api'), step('test:api:e2e', 'test', 'api')];
    const tally = new RunTally();
    tally.planned(steps);
    finish(tally, steps[0] as Step, 1000, { status: 'passed', detail: '3 tests' });
    const summary = tally.summary(run, 'cancelled', 1000);
    expect(summary.packages.api).toMatchObject({ test: 'pending', status: 'pending' });
    expect(tally.failed).toBe(false);
    finish(tally, steps[1] as Step, 2000, { status: 'cached' });
    expect(tally.summary(run, 'passed', 2000).packages.api?.detail).toBe('unit: 3 tests; e2e: cached');
  });
});
