/**
 * Backups and restores against a real wire-protocol server: the stand-in
 * (test/helpers/mongo-standin.ts).
 *
 * What the stand-in cannot show: that number kinds survive (it stores int32, int64 and double all
 * as JS numbers, so a Long comes back from it as a double whatever the backup holds; the backup
 * reads documents unpromoted and writes canonical EJSON so a real server gets each kind back), and
 * that a restored unique index refuses duplicates (the stand-in keeps the index, without enforcing it).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Binary, Decimal128, type Document, MongoClient, ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MongoStandin, startMongoStandin } from '../../test/helpers/mongo-standin.js';
import { BadInputError, FailedOperationError } from '../errors.js';
import { backupDatabase, listBackups, restoreBackup } from './mongo-backup.js';

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

const userIds = [new ObjectId(), new ObjectId()];
const users = [
  {
    _id: userIds[0],
    email: 'nassim@hivenue.example',
    joined: new Date('2026-01-02T03:04:05.678Z'),
    profile: { name: 'Nassim', roles: ['admin', 'billing'], address: { city: 'Montréal', zip: 'H2X' } },
    avatar: new Binary(Buffer.from([0, 1, 2, 255])),
    balance: Decimal128.fromString('12.50'),
    pattern: /^hive/i,
  },
  {
    _id: userIds[1],
    email: 'louenas@hivenue.example',
    joined: new Date('2026-02-03T00:00:00Z'),
    profile: null,
  },
];
const orders = [
  {
    _id: new ObjectId(),
    user: userIds[0],
    at: new Date('2026-03-01T10:00:00Z'),
    lines: [{ sku: 'a', qty: 2 }],
  },
  { _id: new ObjectId(), user: userIds[1], at: new Date('2026-03-02T11:00:00Z'), lines: [] },
  {
    _id: new ObjectId(),
    user: userIds[0],
    at: new Date('2026-03-03T12:00:00Z'),
    lines: [{ sku: 'b', qty: 1 }],
  },
];

async function seed(database: string): Promise<string> {
  const db = client.db(database);
  await db.collection('users').insertMany(users.map((user) => ({ ...user })));
  await db.collection('users').createIndex({ email: 1 }, { unique: true, name: 'email_unique' });
  await db.collection('orders').insertMany(orders.map((order) => ({ ...order })));
  await db.collection('orders').createIndex({ user: 1, at: -1 });
  return `${standin.uri}/${database}`;
}

async function contents(database: string, name: string): Promise<Document[]> {
  return client
    .db(database)
    .collection(name)
    .find({}, { sort: { _id: 1 } })
    .toArray();
}

async function indexes(database: string, name: string): Promise<Document[]> {
  const list = await client.db(database).collection(name).listIndexes().toArray();
  return list
    .map(({ key, name: indexName, unique }) => ({ key, name: indexName, unique }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

function backupsFolder(): string {
  return mkdtempSync(join(tmpdir(), 'waggle-mongo-backups-'));
}

describe('backupDatabase and restoreBackup', () => {
  it('puts back the same documents and indexes after the collections are dropped', async () => {
    const uri = await seed('shop');
    const folder = backupsFolder();
    const indexesBefore = { users: await indexes('shop', 'users'), orders: await indexes('shop', 'orders') };

    const backup = await backupDatabase(uri, { folder, now: new Date('2026-11-30T08:15:00.123Z') });
    expect(backup).toEqual({
      id: '20261130T081500.123Z',
      path: join(folder, '20261130T081500.123Z'),
      database: 'shop',
      counts: { users: 2, orders: 3 },
      pruned: [],
    });
    expect(readdirSync(folder)).toEqual(['20261130T081500.123Z']); // nothing partial left beside
    expect(readdirSync(backup.path).sort()).toEqual(['manifest.json', 'orders.jsonl', 'users.jsonl']);
    const line = readFileSync(join(backup.path, 'users.jsonl'), 'utf8').split('\n')[0];
    expect(line).toContain(`{"$oid":"${userIds[0]?.toHexString()}"}`);
    expect(line).toContain('{"$date":{"$numberLong":"1767323045678"}}');

    await client.db('shop').collection('users').drop();
    await client.db('shop').collection('orders').deleteMany({});
    await client.db('shop').collection('orders').dropIndexes();
    await client.db('shop').collection('orders').insertOne({ stray: true });

    const restored = await restoreBackup(uri, { folder, id: backup.id });
    expect(restored).toEqual({ id: backup.id, database: 'shop', counts: { users: 2, orders: 3 } });
    expect(await contents('shop', 'users')).toEqual(users);
    expect(await contents('shop', 'orders')).toEqual(orders);
    expect({ users: await indexes('shop', 'users'), orders: await indexes('shop', 'orders') }).toEqual(
      indexesBefore,
    );
    expect(indexesBefore.orders.map((index) => index.name)).toContain('user_1_at_-1');
  });

  it('keeps the newest `keep` backups', async () => {
    const uri = await seed('keep');
    const folder = backupsFolder();
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 30, 8, minute));
    await backupDatabase(uri, { folder, keep: 2, now: at(1) });
    await backupDatabase(uri, { folder, keep: 2, now: at(2) });
    const third = await backupDatabase(uri, { folder, keep: 2, now: at(3) });
    expect(third.pruned).toEqual(['20261130T080100.000Z']);
    expect(await listBackups(folder)).toEqual(['20261130T080200.000Z', '20261130T080300.000Z']);
    await expect(backupDatabase(uri, { folder, keep: 0 })).rejects.toThrow(BadInputError);
  });

  it('refuses a damaged backup before dropping anything', async () => {
    const uri = await seed('damaged');
    const folder = backupsFolder();
    const backup = await backupDatabase(uri, { folder });
    const file = join(backup.path, 'orders.jsonl');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.split('\n').slice(1).join('\n'));
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).not.toBe(
      createHash('sha256').update(text).digest('hex'),
    );
    await client.db('damaged').collection('users').insertOne({ added: 'after the backup' });

    await expect(restoreBackup(uri, { folder, id: backup.id })).rejects.toThrow(
      new FailedOperationError(
        `backup ${backup.id} is damaged: orders.jsonl is not the file it was (sha256 differs)`,
      ),
    );
    expect(await client.db('damaged').collection('users').countDocuments()).toBe(3);
  });

  it('names the backups there are when asked for one that is not', async () => {
    const uri = await seed('unknown');
    const folder = backupsFolder();
    const backup = await backupDatabase(uri, { folder });
    await expect(restoreBackup(uri, { folder, id: '20200101T000000.000Z' })).rejects.toThrow(
      `no backup 20200101T000000.000Z in ${folder} (there are ${backup.id})`,
    );
    await expect(restoreBackup(uri, { folder, id: '../etc' })).rejects.toThrow(BadInputError);
    expect(existsSync(join(folder, '..', 'etc'))).toBe(false);
  });
});
