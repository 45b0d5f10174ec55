/** What already passed under a content key: a build's outputs or a suite's results, and which run made them. */
import type { Connection } from './database.js';
import type { CacheEntryTable } from './schema.js';

export type CacheKind = CacheEntryTable['kind'];

export interface BuildEntry {
  key: string;
  package: string;
  createdAt: number;
}

/** Keys are deleted in slices of this many: SQLite caps the variables bound in one statement. */
const SLICE = 200;

export class CacheEntries {
  constructor(private readonly connection: Connection) {}

  /** The build or suite of `pkg` passed under `key` in this run; a later pass replaces an earlier one. */
  async remember(key: string, kind: CacheKind, pkg: string, runId: number): Promise<void> {
    await this.connection.db
      .insertInto('cache_entries')
      .values({ key, kind, package: pkg, run_id: runId, created_at: Date.now() })
      .onConflict((oc) => oc.columns(['key', 'kind']).doUpdateSet({ run_id: runId, created_at: Date.now() }))
      .execute();
  }

  /** The run whose build or suite passed under this key, if any. */
  async recall(key: string, kind: CacheKind): Promise<number | undefined> {
    const row = await this.connection.db
      .selectFrom('cache_entries')
      .select('run_id')
      .where('key', '=', key)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return row?.run_id;
  }

  /** Every remembered build, newest first within each package. */
  async builds(): Promise<BuildEntry[]> {
    const rows = await this.connection.db
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
  async forgetBuilds(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += SLICE) {
      await this.connection.db
        .deleteFrom('cache_entries')
        .where('kind', '=', 'build')
        .where('key', 'in', keys.slice(i, i + SLICE))
        .execute();
    }
  }
}
