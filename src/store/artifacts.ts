/** The artifacts runs packaged: a tarball per deployable package, with its sha256 and manifest. */
import type { Insertable, Selectable } from 'kysely';
import type { Connection } from './database.js';
import type { ArtifactTable } from './schema.js';

export type ArtifactRow = Selectable<ArtifactTable>;

export class Artifacts {
  constructor(private readonly connection: Connection) {}

  async add(artifact: Insertable<ArtifactTable>): Promise<void> {
    await this.connection.db.insertInto('artifacts').values(artifact).execute();
  }

  /** A run's artifacts by package name. */
  ofRun(runId: number): Promise<ArtifactRow[]> {
    return this.connection.db
      .selectFrom('artifacts')
      .selectAll()
      .where('run_id', '=', runId)
      .orderBy('package')
      .execute();
  }

  /** Artifact files (as recorded) of the newest `runs` runs that made any, and of `alsoRunIds`. */
  async filesToKeep(runs: number, alsoRunIds: readonly number[]): Promise<string[]> {
    const { db } = this.connection;
    const newest = await db
      .selectFrom('artifacts')
      .select('run_id')
      .distinct()
      .orderBy('run_id', 'desc')
      .limit(runs)
      .execute();
    const ids = [...new Set([...newest.map((row) => row.run_id), ...alsoRunIds])];
    if (ids.length === 0) return [];
    const rows = await db.selectFrom('artifacts').select('file').where('run_id', 'in', ids).execute();
    return rows.map((row) => row.file);
  }
}
