import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from './store.js';

describe('test cases', () => {
  let store: Store;
  beforeEach(() => {
    store = Store.open(mkdtempSync(join(tmpdir(), 'waggle-tests-')));
  });
  afterEach(() => store.close());

  const runWithSuites = async () => {
    const run = await store.runs.create({
      repo: '/r',
      branch: 'main',
      sha: 'a'.repeat(40),
      author: 'a',
      message: 'm',
      trigger: 'cli',
    });
    const suite = (pkg: string) =>
      store.steps.add({ run_id: run, key: `test:${pkg}`, stage: 'test', name: `test ${pkg}`, package: pkg });
    return { run, api: await suite('api'), web: await suite('web') };
  };
  const testCase = (run: number, step: number, pkg: string, name: string) => ({
    run_id: run,
    step_id: step,
    package: pkg,
    suite: 'suite',
    name,
    file: null,
    status: 'passed' as const,
    duration_ms: 3,
    message: null,
  });

  it("adds a run's cases in slices and reads them back in order, of one package when asked", async () => {
    const { run, api, web } = await runWithSuites();
    // More than one statement's worth of bound variables.
    const many = Array.from({ length: 450 }, (_, i) => testCase(run, api, 'api', `api ${i}`));
    await store.tests.add([...many, testCase(run, web, 'web', 'renders')]);
    const all = await store.tests.ofRun(run);
    expect(all).toHaveLength(451);
    expect(all[0]).toEqual({ id: expect.any(Number), ...testCase(run, api, 'api', 'api 0') });
    expect(all.at(-1)?.name).toBe('renders');
    expect((await store.tests.ofRun(run, 'web')).map((c) => c.name)).toEqual(['renders']);
    expect(await store.tests.ofRun(run + 1)).toEqual([]);
  });

  it("gives one step's cases, by the step's key, for a later run to reuse", async () => {
    const first = await runWithSuites();
    const second = await runWithSuites();
    await store.tests.add([
      testCase(first.run, first.api, 'api', 'adds'),
      testCase(first.run, first.web, 'web', 'renders'),
      testCase(first.run, first.api, 'api', 'subtracts'),
      testCase(second.run, second.api, 'api', 'second run'),
    ]);
    expect((await store.tests.ofStep(first.run, 'test:api')).map((c) => c.name)).toEqual([
      'adds',
      'subtracts',
    ]);
    expect((await store.tests.ofStep(second.run, 'test:api')).map((c) => c.name)).toEqual(['second run']);
    expect(await store.tests.ofStep(first.run, 'test:nothing')).toEqual([]);
  });
});
