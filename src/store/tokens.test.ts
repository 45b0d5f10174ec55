import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from './store.js';

describe('tokens and sessions', () => {
  let store: Store;
  beforeEach(() => {
    store = Store.open(mkdtempSync(join(tmpdir(), 'waggle-tokens-')));
  });
  afterEach(() => store.close());

  it('finds a token by hash or name, never returning the hash, and marks it used', async () => {
    await store.tokens.create({ name: 'ci', role: 'operator', hash: 'h1' }, 1_000);
    await store.tokens.create({ name: 'viewer', role: 'viewer', hash: 'h2' }, 2_000);
    const ci = { name: 'ci', role: 'operator', created_at: 1_000, last_used_at: null };
    expect(await store.tokens.byHash('h1')).toEqual({ id: expect.any(Number), ...ci });
    expect(await store.tokens.byHash('nope')).toBeUndefined();
    expect(await store.tokens.byName('ci')).toEqual(await store.tokens.byHash('h1'));

    const id = (await store.tokens.byName('ci'))?.id as number;
    await store.tokens.markUsed(id, 5_000);
    expect((await store.tokens.byHash('h1'))?.last_used_at).toBe(5_000);
    expect((await store.tokens.list()).map((token) => [token.name, token.last_used_at])).toEqual([
      ['ci', 5_000],
      ['viewer', null],
    ]);
  });

  it('issues a token once, keeping only its sha256, and finds it again by the token', async () => {
    const token = await store.tokens.issue('ci', 'operator', 1_000);
    expect(token).toMatch(/^wgl_[A-Za-z0-9_-]{32}$/);
    const hash = createHash('sha256').update(token).digest('hex');
    const row = {
      id: expect.any(Number),
      name: 'ci',
      role: 'operator',
      created_at: 1_000,
      last_used_at: null,
    };
    expect(await store.tokens.byHash(hash)).toEqual(row);
    expect(await store.tokens.byToken(token)).toEqual(row);
    expect(await store.tokens.byToken(hash)).toBeUndefined();
    expect(await store.tokens.issue('other', 'viewer')).not.toBe(token);
  });

  it('refuses a second token of the same name', async () => {
    await store.tokens.create({ name: 'ci', role: 'operator', hash: 'h1' });
    await expect(store.tokens.create({ name: 'ci', role: 'viewer', hash: 'h2' })).rejects.toThrow(/UNIQUE/);
  });

  it('keeps a session live until it expires, with the token it was opened with', async () => {
    await store.tokens.create({ name: 'ops', role: 'approver', hash: 'h' });
    const tokenId = (await store.tokens.byName('ops'))?.id as number;
    await store.sessions.create({ id: 's1', tokenId, csrf: 'c1', createdAt: 0, expiresAt: 1_000 });
    expect(await store.sessions.live('s1', 1_000)).toEqual({
      csrf: 'c1',
      expiresAt: 1_000,
      tokenId,
      name: 'ops',
      role: 'approver',
    });
    expect(await store.sessions.live('s1', 1_001)).toBeUndefined();
    expect(await store.sessions.live('unknown', 0)).toBeUndefined();
  });

  it('forgets only the sessions that expired', async () => {
    await store.tokens.create({ name: 'ops', role: 'admin', hash: 'h' });
    const tokenId = (await store.tokens.byName('ops'))?.id as number;
    await store.sessions.create({ id: 'old', tokenId, csrf: 'c', createdAt: 0, expiresAt: 100 });
    await store.sessions.create({ id: 'new', tokenId, csrf: 'c', createdAt: 0, expiresAt: 300 });
    await store.sessions.removeExpired(200);
    expect(await store.sessions.live('old', 0)).toBeUndefined();
    expect(await store.sessions.live('new', 0)).toBeDefined();
    await store.sessions.remove('new');
    expect(await store.sessions.live('new', 0)).toBeUndefined();
  });

  it('revokes a token with its sessions, and says when there was none', async () => {
    await store.tokens.create({ name: 'ops', role: 'admin', hash: 'h' });
    const tokenId = (await store.tokens.byName('ops'))?.id as number;
    await store.sessions.create({ id: 's', tokenId, csrf: 'c', createdAt: 0, expiresAt: 100 });
    expect(await store.tokens.revoke('ops')).toBe(true);
    expect(await store.tokens.byName('ops')).toBeUndefined();
    expect(await store.sessions.live('s', 0)).toBeUndefined();
    expect(await store.tokens.revoke('ops')).toBe(false);
  });
});
