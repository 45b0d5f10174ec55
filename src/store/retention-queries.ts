/** What retention asks the store: which runs are unfinished, what they use, what is newest. */
import type { Store } from './store.js';

const INSTALL_DONE = ['passed', 'cached', 'failed', 'skipped', 'cancelled'] as const;

/** Build and package steps of these runs, with the content key each uses. */
export async function keyedSteps(
  store: Store,
  runIds: readonly number[],
): Promise<{ key: string; package: string | null; cacheKey: string }[]> {
  if (runIds.length === 0) return [];
  const rows = await store.db
    .selectFrom('steps')
    .select(['key', 'package', 'cache_key'])
    .where('run_id', 'in', [...runIds])
    .where('cache_key', 'is not', null)
    .execute();
  return rows.map((row) => ({ key: row.key, package: row.package, cacheKey: row.cache_key as string }));
}

/**
 * Of these runs, those that may still link node_modules from the cache: their install step has
 * not ended, or they have no steps yet (which entry they will use is not known before it runs).
 */
export async function runsBeforeInstall(store: Store, runIds: readonly number[]): Promise<number[]> {
  if (runIds.length === 0) return [];
  const done = await store.db
    .selectFrom('steps')
    .select('run_id')
    .where('run_id', 'in', [...runIds])
    .where('key', '=', 'install')
    .where('status', 'in', [...INSTALL_DONE])
    .execute();
  const finished = new Set(done.map((row) => row.run_id));
  return runIds.filter((id) => !finished.has(id));
}

/** Artifact files (as recorded) of the newest `runs` runs that made any, and of `alsoRunIds`. */
export async function artifactFilesToKeep(
  store: Store,
  runs: number,
  alsoRunIds: readonly number[],
): Promise<string[]> {
  const newest = await store.db
    .selectFrom('artifacts')
    .select('run_id')
    .distinct()
    .orderBy('run_id', 'desc')
    .limit(runs)
    .execute();
  const ids = [...new Set([...newest.map((row) => row.run_id), ...alsoRunIds])];
  if (ids.length === 0) return [];
  const rows = await store.db.selectFrom('artifacts').select('file').where('run_id', 'in', ids).execute();
  return rows.map((row) => row.file);
}

export interface BuildEntryRow {
  key: string;
  package: string;
  createdAt: number;
}

/** Every remembered build, newest first within each package. */
export async function buildEntries(store: Store): Promise<BuildEntryRow[]> {
  const rows = await store.db
    .selectFrom('cache_entries')
    .select(['key', 'package', 'created_at'])
    .where('kind', '=', 'build')
    .orderBy('package')
    .orderBy('created_at', 'desc')
    .orderBy('key')
    .execute();
  return rows.map((row) => ({ key: row.key, package: row.package, createdAt: row.created_at }));
}

/** Forgets builds whose outputs are going, so none is recalled without them. */
export async function forgetBuilds(store: Store, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 200) {
    await store.db
      .deleteFrom('cache_entries')
      .where('kind', '=', 'build')
      .where('key', 'in', keys.slice(i, i + 200))
      .execute();
  }
}
