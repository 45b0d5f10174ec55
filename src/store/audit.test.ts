import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from './store.js';

describe('audit log', () => {
  let store: Store;
  beforeEach(() => {
    store = Store.open(mkdtempSync(join(tmpdir(), 'waggle-audit-')));
  });
  afterEach(() => store.close());

  it('records who did what, when and from where, and lists the newest first', async () => {
    await store.audit.record({ actor: 'nassim', action: 'dashboard.login', ip: '10.0.0.1' }, 1_000);
    await store.audit.record(
      { actor: 'louenas', action: 'run.rerun', target: 'run 4', ip: '10.0.0.2', detail: 'as run 5' },
      2_000,
    );
    expect(await store.audit.recent(10)).toEqual([
      {
        id: 2,
        at: 2_000,
        actor: 'louenas',
        action: 'run.rerun',
        target: 'run 4',
        ip: '10.0.0.2',
        detail: 'as run 5',
      },
      {
        id: 1,
        at: 1_000,
        actor: 'nassim',
        action: 'dashboard.login',
        target: null,
        ip: '10.0.0.1',
        detail: null,
      },
    ]);
    expect((await store.audit.recent(1)).map((entry) => entry.action)).toEqual(['run.rerun']);
  });
});
