/** The one place the SQLite file is opened (WAL) and its tables brought up to date. */
import SQLite from 'better-sqlite3';
import { type Compilable, Kysely, SqliteDialect } from 'kysely';
import { type Database, MIGRATIONS } from './schema.js';

/** One open database, as the store's modules share it. */
export interface Connection {
  readonly db: Kysely<Database>;
  /** The same connection, for synchronous batches and transactions (kysely's are asynchronous). */
  readonly sqlite: SQLite.Database;
}

export function openDatabase(file: string): Connection {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // With WAL, NORMAL survives a crash of the process (not of the machine) and commits without fsync.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  migrate(sqlite);
  return { sqlite, db: new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }) };
}

/**
 * A kysely query as a statement of better-sqlite3, its parameters bound: it runs synchronously,
 * so it can take part in a better-sqlite3 transaction.
 */
export function statementOf(sqlite: SQLite.Database, query: Compilable) {
  const { sql, parameters } = query.compile();
  const statement = sqlite.prepare(sql);
  return { run: () => statement.run(...parameters), get: () => statement.get(...parameters) };
}

function migrate(sqlite: SQLite.Database): void {
  const applied = sqlite.pragma('user_version', { simple: true }) as number;
  for (let version = applied; version < MIGRATIONS.length; version++) {
    sqlite.transaction(() => {
      sqlite.exec(MIGRATIONS[version] as string);
      sqlite.pragma(`user_version = ${version + 1}`);
    })();
  }
}
