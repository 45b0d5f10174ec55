/**
 * Migrations against a real wire-protocol server: the stand-in (test/helpers/mongo-standin.ts),
 * each test on a database of its own.
 *
 * What the stand-in cannot show: the unique index on the records' names refusing a migration
 * recorded twice (it accepts the index without enforcing it), which on a real MongoDB guards the
 * case of a lock lost mid-migration; the lock itself rests only on what the stand-in does enforce
 * (one document per `_id`, one command at a time on a document), so the races below are real.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Document, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MongoStandin, startMongoStandin } from '../../test/helpers/mongo-standin.js';
import { LOCK_ID } from './mongo-lock.js';
import { MigrationError, MigrationLockedError, runMigrations } from './mongo-tasks.js';

let standin: MongoStandin;
let client: MongoClient;
beforeAll(async () => {
  standin = await startMongoStandin();
  client = await MongoClient.connect(standin.uri);
});
afterAll(async () => {
  await client?.close();
  await standin?.stop();
});

let databases = 0;
/** A fresh database and its URI. */
function database(): { uri: string; name: string } {
  const name = `migrations${++databases}`;
  return { name, uri: `${standin.uri}/${name}` };
}

/** A migrations folder; each script notes its run in the `ran` collection. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'waggle-migrations-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

const esm = (name: string, extra = '') =>
  `export async function up(db) {\n  ${extra}\n  await db.collection('ran').insertOne({ name: '${name}' });\n}\n`;
const cjs = (name: string) =>
  `exports.up = async (db) => {\n  await db.collection('ran').insertOne({ name: '${name}' });\n};\n`;
const slow = (name: string) => esm(name, 'await new Promise((resolve) => setTimeout(resolve, 300));');
const throwing = (name: string) => esm(name, "throw new Error('column missing');");

async function ran(name: string): Promise<string[]> {
  return (await client.db(name).collection('ran').find().toArray()).map((d) => d.name as string);
}

async function records(name: string): Promise<Document[]> {
  return client
    .db(name)
    .collection('waggle_migrations')
    .find({ name: { $exists: true } })
    .toArray();
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe('runMigrations', () => {
  it('applies the scripts in name order and records each', async () => {
    const { uri, name } = database();
    const dir = folder({
      '002-index.cjs': cjs('002'),
      '001-create.mjs': esm('001'),
      '010-last.js': cjs('010'),
      'README.md': 'not a migration',
      '.003-hidden.mjs': esm('hidden'),
    });
    const before = Date.now();
    const outcome = await runMigrations(uri, { folder: dir });
    expect(outcome.applied.map((m) => m.name)).toEqual(['001-create.mjs', '002-index.cjs', '010-last.js']);
    expect(outcome.alreadyApplied).toEqual([]);
    expect(await ran(name)).toEqual(['001', '002', '010']);
    const recorded = await records(name);
    expect(recorded.map((r) => [r.name, r.checksum])).toEqual([
      ['001-create.mjs', sha256(join(dir, '001-create.mjs'))],
      ['002-index.cjs', sha256(join(dir, '002-index.cjs'))],
      ['010-last.js', sha256(join(dir, '010-last.js'))],
    ]);
    for (const record of recorded) {
      expect(record.appliedAt).toBeInstanceOf(Date);
      expect(record.appliedAt.getTime()).toBeGreaterThanOrEqual(before - 1_000);
      expect(record.durationMs).toBeGreaterThanOrEqual(0);
    }
    // The lock is gone once the run is over.
    expect(await client.db(name).collection('waggle_migrations').findOne({ _id: LOCK_ID })).toBeNull();

    const again = await runMigrations(uri, { folder: dir });
    expect(again).toEqual({
      applied: [],
      alreadyApplied: ['001-create.mjs', '002-index.cjs', '010-last.js'],
      missing: [],
    });
    expect(await ran(name)).toEqual(['001', '002', '010']);
  });

  it('stops at a migration that throws, naming it, and resumes from it once fixed', async () => {
    const { uri, name } = database();
    const dir = folder({ '001-a.mjs': esm('001'), '002-b.mjs': throwing('002'), '003-c.mjs': esm('003') });
    const error = await runMigrations(uri, { folder: dir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({ file: '002-b.mjs', reason: 'failed' });
    expect((error as Error).message).toBe('migration 002-b.mjs failed: column missing');
    expect(await ran(name)).toEqual(['001']);
    expect((await records(name)).map((r) => r.name)).toEqual(['001-a.mjs']);
    expect(await client.db(name).collection('waggle_migrations').findOne({ _id: LOCK_ID })).toBeNull();

    writeFileSync(join(dir, '002-b.mjs'), esm('002'));
    const outcome = await runMigrations(uri, { folder: dir });
    expect(outcome.applied.map((m) => m.name)).toEqual(['002-b.mjs', '003-c.mjs']);
    expect(outcome.alreadyApplied).toEqual(['001-a.mjs']);
    expect(await ran(name)).toEqual(['001', '002', '003']);
  });

  it('refuses an applied migration whose file changed, before running anything', async () => {
    const { uri, name } = database();
    const dir = folder({ '001-a.mjs': esm('001') });
    await runMigrations(uri, { folder: dir });
    writeFileSync(join(dir, '001-a.mjs'), esm('001', '// edited after it ran'));
    writeFileSync(join(dir, '002-b.mjs'), esm('002'));
    const error = await runMigrations(uri, { folder: dir }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ file: '001-a.mjs', reason: 'changed' });
    expect((error as Error).message).toMatch(
      /^migration 001-a\.mjs changed since it was applied on \S+ \(sha256 [0-9a-f]{12} then, [0-9a-f]{12} now\): an applied migration must stay as it was; put the change in a new migration$/,
    );
    expect(await ran(name)).toEqual(['001']);
  });

  it('reports recorded migrations whose file is gone', async () => {
    const { uri } = database();
    const dir = folder({ '001-a.mjs': esm('001') });
    await runMigrations(uri, { folder: dir });
    const outcome = await runMigrations(uri, { folder: folder({ '002-b.mjs': esm('002') }) });
    expect(outcome).toMatchObject({ alreadyApplied: [], missing: ['001-a.mjs'] });
    expect(outcome.applied.map((m) => m.name)).toEqual(['002-b.mjs']);
  });

  it('runs the scripts once when two migrators start together: the second waits, then finds them applied', async () => {
    const { uri, name } = database();
    const dir = folder({ '001-a.mjs': slow('001'), '002-b.mjs': slow('002') });
    const [first, second] = await Promise.all([
      runMigrations(uri, { folder: dir, lockTtlMs: 5_000 }),
      runMigrations(uri, { folder: dir, lockTtlMs: 5_000 }),
    ]);
    expect(await ran(name)).toEqual(['001', '002']);
    expect([first.applied.length, second.applied.length].sort()).toEqual([0, 2]);
    expect([...first.alreadyApplied, ...second.alreadyApplied]).toEqual(['001-a.mjs', '002-b.mjs']);
    expect(await records(name)).toHaveLength(2);
  });

  it('refuses once the wait is over while a live migrator holds the lock', async () => {
    const { uri, name } = database();
    const now = Date.now();
    await client
      .db(name)
      .collection('waggle_migrations')
      .insertOne({
        _id: LOCK_ID,
        lock: 'migrations',
        owner: 'deploy-2:4242:beef',
        acquiredAt: new Date(now),
        expiresAt: new Date(now + 60_000),
      });
    const started = performance.now();
    const error = await runMigrations(uri, {
      folder: folder({ '001-a.mjs': esm('001') }),
      waitMs: 400,
    }).catch((caught: unknown) => caught);
    expect(performance.now() - started).toBeGreaterThanOrEqual(350);
    expect(error).toBeInstanceOf(MigrationLockedError);
    expect((error as Error).message).toContain(`migrations of ${name} at 127.0.0.1:`);
    expect((error as Error).message).toContain('are locked by deploy-2:4242:beef');
    expect(await ran(name)).toEqual([]);
  });

  it('takes over a lock left by a migrator that stopped renewing it, once its time to live is over', async () => {
    const { uri, name } = database();
    const past = Date.now() - 10_000;
    await client
      .db(name)
      .collection('waggle_migrations')
      .insertOne({
        _id: LOCK_ID,
        lock: 'migrations',
        owner: 'crashed:1:dead',
        acquiredAt: new Date(past - 1_000),
        expiresAt: new Date(past),
      });
    const dir = folder({ '001-a.mjs': slow('001') });
    // Two migrators meet the stale lock together: one takes it over, the other waits.
    const outcomes = await Promise.all([
      runMigrations(uri, { folder: dir, lockTtlMs: 1_000 }),
      runMigrations(uri, { folder: dir, lockTtlMs: 1_000 }),
    ]);
    expect(outcomes.map((o) => o.applied.length).sort()).toEqual([0, 1]);
    expect(await ran(name)).toEqual(['001']);
    expect(await client.db(name).collection('waggle_migrations').findOne({ _id: LOCK_ID })).toBeNull();
  });
});
