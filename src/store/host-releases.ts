/** What each host of an environment runs: per package, the release, since when, from which runs. */
import type { Selectable } from 'kysely';
import type { Connection } from './database.js';
import type { HostReleaseTable } from './schema.js';

export type HostRelease = Selectable<HostReleaseTable>;

export class HostReleases {
  constructor(private readonly connection: Connection) {}

  /** The host now runs this release of the package. */
  async placed(release: HostRelease): Promise<void> {
    await this.connection.db
      .insertInto('host_releases')
      .values(release)
      .onConflict((conflict) =>
        conflict.columns(['environment', 'host', 'package']).doUpdateSet({
          release: release.release,
          source_run: release.source_run,
          deploy_run: release.deploy_run,
          since: release.since,
        }),
      )
      .execute();
  }

  /** Every host and package of the environment, by host then package. */
  of(environment: string): Promise<HostRelease[]> {
    return this.connection.db
      .selectFrom('host_releases')
      .selectAll()
      .where('environment', '=', environment)
      .orderBy('host')
      .orderBy('package')
      .execute();
  }

  environments(): Promise<string[]> {
    return this.connection.db
      .selectFrom('host_releases')
      .select('environment')
      .distinct()
      .orderBy('environment')
      .execute()
      .then((rows) => rows.map((row) => row.environment));
  }
}
