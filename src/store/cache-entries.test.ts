import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextMillisecond } from '../../test/helpers/clock.js';
import { Store } from './store.js';

describe('cache entries', () => {
  let store: Store;
  beforeEach(() => {
    store = Store.open(mkdtempSync(join(tmpdir(), 'waggle-cache-')));
  });
  afterEach(() => store.close());

  it('recalls the run that passed under a key, of that kind only, the latest remembered', async () => {
    expect(await store.cache.recall('k', 'build')).toBeUndefined();
    await store.cache.remember('k', 'build', 'api', 3);
    expect(await store.cache.recall('k', 'build')).toBe(3);
    expect(await store.cache.recall('k', 'test')).toBeUndefined();
    await store.cache.remember('k', 'test', 'api', 4);
    await store.cache.remember('k', 'build', 'api', 5);
    expect(await store.cache.recall('k', 'build')).toBe(5);
    expect(await store.cache.recall('k', 'test')).toBe(4);
  });

  it('lists builds newest first within each package, and forgets the builds named', async () => {
    await store.cache.remember('api-old', 'build', 'api', 1);
    await nextMillisecond();
    await store.cache.remember('web-1', 'build', 'web', 2);
    await store.cache.remember('api-new', 'build', 'api', 2);
    await store.cache.remember('suite', 'test', 'api', 2);
    expect((await store.cache.builds()).map((b) => [b.package, b.key])).toEqual([
      ['api', 'api-new'],
      ['api', 'api-old'],
      ['web', 'web-1'],
    ]);
    expect((await store.cache.builds())[0]?.createdAt).toBeGreaterThan(0);

    // More keys than one statement may bind, none of them a suite's.
    const many = Array.from({ length: 450 }, (_, i) => `gone-${i}`);
    await store.cache.forgetBuilds([...many, 'api-old', 'suite']);
    expect((await store.cache.builds()).map((b) => b.key)).toEqual(['api-new', 'web-1']);
    expect(await store.cache.recall('suite', 'test')).toBe(2);
    await store.cache.forgetBuilds([]);
    expect(await store.cache.builds()).toHaveLength(2);
  });
});
