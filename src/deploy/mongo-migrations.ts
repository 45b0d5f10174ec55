/**
 * An app's database migrations, run before a release's services start: a folder of scripts
 * (`001-add-index.mjs`, `002-backfill.js`, ...; .js, .mjs or .cjs) applied in name order, each
 * exporting `async function up(db, client)`, `db` being the URI's database (the driver's `Db`).
 * They run in this process, imported from their files: code of the app being deployed, trusted as
 * its services are.
 *
 * Applied ones are recorded in a collection (default `waggle_migrations`) as
 * `{ name, checksum, appliedAt, durationMs }`, checksum being the file's sha256. Then:
 *  - pending files run in name order (one that sorts before an applied one, from a merged branch,
 *    runs in its turn);
 *  - a migration that throws stops the run: it is not recorded, later ones do not run, the
 *    MigrationError names its file, and the next run starts again from it (so a migration that
 *    can fail half way should be safe to run again);
 *  - an applied migration whose file changed since is refused before anything runs: a change
 *    goes into a new migration;
 *  - records whose file is gone (a squashed history) are reported as `missing`, not refused.
 *
 * One migrator at a time (mongo-lock.ts): a second one started meanwhile waits for the first to
 * finish, up to `waitMs` (default twice the lock's time to live, so that a crashed holder's lock
 * expires within the wait and is taken over), then finds the work done; past `waitMs` it is refused
 * with MigrationLockedError naming the holder. The holder renews its lock every quarter of the time
 * to live while it works, so a long migration does not lose it.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Db, MongoClient } from 'mongodb';
import { type Clock, systemClock } from '../clock.js';
import { BadInputError, FailedOperationError } from '../errors.js';
import { type ConnectOptions, failure, reason, withDatabase } from './mongo-connection.js';
import { MigrationLock } from './mongo-lock.js';
import type { MongoTarget } from './mongo-uri.js';

export interface MigrationOptions extends ConnectOptions {
  folder: string;
  /** Where applied migrations are recorded, and the lock kept (default `waggle_migrations`). */
  collection?: string;
  /** How long the lock outlives a migrator that stopped renewing it, in ms (default 2 minutes). */
  lockTtlMs?: number;
  /** How long to wait for another migrator to finish, in ms (default twice `lockTtlMs`). */
  waitMs?: number;
  clock?: Clock;
}

export interface AppliedMigration {
  name: string;
  checksum: string;
  durationMs: number;
}

export interface MigrationOutcome {
  /** Applied by this run, in order. */
  applied: AppliedMigration[];
  /** Files applied by earlier runs. */
  alreadyApplied: string[];
  /** Recorded as applied, with no file any more. */
  missing: string[];
}

/** A migration that failed, could not load, or changed since it was applied: `file` says which. */
export class MigrationError extends FailedOperationError {
  constructor(
    readonly file: string,
    readonly reason: 'failed' | 'invalid' | 'changed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

interface MigrationFile {
  name: string;
  path: string;
  checksum: string;
}

interface MigrationRecord {
  name: string;
  checksum: string;
  appliedAt: Date;
  durationMs: number;
}

type Up = (db: Db, client: MongoClient) => Promise<unknown>;

const MIGRATION_FILE = /^[^.].*\.(?:js|mjs|cjs)$/;
const DEFAULT_LOCK_TTL_MS = 120_000;
const require = createRequire(import.meta.url);

/** The folder's migrations, in the order they apply. */
export async function migrationFiles(folder: string): Promise<MigrationFile[]> {
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new BadInputError(`no migrations folder at ${folder}`);
    throw error;
  });
  const files: MigrationFile[] = [];
  for (const name of names.filter((n) => MIGRATION_FILE.test(n)).sort()) {
    const path = resolve(folder, name);
    files.push({
      name,
      path,
      checksum: createHash('sha256')
        .update(await readFile(path))
        .digest('hex'),
    });
  }
  return files;
}

export async function runMigrations(uri: string, options: MigrationOptions): Promise<MigrationOutcome> {
  const ttlMs = options.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
  if (!(ttlMs > 0)) throw new BadInputError(`lockTtlMs must be more than 0 (got ${ttlMs})`);
  const clock = options.clock ?? systemClock;
  const files = await migrationFiles(options.folder);
  return withDatabase(uri, options, async ({ db, client, target }) => {
    const where = `${target.database} at ${target.hosts}`;
    const records = db.collection(options.collection ?? 'waggle_migrations');
    const lock = new MigrationLock(records, ttlMs, clock);
    try {
      await lock.acquire(options.waitMs ?? 2 * ttlMs, where);
    } catch (error) {
      throw failure(target, `locking migrations of ${target.database}`, error);
    }
    const heartbeat = keepRenewed(lock, ttlMs, clock);
    try {
      // A second guard on a real MongoDB: a migration recorded twice is refused even if a lock
      // was lost. The stand-in accepts the index without enforcing it.
      await records.createIndex({ name: 1 }, { unique: true, sparse: true, name: 'waggle_migration_name' });
      const recorded = new Map(
        (await records.find<MigrationRecord>({ name: { $exists: true } }).toArray()).map((r) => [r.name, r]),
      );
      for (const file of files) refuseIfChanged(file, recorded.get(file.name));
      const applied: AppliedMigration[] = [];
      for (const file of files.filter((f) => !recorded.has(f.name))) {
        if (heartbeat.lost() || !(await lock.renew()))
          throw new FailedOperationError(
            `lost the migrations lock of ${where} to another migrator before ${file.name}`,
          );
        const durationMs = await apply(file, db, client, target);
        await records.insertOne({
          name: file.name,
          checksum: file.checksum,
          appliedAt: new Date(clock.now()),
          durationMs,
        });
        applied.push({ name: file.name, checksum: file.checksum, durationMs });
      }
      const present = new Set(files.map((f) => f.name));
      return {
        applied,
        alreadyApplied: files.filter((f) => recorded.has(f.name)).map((f) => f.name),
        missing: [...recorded.keys()].filter((name) => !present.has(name)).sort(),
      };
    } catch (error) {
      throw failure(target, `migrating ${target.database}`, error);
    } finally {
      await heartbeat.stop();
      await lock.release().catch(() => {}); // left to expire if the server is gone
    }
  });
}

function refuseIfChanged(file: MigrationFile, record: MigrationRecord | undefined): void {
  if (!record || record.checksum === file.checksum) return;
  throw new MigrationError(
    file.name,
    'changed',
    `migration ${file.name} changed since it was applied on ${record.appliedAt.toISOString()} ` +
      `(sha256 ${record.checksum.slice(0, 12)} then, ${file.checksum.slice(0, 12)} now): ` +
      'an applied migration must stay as it was; put the change in a new migration',
  );
}

/** Runs one migration; its duration in ms. */
async function apply(file: MigrationFile, db: Db, client: MongoClient, target: MongoTarget): Promise<number> {
  let module: Record<string, unknown>;
  try {
    // The checksum in the URL makes a changed file a new module, so a fixed migration runs fixed
    // within one process too; CommonJS files are cached by path, so their entry goes first.
    Reflect.deleteProperty(require.cache, file.path);
    module = await import(`${pathToFileURL(file.path).href}?sha256=${file.checksum}`);
  } catch (error) {
    throw new MigrationError(
      file.name,
      'invalid',
      `migration ${file.name} could not be loaded: ${reason(target, error)}`,
      {
        cause: error,
      },
    );
  }
  const up = module.up ?? (module.default as { up?: unknown } | undefined)?.up;
  if (typeof up !== 'function')
    throw new MigrationError(file.name, 'invalid', `migration ${file.name} exports no up(db) function`);
  const started = performance.now();
  try {
    await (up as Up)(db, client);
  } catch (error) {
    throw new MigrationError(file.name, 'failed', `migration ${file.name} failed: ${reason(target, error)}`, {
      cause: error,
    });
  }
  return Math.round(performance.now() - started);
}

/** Renews the lock every quarter of its time to live until stopped; `lost` once it is not ours. */
function keepRenewed(lock: MigrationLock, ttlMs: number, clock: Clock) {
  const stopping = new AbortController();
  let lost = false;
  const loop = (async () => {
    while (!lost) {
      try {
        await clock.sleep(ttlMs / 4, stopping.signal);
      } catch {
        return; // stopped
      }
      // A failed renewal is a blip: the lock outlives three more tries.
      lost = !(await lock.renew().catch(() => true));
    }
  })();
  return {
    lost: () => lost,
    stop: async () => {
      stopping.abort();
      await loop;
    },
  };
}
