import { join } from 'node:path';
import type { Command } from 'commander';
import { interpolate } from '../../config/secrets.js';
import { listBackups, restoreBackup } from '../../deploy/mongo-tasks.js';
import { environmentTarget } from '../environment-target.js';
import { UsageError } from '../usage-error.js';

interface DbOptions {
  config?: string;
  backup?: string;
  json?: boolean;
}

/** The database of an environment: the backups taken before its deploys, and putting one back. */
export function registerDb(program: Command): void {
  const db = program
    .command('db')
    .description("an environment's MongoDB: the backups waggle took before each deploy, and restoring one");
  db.command('backups')
    .argument('<environment>', 'an environment of waggle.yml with a database')
    .description('list the backups of the environment, oldest first')
    .option('-c, --config <file>', 'config file (default: waggle.yml here or at the git root)')
    .option('--json', 'print them as JSON')
    .action(async (environment: string, options: DbOptions) => {
      const { folder } = databaseOf(options, environment);
      const backups = await listBackups(folder);
      if (options.json) console.log(JSON.stringify(backups));
      else
        console.log(backups.length ? backups.join('\n') : `no backups of ${environment} yet (in ${folder})`);
    });
  db.command('restore')
    .argument('<environment>', 'an environment of waggle.yml with a database')
    .description("put a backup back into the environment's database (default: the newest)")
    .option('-c, --config <file>', 'config file (default: waggle.yml here or at the git root)')
    .option('--backup <id>', 'which backup (see waggle db backups ENV)')
    .option('--json', 'print what was restored as JSON')
    .addHelpText(
      'after',
      "\nEach collection in the backup is dropped and refilled, its indexes made again, and its count\nchecked; collections the backup does not hold are left alone. The backup's files are checked\nbefore anything is dropped.",
    )
    .action(async (environment: string, options: DbOptions) => {
      const { folder, uri } = databaseOf(options, environment);
      const backups = await listBackups(folder);
      const id = options.backup ?? backups.at(-1);
      if (!id) throw new UsageError(`no backups of ${environment} to restore (in ${folder})`);
      if (!backups.includes(id))
        throw new UsageError(`no backup ${id} of ${environment}; there are: ${backups.join(', ') || 'none'}`);
      const restored = await restoreBackup(uri, { folder, id });
      if (options.json) console.log(JSON.stringify(restored, null, 2));
      else
        console.log(
          `restored ${id} into ${restored.database}: ${Object.entries(restored.counts)
            .map(([name, count]) => `${name} ${count}`)
            .join(', ')}`,
        );
    });
}

function databaseOf(options: DbOptions, environment: string): { folder: string; uri: string } {
  const { config, home } = environmentTarget(options.config, environment);
  const database = config.environments[environment]?.database;
  if (!database) throw new UsageError(`environment ${environment} has no database in waggle.yml`);
  // The same folder the deploy job backs up into.
  return { folder: join(home, 'backups', environment), uri: interpolate(database.uri, process.env) };
}
