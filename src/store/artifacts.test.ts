import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from './store.js';

describe('artifacts', () => {
  let store: Store;
  beforeEach(() => {
    store = Store.open(mkdtempSync(join(tmpdir(), 'waggle-artifacts-')));
  });
  afterEach(() => store.close());

  const newRun = () =>
    store.runs.create({
      repo: '/r',
      branch: 'main',
      sha: 'a'.repeat(40),
      author: 'a',
      message: 'm',
      trigger: 'cli',
    });
  const artifact = (run: number, pkg: string) => ({
    run_id: run,
    package: pkg,
    file: `/home/artifacts/${pkg}-${run}.tgz`,
    sha256: 'f'.repeat(64),
    size: 1024,
    cache_key: `key-${run}`,
    manifest: JSON.stringify({ package: pkg }),
  });

  it("lists a run's artifacts by package", async () => {
    const run = await newRun();
    await store.artifacts.add(artifact(run, 'web'));
    await store.artifacts.add(artifact(run, 'api'));
    expect(await store.artifacts.ofRun(run)).toEqual([
      { id: 2, ...artifact(run, 'api') },
      { id: 1, ...artifact(run, 'web') },
    ]);
    expect(await store.artifacts.ofRun(run + 1)).toEqual([]);
  });

  it('keeps the files of the newest runs that made any, and of the runs named', async () => {
    const [one, two, none, three] = [await newRun(), await newRun(), await newRun(), await newRun()];
    for (const run of [one, two, three]) await store.artifacts.add(artifact(run, 'api'));
    await store.artifacts.add(artifact(three, 'web'));
    expect((await store.artifacts.filesToKeep(2, [])).sort()).toEqual(
      [artifact(two, 'api').file, artifact(three, 'api').file, artifact(three, 'web').file].sort(),
    );
    expect((await store.artifacts.filesToKeep(1, [one, none])).sort()).toEqual(
      [artifact(one, 'api').file, artifact(three, 'api').file, artifact(three, 'web').file].sort(),
    );
    expect(await store.artifacts.filesToKeep(0, [])).toEqual([]);
  });
});
