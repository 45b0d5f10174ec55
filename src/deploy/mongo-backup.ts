/**
 * A backup of an environment's database, taken before a release's migrations run, and putting one
 * back (what `waggle db restore` will run). A backup is a folder named by the time it was taken, so
 * names sort as taken:
 *
 *   <folder>/20261130T081500.123Z/manifest.json    database, time; per collection: its file,
 *                                                  document count, sha256, options and indexes
 *   <folder>/20261130T081500.123Z/<name>.jsonl     one document a line, canonical Extended JSON
 *
 * Canonical EJSON keeps what JSON alone would lose: ObjectIds, dates, binary, and which kind of
 * number each was (documents are read without promoting int32/int64/double to JS numbers). A
 * backup is written into a `.partial-*` folder beside and renamed once complete, so one cut off half
 * way never looks like a backup. A restore checks every file against the manifest before it drops
 * anything, then counts and lists indexes afterwards.
 *
 * Not point-in-time: documents written while a backup runs (by the release still serving) may or
 * may not be in it, as with mongodump without --oplog. Views and `system.*` collections are left
 * out; a restore refills the backup's collections and leaves any others as they are.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { BSON, type Db, type Document, type IndexDescription, MongoServerError } from 'mongodb';
import { systemClock } from '../clock.js';
import { BadInputError, FailedOperationError } from '../errors.js';
import { type ConnectOptions, failure, withDatabase } from './mongo-connection.js';

export interface BackupOptions extends ConnectOptions {
  /** Where backups live; each goes into a folder of its own inside. */
  folder: string;
  /** How many backups to keep, newest first, this one included (default 5). */
  keep?: number;
  /** The backup's time, which names it (default: now). */
  now?: Date;
}

export interface BackupResult {
  id: string;
  path: string;
  database: string;
  /** Documents per collection. */
  counts: Record<string, number>;
  /** Older backups removed to keep `keep`. */
  pruned: string[];
}

export interface RestoreOptions extends ConnectOptions {
  folder: string;
  id: string;
}

export interface RestoreResult {
  id: string;
  database: string;
  counts: Record<string, number>;
}

interface CollectionEntry {
  name: string;
  file: string;
  count: number;
  sha256: string;
  options: Document;
  indexes: IndexDescription[];
}

interface Manifest {
  format: 1;
  id: string;
  database: string;
  createdAt: Date;
  collections: CollectionEntry[];
}

const { EJSON } = BSON;
const BACKUP_ID = /^\d{8}T\d{6}\.\d{3}Z$/;
const MANIFEST = 'manifest.json';
const INSERT_BATCH = 1000;
const FLUSH_CHARS = 1 << 20;

/** `2026-11-30T08:15:00.123Z` becomes `20261130T081500.123Z`. */
export function backupId(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '');
}

/** The backups in `folder`, oldest first. */
export async function listBackups(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return names.filter((name) => BACKUP_ID.test(name)).sort();
}

export async function backupDatabase(uri: string, options: BackupOptions): Promise<BackupResult> {
  const keep = options.keep ?? 5;
  if (!Number.isInteger(keep) || keep < 1)
    throw new BadInputError(`keep must be a whole number, at least 1 (got ${keep})`);
  const at = options.now ?? new Date(systemClock.now());
  const id = backupId(at);
  const path = join(options.folder, id);
  if (existsSync(path)) throw new FailedOperationError(`a backup ${id} exists already in ${options.folder}`);
  await mkdir(options.folder, { recursive: true });
  const partial = await mkdtemp(join(options.folder, `.partial-${id}-`));
  try {
    const manifest = await withDatabase(uri, options, async ({ db, target }) => {
      try {
        const collections: CollectionEntry[] = [];
        for (const info of await db.listCollections({}, { nameOnly: false }).toArray()) {
          if (info.type === 'view' || info.name.startsWith('system.')) continue;
          collections.push(await dumpCollection(db, info.name, info.options ?? {}, partial));
        }
        const manifest: Manifest = { format: 1, id, database: target.database, createdAt: at, collections };
        return manifest;
      } catch (error) {
        throw failure(target, `backup of ${target.database}`, error);
      }
    });
    await writeFileDurably(
      join(partial, MANIFEST),
      `${EJSON.stringify(manifest, undefined, 2, { relaxed: true })}\n`,
    );
    await rename(partial, path);
    const pruned = await pruneBackups(options.folder, keep);
    const counts = Object.fromEntries(manifest.collections.map((c) => [c.name, c.count]));
    return { id, path, database: manifest.database, counts, pruned };
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}

export async function restoreBackup(uri: string, options: RestoreOptions): Promise<RestoreResult> {
  const { folder, id } = options;
  if (!BACKUP_ID.test(id))
    throw new BadInputError(`not a backup id: ${id} (they look like 20261130T081500.123Z)`);
  const path = join(folder, id);
  const manifest = await readManifest(path, folder);
  for (const entry of manifest.collections) await checkFile(path, entry);
  return withDatabase(uri, options, async ({ db, target }) => {
    const doing = `restore of backup ${id} into ${target.database}`;
    try {
      for (const entry of manifest.collections) await refill(db, path, entry);
    } catch (error) {
      throw failure(target, doing, error);
    }
    const counts: Record<string, number> = {};
    for (const entry of manifest.collections) {
      const collection = db.collection(entry.name);
      const count = await collection.countDocuments({});
      if (count !== entry.count)
        throw new FailedOperationError(
          `${doing}: ${entry.name} holds ${count} documents, the backup ${entry.count}`,
        );
      const present = new Set((await collection.listIndexes().toArray()).map((index) => index.name));
      const missing = entry.indexes.map((index) => index.name).filter((name) => !present.has(name));
      if (missing.length > 0)
        throw new FailedOperationError(`${doing}: ${entry.name} lacks indexes ${missing.join(', ')}`);
      counts[entry.name] = count;
    }
    return { id, database: target.database, counts };
  });
}

async function dumpCollection(
  db: Db,
  name: string,
  options: Document,
  dir: string,
): Promise<CollectionEntry> {
  const file = collectionFile(name);
  const hash = createHash('sha256');
  const handle = await open(join(dir, file), 'wx');
  let count = 0;
  try {
    let chunk = '';
    const flush = async () => {
      hash.update(chunk);
      await handle.write(chunk);
      chunk = '';
    };
    const cursor = db.collection(name).find({}, { promoteValues: false, bsonRegExp: true });
    for await (const document of cursor) {
      chunk += `${EJSON.stringify(document, { relaxed: false })}\n`;
      count++;
      if (chunk.length >= FLUSH_CHARS) await flush();
    }
    await flush();
    await handle.sync();
  } finally {
    await handle.close();
  }
  const indexes = (await db.collection(name).listIndexes().toArray())
    .filter((index) => index.name !== '_id_')
    .map(({ v: _version, ns: _namespace, ...index }) => index as IndexDescription);
  return { name, file, count, sha256: hash.digest('hex'), options, indexes };
}

async function refill(db: Db, dir: string, entry: CollectionEntry): Promise<void> {
  const collection = db.collection(entry.name);
  await collection.drop().catch((error: unknown) => {
    if (!(error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND)) throw error;
  });
  await db.createCollection(entry.name, entry.options);
  let batch: Document[] = [];
  const insert = async () => {
    if (batch.length > 0)
      await collection.insertMany(batch, { ordered: true, bypassDocumentValidation: true });
    batch = [];
  };
  for await (const line of lines(join(dir, entry.file))) {
    batch.push(EJSON.parse(line, { relaxed: false }) as Document);
    if (batch.length >= INSERT_BATCH) await insert();
  }
  await insert();
  if (entry.indexes.length > 0) await collection.createIndexes(entry.indexes);
}

const NAMESPACE_NOT_FOUND = 26;

async function readManifest(path: string, folder: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(join(path, MANIFEST), 'utf8');
  } catch {
    const known = await listBackups(folder);
    throw new BadInputError(
      `no backup ${basename(path)} in ${folder} (${known.length > 0 ? `there are ${known.join(', ')}` : 'it holds none'})`,
    );
  }
  const manifest = EJSON.parse(text, { relaxed: true }) as Partial<Manifest>;
  if (manifest.format !== 1 || !Array.isArray(manifest.collections))
    throw new FailedOperationError(`${join(path, MANIFEST)} is not a waggle backup manifest`);
  return manifest as Manifest;
}

/** The file is the one the manifest describes: same name rule, same bytes, one line a document. */
async function checkFile(dir: string, entry: CollectionEntry): Promise<void> {
  const damaged = (why: string) => new FailedOperationError(`backup ${basename(dir)} is damaged: ${why}`);
  if (entry.file !== collectionFile(entry.name))
    throw damaged(`collection ${entry.name} points at ${entry.file}`);
  const hash = createHash('sha256');
  let count = 0;
  try {
    for await (const chunk of createReadStream(join(dir, entry.file))) {
      hash.update(chunk as Buffer);
      for (const byte of chunk as Buffer) if (byte === 0x0a) count++;
    }
  } catch (error) {
    throw damaged(`${entry.file} cannot be read (${(error as Error).message})`);
  }
  if (hash.digest('hex') !== entry.sha256)
    throw damaged(`${entry.file} is not the file it was (sha256 differs)`);
  if (count !== entry.count)
    throw damaged(`${entry.file} holds ${count} documents, the manifest says ${entry.count}`);
}

async function* lines(file: string): AsyncGenerator<string> {
  for await (const line of createInterface({
    input: createReadStream(file),
    crlfDelay: Number.POSITIVE_INFINITY,
  }))
    if (line) yield line;
}

async function pruneBackups(folder: string, keep: number): Promise<string[]> {
  const old = (await listBackups(folder)).slice(0, -keep);
  for (const id of old) await rm(join(folder, id), { recursive: true, force: true });
  return old;
}

async function writeFileDurably(file: string, text: string): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Collection names may hold characters a file name may not (`/`); encoded, each stays one file. */
function collectionFile(name: string): string {
  return `${encodeURIComponent(name)}.jsonl`;
}
