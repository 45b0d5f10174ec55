import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NotificationAttempt } from './notification-attempts.js';
import { Store } from './store.js';

const attempt = (over: Partial<NotificationAttempt>): NotificationAttempt => ({
  contact: 'CTO',
  channel: 'email',
  event: 'run.failed',
  attempt: 1,
  ok: true,
  status: 250,
  error: null,
  at: 1_000,
  ...over,
});

describe('notification attempts', () => {
  let store: Store;
  beforeEach(() => {
    store = Store.open(mkdtempSync(join(tmpdir(), 'waggle-notify-')));
  });
  afterEach(() => store.close());

  it("keeps every attempt, failed or not, and gives back a run's own in order", async () => {
    const failed = attempt({ channel: 'slack', ok: false, status: 500, error: 'HTTP 500' });
    const retried = attempt({ channel: 'slack', attempt: 2, at: 3_000 });
    await store.notifications.record(7, failed);
    await store.notifications.record(8, attempt({ contact: 'other run' }));
    await store.notifications.record(7, retried);
    await store.notifications.record(null, attempt({ contact: 'no run' }));
    expect(await store.notifications.ofRun(7)).toEqual([failed, retried]);
    expect(await store.notifications.ofRun(9)).toEqual([]);
  });
});
