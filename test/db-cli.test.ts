/**
 * `waggle db backups|restore ENV`: the backups a deploy takes of an environment's MongoDB, and
 * putting one back, against the MongoDB stand-in.
 */
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase } from '../src/deploy/mongo-tasks.js';
import { type MongoStandin, startMongoStandin } from './helpers/mongo-standin.js';
import { type ShopStaging, shopStaging } from './helpers/shop.js';

describe('waggle db', () => {
  let mongo: MongoStandin;
  let shop: ShopStaging;
  let uri: string;
  let first: string;

  beforeAll(async () => {
    mongo = await startMongoStandin();
    uri = `${mongo.uri}/shop`;
    shop = await shopStaging({
      name: 'db-cli',
      env: { SHOP_DB_URI: uri, SHOP_PAYMENT_KEY: 'pk_db_cli_1234' },
      config: (text) =>
        text.replace('    health:', '    database: { uri: "${{ secrets.SHOP_DB_URI }}" }\n    health:'),
    });
    const client = await MongoClient.connect(uri);
    try {
      await client
        .db()
        .collection('orders')
        .insertMany([{ n: 1 }, { n: 2 }]);
      first = (await backupDatabase(uri, { folder: join(shop.home, 'backups', 'staging') })).id;
      await client.db().collection('orders').deleteMany({});
      await client.db().collection('orders').insertOne({ n: 99 });
    } finally {
      await client.close();
    }
  }, 300_000);
  afterAll(async () => {
    await mongo?.stop();
  });

  it('lists the backups and puts the newest back', async () => {
    const listed = await shop.waggle(['db', 'backups', 'staging', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([first]);
    const restored = await shop.waggle(['db', 'restore', 'staging']);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toBe(`restored ${first} into shop: orders 2\n`);
    const client = await MongoClient.connect(uri);
    try {
      const orders = await client
        .db()
        .collection('orders')
        .find({}, { projection: { _id: 0 } })
        .toArray();
      expect(orders.sort((a, b) => a.n - b.n)).toEqual([{ n: 1 }, { n: 2 }]);
    } finally {
      await client.close();
    }
  });

  it('refuses a backup that is not there, and an environment without a database', async () => {
    const missing = await shop.waggle(['db', 'restore', 'staging', '--backup', '20200101T000000.000Z']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`there are: ${first}`);
    const unknown = await shop.waggle(['db', 'restore', 'production']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('has no environment "production"; it has staging');
  });
});
