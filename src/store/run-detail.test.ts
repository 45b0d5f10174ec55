import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from './store.js';

describe('run detail', () => {
  let store: Store;
  beforeEach(() => {
    store = Store.open(mkdtempSync(join(tmpdir(), 'waggle-detail-')));
  });
  afterEach(() => store.close());

  it('gathers a run with its steps, failed tests first, artifacts and notifications', async () => {
    const id = await store.runs.create({
      repo: '/repo',
      branch: 'main',
      sha: 'a'.repeat(40),
      author: 'Ada',
      message: 'fix',
      trigger: 'push',
      options: '{"all":true}',
    });
    await store.runs.update(id, { status: 'failed', summary: JSON.stringify({ run: id, status: 'failed' }) });
    const step = await store.steps.add({
      run_id: id,
      key: 'test:api',
      stage: 'test',
      name: 'test api',
      package: 'api',
    });
    const testCase = (name: string, status: 'passed' | 'failed') => ({
      run_id: id,
      step_id: step,
      package: 'api',
      suite: 'suite',
      name,
      file: null,
      status,
      duration_ms: 1,
      message: null,
    });
    await store.tests.add([testCase('first', 'passed'), testCase('second', 'failed')]);
    await store.artifacts.add({
      run_id: id,
      package: 'api',
      file: '/a/api.tgz',
      sha256: 'f'.repeat(64),
      size: 10,
      cache_key: 'k',
      manifest: '{}',
    });
    await store.notifications.record(id, {
      contact: 'CTO',
      channel: 'email',
      event: 'run.failed',
      attempt: 1,
      ok: true,
      status: 250,
      error: null,
      at: 5,
    });

    const detail = await store.runDetail(id);
    expect(detail?.run).toMatchObject({ id, status: 'failed', author: 'Ada' });
    expect(detail?.run).not.toHaveProperty('options');
    expect(detail?.run).not.toHaveProperty('summary');
    expect(detail?.summary).toEqual({ run: id, status: 'failed' });
    expect(detail?.steps.map((s) => s.key)).toEqual(['test:api']);
    expect(detail?.tests.map((t) => t.name)).toEqual(['second', 'first']);
    expect(detail?.artifacts.map((a) => a.file)).toEqual(['/a/api.tgz']);
    expect(detail?.notifications).toEqual([expect.objectContaining({ contact: 'CTO', ok: true })]);
    expect(await store.runDetail(id + 1)).toBeUndefined();
  });
});
