// Gives a test file a database of its own on the run's MongoDB server, so test files can run
// in parallel without seeing each other's documents.
import { randomBytes } from 'node:crypto';
import { type Db, MongoClient } from 'mongodb';

export interface TestDatabase {
  client: MongoClient;
  db: Db;
  /** Drops the database and closes the connection. */
  dispose(): Promise<void>;
}

export async function openTestDatabase(label: string): Promise<TestDatabase> {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: run tests through jest with the shared preset');

  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
  await client.connect();
  const db = client.db(`test-${label}-${randomBytes(4).toString('hex')}`);

  return {
    client,
    db,
    async dispose() {
      await db.dropDatabase();
      await client.close();
    },
  };
}
