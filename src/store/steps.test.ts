import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from './store.js';

describe('steps and their logs', () => {
  let store: Store;
  let runId: number;
  const step = (key: string, over: { package?: string | null; cache_key?: string | null } = {}) => ({
    run_id: runId,
    key,
    stage: 'build',
    name: key,
    package: null,
    ...over,
  });
  const newRun = () =>
    store.runs.create({
      repo: '/r',
      branch: 'main',
      sha: 'a'.repeat(40),
      author: 'a',
      message: 'm',
      trigger: 'cli',
    });

  beforeEach(async () => {
    store = Store.open(mkdtempSync(join(tmpdir(), 'waggle-steps-')));
    runId = await newRun();
  });
  afterEach(() => store.close());

  it('adds steps pending, in plan order, and records what became of them', async () => {
    const install = await store.steps.add(step('install'));
    const build = await store.steps.add(step('build:api', { package: 'api', cache_key: 'k1' }));
    await store.steps.update(install, {
      status: 'passed',
      exit_code: 0,
      started_at: 10,
      finished_at: 30,
      duration_ms: 20,
    });
    await store.steps.update(build, { status: 'failed', detail: 'tsc exited 2', exit_code: 2 });
    expect(await store.steps.ofRun(runId)).toEqual([
      expect.objectContaining({
        id: install,
        key: 'install',
        status: 'passed',
        exit_code: 0,
        duration_ms: 20,
      }),
      expect.objectContaining({
        id: build,
        key: 'build:api',
        package: 'api',
        status: 'failed',
        detail: 'tsc exited 2',
      }),
    ]);
    expect(await store.steps.ofRun(runId + 1)).toEqual([]);
  });

  it('refuses a second step of the same key in a run', async () => {
    await store.steps.add(step('install'));
    await expect(store.steps.add(step('install'))).rejects.toThrow(/UNIQUE/);
  });

  it('appends log lines in batches and reads them back in order, after a sequence number', async () => {
    const id = await store.steps.add(step('install'));
    store.logs.append([
      { step_id: id, seq: 1, stream: 'stdout', line: 'added 12 packages', at: 1 },
      { step_id: id, seq: 2, stream: 'stderr', line: 'npm warn deprecated', at: 2 },
    ]);
    store.logs.append([]);
    store.logs.append([{ step_id: id, seq: 3, stream: 'stdout', line: 'done', at: 3 }]);
    expect((await store.logs.ofStep(id)).map((l) => [l.seq, l.stream, l.line])).toEqual([
      [1, 'stdout', 'added 12 packages'],
      [2, 'stderr', 'npm warn deprecated'],
      [3, 'stdout', 'done'],
    ]);
    expect((await store.logs.ofStep(id, 2)).map((l) => l.line)).toEqual(['done']);
  });

  it('writes none of a batch whose line cannot be stored', async () => {
    const id = await store.steps.add(step('install'));
    expect(() =>
      store.logs.append([
        { step_id: id, seq: 1, stream: 'stdout', line: 'one', at: 1 },
        { step_id: id, seq: 1, stream: 'stdout', line: 'the same seq', at: 2 },
      ]),
    ).toThrow(/UNIQUE|PRIMARY/);
    expect(await store.logs.ofStep(id)).toEqual([]);
  });

  it('gives retention the keyed steps of runs, and the runs whose install has not ended', async () => {
    const other = await newRun();
    const noSteps = await newRun();
    await store.steps.add(step('install'));
    await store.steps.add(step('build:api', { package: 'api', cache_key: 'k-api' }));
    const done = await store.steps.add({ ...step('install'), run_id: other });
    await store.steps.add({ ...step('package:web', { package: 'web', cache_key: 'k-web' }), run_id: other });
    expect(await store.steps.keyed([runId, other])).toEqual([
      { key: 'build:api', package: 'api', cacheKey: 'k-api' },
      { key: 'package:web', package: 'web', cacheKey: 'k-web' },
    ]);
    expect(await store.steps.keyed([])).toEqual([]);
    expect(await store.steps.runsBeforeInstall([runId, other, noSteps])).toEqual([runId, other, noSteps]);
    await store.steps.update(done, { status: 'cached' });
    expect(await store.steps.runsBeforeInstall([runId, other, noSteps])).toEqual([runId, noSteps]);
    expect(await store.steps.runsBeforeInstall([])).toEqual([]);
  });
});
