/**
 * The MongoDB deploy tasks, run before a release's services start against the environment's
 * database (on its `db` host), each given a `mongodb://` URI from the environment's variables:
 *
 *   pingDatabase     the server answers                       mongo-connection.ts
 *   backupDatabase   every collection to a dated folder       mongo-backup.ts
 *   restoreBackup    a backup put back (`waggle db restore`)  mongo-backup.ts
 *   runMigrations    the app's pending migration scripts      mongo-migrations.ts, mongo-lock.ts
 *
 * They run in this process through the official driver (the waggle machine reaches the db host's
 * address), not over SSH, so a real server and the local stand-in are the same to them. No message
 * holds the URI: errors name the server's host:port and the database (mongo-uri.ts).
 */
export type { BackupOptions, BackupResult, RestoreOptions, RestoreResult } from './mongo-backup.js';
export { backupDatabase, listBackups, restoreBackup } from './mongo-backup.js';
export type { ConnectOptions } from './mongo-connection.js';
export { pingDatabase } from './mongo-connection.js';
export { MigrationLockedError } from './mongo-lock.js';
export type { AppliedMigration, MigrationOptions, MigrationOutcome } from './mongo-migrations.js';
export { MigrationError, runMigrations } from './mongo-migrations.js';
export { mongoTarget } from './mongo-uri.js';
