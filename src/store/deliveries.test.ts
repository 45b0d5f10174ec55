import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from './store.js';

const RUN = {
  repo: '/mirror',
  branch: 'riipen',
  sha: 'a'.repeat(40),
  author: 'Ada',
  message: 'fix',
  trigger: 'push',
};

describe('deliveries', () => {
  let store: Store;
  beforeEach(() => {
    store = Store.open(mkdtempSync(join(tmpdir(), 'waggle-deliveries-')));
  });
  afterEach(() => store.close());

  it('stores a delivery with the run it queues, the run knowing its delivery', async () => {
    const stored = store.deliveries.record(
      { id: 'd-1', event: 'push', reason: null, payload: '{"a":1}' },
      RUN,
    );
    expect(stored).toEqual({ duplicate: false, runId: expect.any(Number) });
    const run = await store.runs.get(stored.runId as number);
    expect(run).toMatchObject({
      ...RUN,
      status: 'queued',
      delivery_id: 'd-1',
      base_sha: null,
      options: null,
    });
    expect(await store.deliveries.get('d-1')).toEqual({
      id: 'd-1',
      event: 'push',
      received_at: run?.created_at,
      outcome: 'queued',
      reason: null,
      run_id: stored.runId,
      payload: '{"a":1}',
    });
  });

  it('stores an ignored delivery with its reason and no run', async () => {
    const stored = store.deliveries.record({
      id: 'd-2',
      event: 'issues',
      reason: 'not handled',
      payload: '{}',
    });
    expect(stored).toEqual({ duplicate: false, runId: null });
    expect(await store.deliveries.get('d-2')).toMatchObject({ outcome: 'ignored', reason: 'not handled' });
    expect(await store.runs.recent(10)).toEqual([]);
  });

  it('changes nothing for a delivery id seen before, and names the run it queued', async () => {
    const first = store.deliveries.record({ id: 'd-3', event: 'push', reason: null, payload: '{}' }, RUN);
    const again = store.deliveries.record(
      { id: 'd-3', event: 'push', reason: null, payload: '{"redelivered":true}' },
      { ...RUN, sha: 'b'.repeat(40) },
    );
    expect(again).toEqual({ duplicate: true, runId: first.runId });
    expect((await store.runs.recent(10)).map((run) => run.sha)).toEqual([RUN.sha]);
    expect((await store.deliveries.recent(10)).map((d) => d.payload)).toEqual(['{}']);
  });

  it('stores neither the delivery nor its run when either cannot be written', async () => {
    expect(() =>
      store.deliveries.record(
        { id: 'd-4', event: 'push', reason: null, payload: null as unknown as string },
        RUN,
      ),
    ).toThrow(/NOT NULL/);
    expect(await store.runs.recent(10)).toEqual([]);
    expect(await store.deliveries.recent(10)).toEqual([]);
  });
});
